"""On AmendmentRequested / ReleaseRequested: an orderer asked for a 変更 (変更依頼) or confirmed that a
guarantee may be released (解除確認). The surety company keeps each request once, for its staff
(`list-orderer-requests`); acting on it — a 変更申込 from the contractor, a release — is theirs to do.

A request on a version this company never issued, or from an orderer the certificate is not addressed
to, cannot be right: it goes to the dead-letter queue for an operator to look at."""

from typing import Any

import asyncpg
import structlog

from services.issuance.adapters import orderer_requests as repo
from shared.bus.consumer import PoisonMessage
from shared.db.inbox import first_delivery
from shared.events import AmendmentRequested, ReleaseRequested
from shared.events.requests import RELEASE_GROUND_LABELS, REQUEST_KIND_LABELS, ReleaseGround

CONSUMER_AMENDMENT = "issuance.amendment-requested"
CONSUMER_RELEASE = "issuance.release-requested"

log = structlog.get_logger()


async def on_amendment_requested(pool: asyncpg.Pool, event: AmendmentRequested) -> None:
    e = event.data
    await _record(pool, CONSUMER_AMENDMENT, event.id, request_id=e.request_id, contract_number=e.contract_number,
                  version=e.version, kind="amendment", organisation_code=e.organisation_code,
                  organisation_name=e.organisation_name, message=e.message, grounds=[], requested_at=e.requested_at)


async def on_release_requested(pool: asyncpg.Pool, event: ReleaseRequested) -> None:
    e = event.data
    await _record(pool, CONSUMER_RELEASE, event.id, request_id=e.request_id, contract_number=e.contract_number,
                  version=e.version, kind="release", organisation_code=e.organisation_code,
                  organisation_name=e.organisation_name, message=e.note, grounds=[g.value for g in e.grounds],
                  requested_at=e.requested_at)


async def _record(pool: asyncpg.Pool, consumer: str, event_id: str, **request: Any) -> None:
    number, version = request["contract_number"], request["version"]
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, consumer, event_id):
            log.info("redelivery ignored", contract_number=number)
            return
        obligee = await repo.issued_to(conn, number, version)
        if obligee is None:
            raise PoisonMessage(f"{request['kind']} request on {number} version {version}, which was never issued")
        if obligee != request["organisation_code"]:
            raise PoisonMessage(f"{request['kind']} request on {number} from {request['organisation_code']}, "
                                f"but the certificate is addressed to {obligee}")
        stored = await repo.insert(conn, **request)
        log.info("orderer request recorded", contract_number=number, kind=request["kind"],
                 request_id=str(request["request_id"]), new=stored)


async def list_orderer_requests(pool: asyncpg.Pool, contract_number: str | None = None) -> list[dict[str, Any]]:
    """The staff's listing, newest first: one JSON-ready dict per request."""
    rows = await repo.listing(pool, contract_number)
    return [
        {
            "request_id": str(r["request_id"]),
            "kind": r["kind"],
            "kind_label": REQUEST_KIND_LABELS[r["kind"]],
            "contract_number": r["contract_number"],
            "version": r["version"],
            "product": r["product"],
            "construction_name": r["construction_name"],
            "contractor_name": r["contractor_name"],
            "contractor_company_id": str(r["contractor_company_id"]),
            "organisation_code": r["organisation_code"],
            "organisation_name": r["organisation_name"],
            "message": r["message"],
            "grounds": list(r["grounds"]),
            "ground_labels": [RELEASE_GROUND_LABELS[ReleaseGround(g)] for g in r["grounds"]],
            "requested_at": r["requested_at"].isoformat(),
            "received_at": r["received_at"].isoformat(),
        }
        for r in rows
    ]
