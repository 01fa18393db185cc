"""お知らせ from the orderer: 変更依頼 (it asks for a 変更, saying what should change) and 解除確認 (the
guarantee may be released: 工事完成 / 前払金精算済), from the platform's events. Stored keyed by 保証契約番号
(the event may come before the contract row); 全体トップ lists the company's newest first, 電子保証概要 (and
the JSON API's contract detail) that contract's.

Each consumer records the event in the inbox first, in the same transaction; a copy with another event id
but the same request_id changes nothing either."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
import structlog

from shared.db.inbox import first_delivery
from shared.events import AmendmentRequested, ReleaseGround, ReleaseRequested
from shared.events.requests import RELEASE_GROUND_LABELS, REQUEST_KIND_LABELS
from services.application.adapters import orderer_requests_repository as repo
from services.application.handlers.accounts import CurrentUser

log = structlog.get_logger()

CONSUMER_AMENDMENT = "application.amendment-requested"
CONSUMER_RELEASE = "application.release-requested"
NOTICE_LIMIT = 20


async def on_amendment_requested(pool: asyncpg.Pool, event: AmendmentRequested) -> None:
    e = event.data
    await _record(pool, CONSUMER_AMENDMENT, event.id, request_id=e.request_id, contract_number=e.contract_number,
                  version=e.version, kind="amendment", organisation_name=e.organisation_name, message=e.message,
                  grounds=[], requested_at=e.requested_at)


async def on_release_requested(pool: asyncpg.Pool, event: ReleaseRequested) -> None:
    e = event.data
    await _record(pool, CONSUMER_RELEASE, event.id, request_id=e.request_id, contract_number=e.contract_number,
                  version=e.version, kind="release", organisation_name=e.organisation_name, message=e.note,
                  grounds=[g.value for g in e.grounds], requested_at=e.requested_at)


async def _record(pool: asyncpg.Pool, consumer: str, event_id: str, **request: Any) -> None:
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, consumer, event_id):
            return
        stored = await repo.insert(conn, **request)
        log.info("orderer request received", contract_number=request["contract_number"], kind=request["kind"],
                 request_id=str(request["request_id"]), new=stored)


def request_out(r: asyncpg.Record) -> dict[str, Any]:
    """One request as the pages and the JSON API show it."""
    grounds = [ReleaseGround(g) for g in r["grounds"]]
    return {
        "request_id": r["request_id"],
        "kind": r["kind"],
        "kind_label": REQUEST_KIND_LABELS[r["kind"]],
        "contract_number": r["contract_number"],
        "construction_name": r["construction_name"],
        "version": r["version"],
        "version_label": r["version_label"] or "",
        "organisation_name": r["organisation_name"],
        "message": r["message"],
        "grounds": [g.value for g in grounds],
        "ground_labels": [RELEASE_GROUND_LABELS[g] for g in grounds],
        "requested_at": r["requested_at"],
    }


@dataclass(frozen=True)
class Notices:
    """全体トップのお知らせ: the newest requests of the company's contracts and how many there are."""

    items: list[dict[str, Any]]
    total: int


async def notices(pool: asyncpg.Pool, user: CurrentUser, limit: int = NOTICE_LIMIT) -> Notices:
    async with pool.acquire() as conn:
        rows, total = await repo.for_company(conn, user.company_id, limit)
    return Notices([request_out(r) for r in rows], total)


async def of_contract(pool: asyncpg.Pool, company_id: UUID, contract_number: str) -> list[dict[str, Any]]:
    """That contract's requests, newest first (nothing for another company's contract)."""
    async with pool.acquire() as conn:
        rows = await repo.for_contract(conn, contract_number, company_id)
    return [request_out(r) for r in rows]
