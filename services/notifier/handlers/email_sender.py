"""The email sender: EMAIL_CONCURRENCY workers, each claiming ONE due email under a short lease (renewed while
it is sent), recording the attempt just before DATA, and settling the email while holding the lease.

Completion and status emails (期間満了 / 解約) share the outbox and this path. Woken by NOTIFY on
`email_outbox`, with a timed poll for lost notifications and for retries that come due. What a crash costs
(docs/operations-email.md):
- before DATA (connect, MAIL FROM, RCPT): the email is still 'pending'; sent again once the lease runs out;
- between DATA and the mark 'sent' (the server may have stored it): 'sending', the outcome unknown; sent
  again with the same Message-ID only after the quiet period (EMAIL_UNKNOWN_RESEND_AFTER_SECONDS);
- no other email waits for it: each worker holds at most one.
"""

import asyncio
import contextlib
import uuid
from dataclasses import dataclass
from typing import Protocol

import asyncpg
import structlog

from services.notifier.adapters import email_outbox
from services.notifier.adapters.metrics import record_email_outcome
from services.notifier.adapters.mime import build_message
from services.notifier.adapters.repository import NOTIFY_CHANNEL
from services.notifier.adapters.smtp import LeaseLost, SendFailed
from services.notifier.domain.delivery import Outcome, backoff_seconds, gave_up
from shared.db.notified_loop import NotifiedLoop

log = structlog.get_logger()


class Mailer(Protocol):
    async def send(self, message, *, sender: str, recipient: str, before_data=None) -> str: ...


@dataclass(frozen=True)
class SenderPolicy:
    mail_from: str  # the From header, display name included
    envelope_from: str  # the bare address for MAIL FROM
    poll_interval: float = 5.0
    concurrency: int = 4
    lease_seconds: float = 15.0
    unknown_resend_after_seconds: float = 600.0
    stop_drain_seconds: float = 20.0
    retry_base_seconds: float = 30.0
    retry_max_seconds: float = 1800.0
    max_attempts: int = 60


class EmailSender(NotifiedLoop):
    name = "email-sender"

    def __init__(self, pool: asyncpg.Pool, mailer: Mailer, policy: SenderPolicy) -> None:
        super().__init__(
            pool, channel=NOTIFY_CHANNEL, batch_size=1, poll_interval=policy.poll_interval,
            workers=policy.concurrency, drain_seconds=policy.stop_drain_seconds,
        )
        self._mailer = mailer
        self._policy = policy

    async def run_once(self) -> int:
        return await self.send_once()

    async def send_once(self) -> int:
        """Claim one due email and attempt it; returns 1, or 0 when none was due."""
        p = self._policy
        lease = uuid.uuid4()
        email = await email_outbox.claim_one(
            self._pool, lease, lease_seconds=p.lease_seconds, unknown_resend_after=p.unknown_resend_after_seconds
        )
        if email is None:
            return 0
        keeper = asyncio.create_task(self._keep_lease(email.id, lease), name=f"lease-{email.id}")
        try:
            await self._attempt(email, lease)
        except Exception as exc:  # e.g. the database went away while settling: the lease runs out, then a retry
            log.error("email attempt could not be settled", email_id=str(email.id), error=repr(exc))
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
        return 1

    async def _keep_lease(self, email_id: uuid.UUID, lease: uuid.UUID) -> None:
        """Renew at a third of the lease, so a slow server (up to SMTP_TIMEOUT per step) never loses it."""
        while True:
            await asyncio.sleep(self._policy.lease_seconds / 3)
            try:
                if not await email_outbox.renew_lease(self._pool, email_id, lease, self._policy.lease_seconds):
                    return  # settled meanwhile, or re-claimed: the mark before DATA will refuse
            except Exception as exc:  # noqa: BLE001 - a renewal missed; the next one may succeed
                log.warning("email lease not renewed", email_id=str(email_id), error=repr(exc))

    async def _attempt(self, email: email_outbox.ClaimedEmail, lease: uuid.UUID) -> None:
        p = self._policy
        where = {
            "email_id": str(email.id),
            "kind": email.kind,
            "contract_number": email.contract_number,
            "version": email.version,
            "message_id": email.message_id,
            "correlation_id": email.correlation_id,
            "attempt": email.attempts,
        }
        message = build_message(
            mail_from=p.mail_from, to=email.recipient, subject=email.subject, body=email.body, message_id=email.message_id
        )
        data_started = False

        async def before_data() -> bool:
            nonlocal data_started
            data_started = await email_outbox.mark_data_started(self._pool, email.id, lease)
            return data_started

        try:
            reply = await self._mailer.send(
                message, sender=p.envelope_from, recipient=email.recipient, before_data=before_data
            )
        except LeaseLost:
            log.warning("email lease lost before DATA; another sender has it", **where)
            return
        except SendFailed as exc:
            if exc.unknown:
                await email_outbox.mark_unknown(self._pool, email.id, lease, str(exc))
                record_email_outcome("in_doubt")
                log.warning(
                    "email outcome unknown (DATA sent, no reply); sent again with the same Message-ID after the"
                    " quiet period", error=str(exc), resend_after_seconds=p.unknown_resend_after_seconds, **where,
                )
            elif exc.outcome is Outcome.FAIL or gave_up(email.attempts, p.max_attempts):
                await email_outbox.mark_failed(self._pool, email.id, lease, str(exc))
                record_email_outcome("failed")
                log.error("email FAILED permanently; it will not be sent", error=str(exc), **where)
            else:
                delay = backoff_seconds(email.attempts, base=p.retry_base_seconds, cap=p.retry_max_seconds)
                await email_outbox.mark_retry(self._pool, email.id, lease, str(exc), delay)
                record_email_outcome("deferred")
                log.warning("email deferred; will retry", error=str(exc), retry_in_seconds=delay, **where)
            return
        except Exception as exc:  # a bug or an unexpected library error: keep the row
            if data_started:  # it may have reached the server: treat as unknown, never resend at once
                await email_outbox.mark_unknown(self._pool, email.id, lease, repr(exc))
                record_email_outcome("in_doubt")
                log.exception("email attempt crashed after DATA; outcome unknown", **where)
                return
            delay = backoff_seconds(email.attempts, base=p.retry_base_seconds, cap=p.retry_max_seconds)
            await email_outbox.mark_retry(self._pool, email.id, lease, repr(exc), delay)
            record_email_outcome("deferred")
            log.exception("email attempt crashed; will retry", retry_in_seconds=delay, **where)
            return
        record_email_outcome("sent")  # the SMTP server accepted it, whether or not the lease still holds
        if await email_outbox.mark_sent(self._pool, email.id, lease, reply):
            log.info("email sent", smtp_reply=reply, **where)
        else:
            log.warning("email sent but the lease was lost; it may be sent twice", **where)
