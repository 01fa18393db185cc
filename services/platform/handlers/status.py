"""certificate.expired.v1 / certificate.cancelled.v1 → the certificate's ending (期間満了 / 解約), shown to the
orderer on the certificate view and in the 保証確認台帳.

Inbox first, in the same transaction. Stored by 保証契約番号 even before the certificate has arrived (events
of one certificate may come in any order) and joined when read. A paper guarantee never reaches the
platform: its event is logged and not stored."""

import asyncpg
import structlog

from shared.db.inbox import first_delivery
from shared.events import CertificateCancelled, CertificateExpired
from services.platform.adapters import status_repository as repo
from services.platform.domain.status import Ending

log = structlog.get_logger()

CONSUMER_EXPIRED = "platform.certificate-expired"
CONSUMER_CANCELLED = "platform.certificate-cancelled"


async def on_certificate_expired(pool: asyncpg.Pool, event: CertificateExpired) -> None:
    e = event.data
    await _record(pool, CONSUMER_EXPIRED, event.id, e.contract_number, e.electronic, status="expired",
                  ended_on=e.expired_on, ended_at=e.expired_at, guarantee_expiry=e.guarantee_expiry)


async def on_certificate_cancelled(pool: asyncpg.Pool, event: CertificateCancelled) -> None:
    e = event.data
    await _record(pool, CONSUMER_CANCELLED, event.id, e.contract_number, e.electronic, status="cancelled",
                  ended_on=e.cancelled_on, ended_at=e.cancelled_at)


async def _record(pool: asyncpg.Pool, consumer: str, event_id: str, number: str, electronic: bool, **ending) -> None:
    if not electronic:
        log.info("paper guarantee ended; not on the platform", contract_number=number, status=ending["status"])
        return
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, consumer, event_id):
            return
        new = await repo.record_ending(conn, contract_number=number, event_id=event_id, **ending)
        known = await repo.is_known(conn, number)
        log.info("certificate ended", contract_number=number, status=ending["status"], new=new, known=known)


async def ending_of(pool: asyncpg.Pool, contract_number: str) -> Ending | None:
    row = await repo.ending(pool, contract_number)
    return Ending(row["status"], row["ended_on"]) if row else None
