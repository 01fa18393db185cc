"""ApplicationSubmitted and CertificatePublished, joined by application id into one decision per publication.

The two arrive on separate queues in either order. Each handler, in one transaction: inbox first
(a redelivered event changes nothing), lock the application, store its half, then join: for every
publication of the application that has no decision yet, either an email in the outbox (希望する)
or a skip row (希望しない). The email outbox is unique on (contract_number, version): one event, one email.
"""

from typing import Protocol

import asyncpg
import structlog

from services.notifier.adapters import repository
from services.notifier.handlers import status_emails
from services.notifier.domain.model import ComposedEmail, Decision, Publication, Recipient, decide
from shared.db.inbox import first_delivery
from shared.events import ApplicationSubmitted, CertificatePublished

log = structlog.get_logger()

CONSUMER = "notifier"


class Composer(Protocol):
    def compose(self, recipient: Recipient, publication: Publication) -> ComposedEmail: ...


async def application_submitted(
    pool: asyncpg.Pool, event: ApplicationSubmitted, composer: Composer, status_composer=None
) -> None:
    data = event.data
    recipient = Recipient(
        application_id=data.application_id,
        wanted=data.notification.wanted,
        email=data.notification.email,
        contractor_name=data.contractor.name,
        construction_name=data.contract.construction_name,
        branch=data.branch,
    )
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER, event.id):
            log.info("redelivered event ignored")
            return
        await repository.lock_application(conn, recipient.application_id)
        await repository.add_recipient(conn, recipient, event.correlationid)
        await join(conn, recipient.application_id, composer)
        if status_composer is not None:  # 期間満了 / 解約 that arrived before the application (handlers/status_emails)
            await status_emails.join(conn, recipient.application_id, status_composer)


async def certificate_published(pool: asyncpg.Pool, event: CertificatePublished, composer: Composer) -> None:
    data = event.data
    if data.revision > 0:
        # A 訂正 by the surety company: its staff tell the company themselves; the completion email is
        # for a version's issue (新規, 変更-N), once.
        log.info("corrected revision published; no completion email", contract_number=data.contract_number, version=data.version)
        return
    publication = Publication(
        application_id=data.application_id,
        contract_number=data.contract_number,
        version=data.version,
        version_label=data.version_label,
        product=str(data.product),
        published_at=data.published_at,
        construction_name=data.construction_name,
        orderer_name=data.orderer_name,
        contractor_name=data.contractor_name,
    )
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER, event.id):
            log.info("redelivered event ignored")
            return
        await repository.lock_application(conn, publication.application_id)
        await repository.add_publication(conn, publication, event.correlationid)
        await join(conn, publication.application_id, composer)


async def join(conn: asyncpg.Connection, application_id, composer: Composer) -> int:
    """Decide every undecided publication of the application; returns how many emails were queued."""
    recipient = await repository.get_recipient(conn, application_id)
    if recipient is None:
        return 0  # ApplicationSubmitted not seen yet: its handler will join
    queued = 0
    for publication, correlation_id in await repository.undecided_publications(conn, application_id):
        decision = decide(recipient)
        if decision is Decision.SEND:
            email = composer.compose(recipient, publication)
            if await repository.add_pending_email(conn, publication, email, correlation_id):
                queued += 1
                log.info(
                    "completion email queued",
                    contract_number=publication.contract_number,
                    version=publication.version,
                    message_id=email.message_id,
                )
        else:
            await repository.add_skipped(conn, publication, decision.value, correlation_id)
            log_skip = log.warning if decision is Decision.SKIP_NO_ADDRESS else log.info
            log_skip(
                "completion email skipped",
                reason=decision.value,
                contract_number=publication.contract_number,
                version=publication.version,
            )
    if queued:
        await repository.notify_sender(conn)
    return queued
