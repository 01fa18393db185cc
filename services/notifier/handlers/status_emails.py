"""certificate.expired.v1 / certificate.cancelled.v1 → 保証期間満了のお知らせ / 解約のお知らせ to the recipient of
the guarantee's 新規 application, where it wanted emails (希望する with an address); else a skip row.

Like the completion email: inbox first, the application locked (the ApplicationSubmitted handler joins
the notices too, whichever arrives first), one decision per (contract_number, kind) in the email outbox,
the email rendered once and sent by the same sender loop. A redelivered event changes nothing.
"""

from typing import Protocol

import asyncpg
import structlog

from services.notifier.adapters import repository
from services.notifier.adapters import status_repository as repo
from services.notifier.domain.model import ComposedEmail, Decision, Recipient, decide
from services.notifier.domain.status import StatusNotice
from shared.db.inbox import first_delivery
from shared.events import CertificateCancelled, CertificateExpired

log = structlog.get_logger()

CONSUMER_EXPIRED = "notifier.certificate-expired"
CONSUMER_CANCELLED = "notifier.certificate-cancelled"


class StatusComposer(Protocol):
    def compose(self, recipient: Recipient, notice: StatusNotice) -> ComposedEmail: ...


async def on_certificate_expired(pool: asyncpg.Pool, event: CertificateExpired, composer: StatusComposer) -> None:
    e = event.data
    notice = StatusNotice(
        contract_number=e.contract_number, kind="expired", application_id=e.application_id, product=str(e.product),
        electronic=e.electronic, ended_on=e.expired_on, guarantee_expiry=e.guarantee_expiry,
    )
    await _record(pool, CONSUMER_EXPIRED, event.id, event.correlationid, notice, composer)


async def on_certificate_cancelled(pool: asyncpg.Pool, event: CertificateCancelled, composer: StatusComposer) -> None:
    e = event.data
    notice = StatusNotice(
        contract_number=e.contract_number, kind="cancelled", application_id=e.application_id, product=str(e.product),
        electronic=e.electronic, ended_on=e.cancelled_on,
    )
    await _record(pool, CONSUMER_CANCELLED, event.id, event.correlationid, notice, composer)


async def _record(pool, consumer: str, event_id: str, correlation_id: str, notice: StatusNotice, composer) -> None:
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, consumer, event_id):
            log.info("redelivered event ignored")
            return
        await repository.lock_application(conn, notice.application_id)
        await repo.add_notice(conn, notice, correlation_id)
        await join(conn, notice.application_id, composer)


async def join(conn: asyncpg.Connection, application_id, composer: StatusComposer) -> int:
    """Decide every undecided status notice of the application; returns how many emails were queued."""
    recipient = await repository.get_recipient(conn, application_id)
    if recipient is None:
        return 0  # ApplicationSubmitted not seen yet: its handler joins
    queued = 0
    for notice, correlation_id in await repo.undecided_notices(conn, application_id):
        decision = decide(recipient)
        where = {"contract_number": notice.contract_number, "kind": notice.kind}
        if decision is Decision.SEND:
            email = composer.compose(recipient, notice)
            if await repo.add_pending_email(conn, notice, email, correlation_id):
                queued += 1
                log.info("status email queued", message_id=email.message_id, **where)
        else:
            await repo.add_skipped(conn, notice, decision.value, correlation_id)
            log.info("status email skipped", reason=decision.value, **where)
    if queued:
        await repository.notify_sender(conn)
    return queued
