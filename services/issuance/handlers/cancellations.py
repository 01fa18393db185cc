"""解約: the contractor's request (cancellation.requested.v1) and the staff's decision on it.

On receipt the request is kept (inbox first, same transaction). A request for a guarantee that has ended,
for a 契約保証予約, or while another one is pending is refused at once (cancellation.refused.v1, decided by
自動判定) so the contractor reads why; one for a guarantee unknown here or of another company is poison.

Staff approve (`approve-cancellation`: the guarantee ends on the 解約日, certificate.cancelled.v1) or refuse
(`refuse-cancellation` with a reason, cancellation.refused.v1). Both run under the guarantee's row lock, the
lock the expiry job and a 変更 take, and the ending is written only if the guarantee has not ended meanwhile.
Who decided and when stays here; the events carry the reason only.
"""

from dataclasses import dataclass
from datetime import date, datetime

import asyncpg
import structlog

from services.issuance.adapters import status_repository as repo
from services.issuance.domain.status import (
    AUTOMATIC,
    StatusRefused,
    checked_by,
    checked_refusal,
    ended_text,
    jst_today,
    judge_cancelled_on,
    request_refusal,
)
from services.issuance.handlers.outcomes import SOURCE
from shared.bus.consumer import PoisonMessage
from shared.db.inbox import first_delivery
from shared.db.outbox import enqueue
from shared.events import (
    CancellationReason,
    CancellationRefused,
    CancellationRefusedV1,
    CancellationRequested,
    CertificateCancelled,
    CertificateCancelledV1,
    Product,
)

log = structlog.get_logger()

CONSUMER = "issuance.cancellation-requested"


async def on_cancellation_requested(pool: asyncpg.Pool, event: CancellationRequested) -> None:
    e = event.data
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER, event.id):
            return
        guarantee = await repo.lock_guarantee(conn, e.contract_number)
        if guarantee is None or guarantee["contractor_company_id"] != e.contractor_company_id:
            raise PoisonMessage(f"{e.contract_number} is not a guarantee of company {e.contractor_company_id}")
        if await repo.request_known(conn, e.request_id):
            return  # the same request again under another event id
        pending = await repo.pending_request(conn, e.contract_number)
        ending = await repo.ending_of(conn, e.contract_number)
        refusal = request_refusal(e.contract_number, Product(guarantee["product"]), ending, pending is not None)
        # Refused on receipt: kept as decided (a second pending request would break "one at a time").
        await repo.insert_request(conn, e, refused_by=AUTOMATIC if refusal else None, refusal=refusal)
        if refusal:
            await announce_refusal(conn, e.request_id, e.contract_number, e.contractor_company_id, reason=refusal,
                                    correlation_id=event.correlationid)
            log.info("cancellation refused on receipt", contract_number=e.contract_number, request_id=str(e.request_id))
            return
    log.info("cancellation requested", contract_number=e.contract_number, request_id=str(e.request_id),
             reason=e.reason.value)


async def announce_refusal(conn, request_id, contract_number: str, company_id, *, reason: str, correlation_id: str) -> str:
    data = CancellationRefusedV1(
        request_id=request_id, contract_number=contract_number, contractor_company_id=company_id, reason=reason,
        refused_at=await conn.fetchval("SELECT now()"),
    )
    event = CancellationRefused.wrap(data, source=SOURCE, subject=contract_number, correlation_id=correlation_id)
    await enqueue(conn, event)
    return event.id


@dataclass(frozen=True)
class Decided:
    contract_number: str
    request_id: str
    state: str  # approved / refused
    cancelled_on: str | None
    event_id: str


async def _locked_pending(conn: asyncpg.Connection, contract_number: str):
    guarantee = await repo.lock_guarantee(conn, contract_number)
    if guarantee is None:
        raise StatusRefused(f"保証契約番号 {contract_number} の保証はありません")
    ending = await repo.ending_of(conn, contract_number)
    if ending is not None:
        raise StatusRefused(f"保証契約番号 {contract_number} は既に{ended_text(ending)}となっています")
    request = await repo.pending_request(conn, contract_number)
    if request is None:
        raise StatusRefused(f"保証契約番号 {contract_number} には確認待ちの解約の申込がありません")
    return guarantee, request


async def approve_cancellation(
    pool: asyncpg.Pool, *, contract_number: str, by: str, now: datetime, cancelled_on: date | None = None
) -> Decided:
    """解約: the pending request approved; the guarantee ends on `cancelled_on` (today, JST, when omitted)."""
    by = checked_by(by)
    today = jst_today(now)
    day = cancelled_on or today
    async with pool.acquire() as conn, conn.transaction():
        guarantee, request = await _locked_pending(conn, contract_number)
        judge_cancelled_on(day, today=today, issued_on=jst_today(guarantee["issued_at"]))
        data = CertificateCancelledV1(
            contract_number=contract_number,
            product=Product(guarantee["product"]),
            application_id=guarantee["application_id"],
            contractor_company_id=guarantee["contractor_company_id"],
            electronic=guarantee["certificate_format"] == "electronic",
            request_id=request["request_id"],
            cancelled_on=day,
            cancelled_at=now,
            reason=CancellationReason(request["reason"]),
            reason_text=request["reason_text"],
        )
        event = CertificateCancelled.wrap(
            data, source=SOURCE, subject=contract_number, correlation_id=f"cancellation-{request['request_id']}"
        )
        ended = await repo.insert_ending(
            conn, guarantee, status="cancelled", ended_on=day, event_id=event.id, request_id=request["request_id"],
            done_by=by,
        )
        assert ended, "the row lock and ending_of (_locked_pending) said it had not ended"
        await repo.approve_request(conn, request["request_id"], by=by, cancelled_on=day)
        await enqueue(conn, event)
    log.info("guarantee cancelled", contract_number=contract_number, cancelled_on=day.isoformat())
    return Decided(contract_number, str(request["request_id"]), "approved", day.isoformat(), event.id)


async def refuse_cancellation(pool: asyncpg.Pool, *, contract_number: str, by: str, reason: str) -> Decided:
    """The pending request refused; `reason` is shown to the contractor, who may ask again."""
    by, reason = checked_by(by), checked_refusal(reason)
    async with pool.acquire() as conn, conn.transaction():
        guarantee, request = await _locked_pending(conn, contract_number)
        await repo.refuse_request(conn, request["request_id"], by=by, reason=reason)
        event_id = await announce_refusal(
            conn, request["request_id"], contract_number, guarantee["contractor_company_id"], reason=reason,
            correlation_id=f"cancellation-{request['request_id']}",
        )
    log.info("cancellation refused", contract_number=contract_number, request_id=str(request["request_id"]))
    return Decided(contract_number, str(request["request_id"]), "refused", None, event_id)


async def list_cancellations(pool: asyncpg.Pool, *, state: str | None = "pending") -> list[asyncpg.Record]:
    async with pool.acquire() as conn:
        return await repo.requests(conn, state=state)
