"""The email sender loop: claim due emails under a lease, send each over SMTP, settle it while holding the lease.

Woken by NOTIFY on `email_outbox`, with a timed poll for lost notifications and for retries that
come due. If the process dies after the SMTP server accepted a message but before it was marked
sent, the lease runs out and the message is sent again with the same Message-ID (at-least-once).
"""

import asyncio
import uuid
from dataclasses import dataclass
from typing import Protocol

import asyncpg
import structlog

from services.notifier.adapters import email_outbox
from services.notifier.adapters.metrics import record_email_outcome
from services.notifier.adapters.mime import build_message
from services.notifier.adapters.repository import NOTIFY_CHANNEL
from services.notifier.adapters.smtp import SendFailed
from services.notifier.domain.delivery import Outcome, backoff_seconds, gave_up
from shared.db.notified_loop import NotifiedLoop

log = structlog.get_logger()


class Mailer(Protocol):
    async def send(self, message, *, sender: str, recipient: str) -> str: ...


@dataclass(frozen=True)
class SenderPolicy:
    mail_from: str  # the From header, display name included
    envelope_from: str  # the bare address for MAIL FROM
    poll_interval: float = 5.0
    batch_size: int = 10
    lease_seconds: float = 120.0
    retry_base_seconds: float = 30.0
    retry_max_seconds: float = 1800.0
    max_attempts: int = 60


class EmailSender(NotifiedLoop):
    name = "email-sender"

    def __init__(self, pool: asyncpg.Pool, mailer: Mailer, policy: SenderPolicy) -> None:
        super().__init__(pool, channel=NOTIFY_CHANNEL, batch_size=policy.batch_size, poll_interval=policy.poll_interval)
        self._mailer = mailer
        self._policy = policy

    async def run_once(self) -> int:
        return await self.send_once()

    async def send_once(self) -> int:
        """Claim one batch of due emails and attempt each; returns how many were attempted."""
        lease = uuid.uuid4()
        claimed = await email_outbox.claim_due(
            self._pool, lease, lease_seconds=self._policy.lease_seconds, limit=self._policy.batch_size
        )
        results = await asyncio.gather(*(self._attempt(email, lease) for email in claimed), return_exceptions=True)
        for email, result in zip(claimed, results, strict=True):
            if isinstance(result, BaseException):  # e.g. the database went away while settling: lease expiry retries
                log.error("email attempt could not be settled", email_id=str(email.id), error=repr(result))
        return len(claimed)

    async def _attempt(self, email: email_outbox.ClaimedEmail, lease: uuid.UUID) -> None:
        p = self._policy
        where = {
            "email_id": str(email.id),
            "contract_number": email.contract_number,
            "version": email.version,
            "message_id": email.message_id,
            "correlation_id": email.correlation_id,
            "attempt": email.attempts,
        }
        message = build_message(
            mail_from=p.mail_from, to=email.recipient, subject=email.subject, body=email.body, message_id=email.message_id
        )
        try:
            reply = await self._mailer.send(message, sender=p.envelope_from, recipient=email.recipient)
        except SendFailed as exc:
            if exc.outcome is Outcome.FAIL or gave_up(email.attempts, p.max_attempts):
                await email_outbox.mark_failed(self._pool, email.id, lease, str(exc))
                record_email_outcome("failed")
                log.error("completion email FAILED permanently; it will not be sent", error=str(exc), **where)
            else:
                delay = backoff_seconds(email.attempts, base=p.retry_base_seconds, cap=p.retry_max_seconds)
                await email_outbox.mark_retry(self._pool, email.id, lease, str(exc), delay)
                record_email_outcome("deferred")
                log.warning("completion email deferred; will retry", error=str(exc), retry_in_seconds=delay, **where)
            return
        except Exception as exc:  # a bug or an unexpected library error: keep the row, retry later
            delay = backoff_seconds(email.attempts, base=p.retry_base_seconds, cap=p.retry_max_seconds)
            await email_outbox.mark_retry(self._pool, email.id, lease, repr(exc), delay)
            record_email_outcome("deferred")
            log.exception("completion email attempt crashed; will retry", retry_in_seconds=delay, **where)
            return
        record_email_outcome("sent")  # the SMTP server accepted it, whether or not the lease still holds
        if await email_outbox.mark_sent(self._pool, email.id, lease, reply):
            log.info("completion email sent", smtp_reply=reply, **where)
        else:
            log.warning("completion email sent but the lease was lost; it may be sent twice", **where)
