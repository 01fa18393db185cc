"""The end of a guarantee on Net Desk: what the surety company told (期間満了 / 解約 / a refused request), and
the contractor's 解約の申込 (the JSON API and the pages call the same `request_cancellation`).

Consumers: inbox first, effects in the same transaction; the ending is keyed by 保証契約番号 (it may come
before the contract row) and kept once, so a redelivery or a copy changes nothing. A request is sent as
cancellation.requested.v1 through the outbox in the transaction that stores it; the 送信パスワード is checked
before and never stored, logged or sent.
"""

import asyncio
import uuid
from typing import Any

import asyncpg
import structlog

from shared.auth import verify_secret
from shared.db.inbox import first_delivery
from shared.db.outbox import enqueue
from shared.events import (
    CancellationRefused,
    CancellationRequested,
    CancellationRequestedV1,
    CertificateCancelled,
    CertificateExpired,
)
from services.application.adapters import accounts_repository as accounts
from services.application.adapters import contracts_repository as contracts
from services.application.adapters import status_repository as repo
from services.application.domain import cancellation
from services.application.domain.cancellation import InvalidCancellation
from services.application.domain.submission import SOURCE
from services.application.handlers.accounts import CurrentUser
from services.application.handlers.applications import SendPasswordRejected
from services.application.handlers.context import contract_status
from services.application.handlers.contracts import ContractNotFound
from services.application.handlers.status_view import request_out

log = structlog.get_logger()

CONSUMER_EXPIRED = "application.certificate-expired"
CONSUMER_CANCELLED = "application.certificate-cancelled"
CONSUMER_REFUSED = "application.cancellation-refused"

__all__ = ["InvalidCancellation", "NotCancellable", "SendPasswordRejected", "request_cancellation"]


class NotCancellable(Exception):
    """The guarantee cannot be cancelled now (ended, a bid bond, a request pending); `reason` is the answer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def on_certificate_expired(pool: asyncpg.Pool, event: CertificateExpired) -> None:
    e = event.data
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER_EXPIRED, event.id):
            return
        new = await repo.record_ending(
            conn, contract_number=e.contract_number, status="expired", ended_on=e.expired_on,
            company_id=e.contractor_company_id, ended_at=e.expired_at, guarantee_expiry=e.guarantee_expiry,
        )
        log.info("guarantee expired", contract_number=e.contract_number, expired_on=e.expired_on.isoformat(), new=new)


async def on_certificate_cancelled(pool: asyncpg.Pool, event: CertificateCancelled) -> None:
    e = event.data
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER_CANCELLED, event.id):
            return
        new = await repo.record_ending(
            conn, contract_number=e.contract_number, status="cancelled", ended_on=e.cancelled_on,
            company_id=e.contractor_company_id, ended_at=e.cancelled_at, request_id=e.request_id,
        )
        if not await repo.decide_request(conn, e.request_id, state="approved", decided_at=e.cancelled_at):
            log.warning("cancelled by a request not pending here", request_id=str(e.request_id))
        log.info("guarantee cancelled", contract_number=e.contract_number, cancelled_on=e.cancelled_on.isoformat(), new=new)


async def on_cancellation_refused(pool: asyncpg.Pool, event: CancellationRefused) -> None:
    e = event.data
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER_REFUSED, event.id):
            return
        decided = await repo.decide_request(
            conn, e.request_id, state="refused", decided_at=e.refused_at, refusal_reason=e.reason
        )
        log.info("cancellation refused", contract_number=e.contract_number, request_id=str(e.request_id), new=decided)


async def _may_send(conn: asyncpg.Connection, company_id: uuid.UUID, send_password: str | None) -> None:
    company = await accounts.company_by_id(conn, company_id)
    stored = company["send_password_hash"] if company else None
    if stored is None:
        return
    if not send_password:
        raise InvalidCancellation([{
            "path": "send_password", "label": cancellation.FIELD_LABELS["send_password"], "rule": "required",
            "message": cancellation.SEND_PASSWORD_REQUIRED, "severity": "error",
        }])
    if not await asyncio.to_thread(verify_secret, stored, send_password):
        raise SendPasswordRejected()


async def request_cancellation(
    pool: asyncpg.Pool,
    user: CurrentUser,
    contract_number: str,
    *,
    reason: str | None,
    reason_text: str | None,
    send_password: str | None,
    correlation_id: str,
) -> dict[str, Any]:
    """解約の申込: the request (pending) and its event. ContractNotFound (not the company's), NotCancellable,
    InvalidCancellation (the fields, or a missing 送信パスワード), SendPasswordRejected."""
    form = cancellation.checked_form(reason, reason_text)
    async with pool.acquire() as conn:
        row = await contracts.get_owned(conn, contract_number, user.company_id)
        if row is None:
            raise ContractNotFound(contract_number)
        await _check_cancellable(conn, row, user)
        await _may_send(conn, user.company_id, send_password)  # Argon2 is slow: before any lock
    request_id = uuid.uuid4()
    name = user.display_name or user.login_id
    async with pool.acquire() as conn, conn.transaction():
        row = await contracts.get_owned(conn, contract_number, user.company_id)
        await _check_cancellable(conn, row, user)
        stored = await repo.insert_request(
            conn, request_id=request_id, contract_number=contract_number, company_id=user.company_id,
            reason=form.reason.value, reason_text=form.reason_text, user_id=user.user_id, user_name=name,
        )
        if stored is None:  # another request came first (two clicks, two users)
            raise NotCancellable(cancellation.PENDING)
        data = CancellationRequestedV1(
            request_id=request_id, contract_number=contract_number, contractor_company_id=user.company_id,
            reason=form.reason, reason_text=form.reason_text, requested_by=name[:100],
            requested_at=stored["requested_at"],
        )
        await enqueue(
            conn, CancellationRequested.wrap(data, source=SOURCE, subject=contract_number, correlation_id=correlation_id)
        )
    log.info("cancellation requested", contract_number=contract_number, request_id=str(request_id),
             reason=form.reason.value)
    return request_out(stored) | {"contract_number": contract_number}


async def _check_cancellable(conn: asyncpg.Connection, row: asyncpg.Record, user: CurrentUser) -> None:
    latest = await repo.latest_request(conn, row["contract_number"], user.company_id)
    pending = latest is not None and latest["state"] == "pending"
    why = cancellation.not_cancellable(row["contract_number"], row["product"], contract_status(row), row["ended_on"], pending)
    if why:
        raise NotCancellable(why)


async def done_request(pool: asyncpg.Pool, user: CurrentUser, contract_number: str) -> dict[str, Any]:
    """送信完了 of a 解約の申込: the contract and its latest request (ContractNotFound without one)."""
    async with pool.acquire() as conn:
        row = await contracts.get_owned(conn, contract_number, user.company_id)
        latest = await repo.latest_request(conn, contract_number, user.company_id) if row else None
    if row is None or latest is None:
        raise ContractNotFound(contract_number)
    return {"contract_number": contract_number, "row": row, "request": request_out(latest)}
