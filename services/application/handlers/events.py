"""What the application service learns from the bus: issued certificates, electronic or on paper (its
read model of 保証契約一覧), rejections (the contractor sees why) and publications (電子保証発行日時, the history).

Each handler records the event in the inbox first, in the same transaction as its effects.
"""

import asyncpg
import structlog

from shared.bus.consumer import PoisonMessage
from shared.db.inbox import first_delivery
from shared.events import (
    ApplicationRejected,
    CertificateIssued,
    CertificateIssuedV1,
    CertificatePublished,
    CertificateReviewed,
    CertificateViewed,
    PaperCertificateIssued,
    PaperCertificateIssuedV1,
)
from services.application.adapters import applications_repository as applications
from services.application.adapters import contracts_repository as contracts
from services.application.handlers import corrections
from services.application.domain.model import Status

log = structlog.get_logger()

CONSUMER_ISSUED = "application.certificate-issued"
CONSUMER_REJECTED = "application.application-rejected"
CONSUMER_PUBLISHED = "application.certificate-published"
CONSUMER_PAPER_ISSUED = "application.paper-certificate-issued"
CONSUMER_VIEWED = "application.certificate-viewed"
CONSUMER_REVIEWED = "application.certificate-reviewed"


async def on_certificate_issued(pool: asyncpg.Pool, event: CertificateIssued) -> None:
    await _record_issued(pool, CONSUMER_ISSUED, event.id, event.data, certificate_format="electronic")


async def on_paper_certificate_issued(pool: asyncpg.Pool, event: PaperCertificateIssued) -> None:
    """証書(紙): the same read model, marked paper (no 認証キー, no platform, no history)."""
    await _record_issued(pool, CONSUMER_PAPER_ISSUED, event.id, event.data, certificate_format="paper")


async def _record_issued(
    pool: asyncpg.Pool,
    consumer: str,
    event_id: str,
    e: CertificateIssuedV1 | PaperCertificateIssuedV1,
    *,
    certificate_format: str,
) -> None:
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, consumer, event_id):
            return
        app = await applications.get_any(conn, e.application_id, for_update=True)
        if app is not None and app["company_id"] != e.contractor_company_id:
            raise PoisonMessage(f"application {e.application_id} does not belong to company {e.contractor_company_id}")
        if await corrections.kept_hidden_issued(conn, e):
            log.info("issued version kept hidden (withdrawn or corrected already)", contract_number=e.contract_number)
        else:
            await contracts.upsert_issued(conn, e, certificate_format=certificate_format)
            await contracts.insert_version(conn, e)
        if app is None:
            log.warning("certificate issued for an application unknown here", application_id=str(e.application_id))
        elif await applications.mark_issued_if_complete(conn, e.application_id):
            log.info("application issued", application_id=str(e.application_id))
        log.info(
            "certificate recorded", contract_number=e.contract_number, version=e.version, format=certificate_format
        )


async def on_application_rejected(pool: asyncpg.Pool, event: ApplicationRejected) -> None:
    e = event.data
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER_REJECTED, event.id):
            return
        app = await applications.get_any(conn, e.application_id, for_update=True)
        if app is None:
            raise PoisonMessage(f"application {e.application_id} is unknown")
        if app["status"] != Status.SUBMITTED:
            log.warning("rejection ignored", application_id=str(e.application_id), status=app["status"])
            return
        await applications.mark_rejected(conn, e.application_id, [r.model_dump() for r in e.reasons])
        log.info("application rejected", application_id=str(e.application_id), reasons=len(e.reasons))


async def on_certificate_published(pool: asyncpg.Pool, event: CertificatePublished) -> None:
    e = event.data
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER_PUBLISHED, event.id):
            return
        await corrections.record_publication(conn, e)
        log.info("certificate published", contract_number=e.contract_number, version=e.version)


async def on_certificate_viewed(pool: asyncpg.Pool, event: CertificateViewed) -> None:
    """発注者閲覧: the orderer opened the certificate (keyed by number: it may come before the contract row)."""
    e = event.data
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER_VIEWED, event.id):
            return
        await contracts.record_orderer_view(conn, e.contract_number, e.organisation_name, e.viewed_at)
        log.info("orderer opened the certificate", contract_number=e.contract_number)


async def on_certificate_reviewed(pool: asyncpg.Pool, event: CertificateReviewed) -> None:
    """発注者確認: 確認済（受理） or 差戻し; the latest decision stands."""
    e = event.data
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER_REVIEWED, event.id):
            return
        await contracts.record_orderer_decision(
            conn, e.contract_number, e.organisation_name, e.decision.value, e.version, e.reason, e.decided_at
        )
        log.info("orderer reviewed the certificate", contract_number=e.contract_number, decision=e.decision.value)
