"""CertificateIssued → the version stored with its arrival time (電子保証発行日時) → CertificatePublished."""

import asyncpg
import structlog

from shared.bus.consumer import PoisonMessage
from shared.db.inbox import first_delivery
from shared.events import CertificateIssued, content_digest
from services.platform.adapters import certificate_repository
from services.platform.handlers.corrections import kept_hidden_on_arrival
from services.platform.handlers.publication import announce_arrival

log = structlog.get_logger()

CONSUMER = "platform"


def _check(event: CertificateIssued) -> None:
    data = event.data
    digest = content_digest(data.certificate)
    if digest != data.content_digest:
        raise PoisonMessage(f"content digest mismatch: event says {data.content_digest}, content is {digest}")
    certificate = data.certificate
    if (certificate.contract_number, certificate.version, certificate.product) != (
        data.contract_number,
        data.version,
        data.product,
    ):
        raise PoisonMessage("contract number, version or product differ between the event and its certificate")
    if not certificate.electronic:
        # A paper original (証書(紙)) has no 認証キー and must never be viewable here.
        raise PoisonMessage("a paper certificate (electronic = false) is never posted to the platform")


async def record_arrival(pool: asyncpg.Pool, event: CertificateIssued) -> None:
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER, event.id):
            log.info("certificate event redelivered; nothing to do")
            return
        _check(event)
        data = event.data
        if await kept_hidden_on_arrival(conn, data, event_id=event.id):
            return
        arrived_at = await certificate_repository.insert_arrival(conn, data, event_id=event.id)
        if arrived_at is None:
            stored = await certificate_repository.stored_digest(conn, data.contract_number, data.version)
            if stored != data.content_digest:
                raise PoisonMessage(
                    f"{data.contract_number} version {data.version} is already here with other content ({stored})"
                )
            log.info("certificate version already here; arrival kept", contract_number=data.contract_number)
            return
        await announce_arrival(conn, data, arrived_at, correlation_id=event.correlationid)
        log.info(
            "certificate arrived",
            contract_number=data.contract_number,
            version=data.version,
            arrived_at=arrived_at.isoformat(),
        )
