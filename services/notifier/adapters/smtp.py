"""Sends one message with aiosmtplib and tells the sender loop what the SMTP answer means."""

import asyncio
from dataclasses import dataclass
from email.message import EmailMessage

import aiosmtplib

from services.notifier.domain.delivery import Outcome, outcome_for_code


class SendFailed(Exception):
    """An attempt that did not hand the message over; `outcome` says whether to retry."""

    def __init__(self, outcome: Outcome, code: int | None, detail: str) -> None:
        super().__init__(f"{code or 'no reply'}: {detail}")
        self.outcome = outcome
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 30.0


class SmtpMailer:
    def __init__(self, config: SmtpConfig) -> None:
        self._config = config

    async def send(self, message: EmailMessage, *, sender: str, recipient: str) -> str:
        """Returns the server's final reply; raises SendFailed."""
        c = self._config
        try:
            _refused, reply = await aiosmtplib.send(
                message,
                sender=sender,
                recipients=[recipient],
                hostname=c.host,
                port=c.port,
                username=c.username,
                password=c.password,
                start_tls=c.starttls,
                timeout=c.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            # One recipient per message, so this is that recipient's refusal (e.g. 550 no such user).
            first = exc.recipients[0]
            raise SendFailed(outcome_for_code(first.code), first.code, first.message) from exc
        except aiosmtplib.SMTPAuthenticationError as exc:
            # Wrong credentials are the operator's to fix, not the message's fault: keep it and retry.
            raise SendFailed(Outcome.RETRY, exc.code, f"authentication failed: {exc.message}") from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise SendFailed(outcome_for_code(exc.code), exc.code, exc.message) from exc
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as exc:
            raise SendFailed(Outcome.RETRY, None, repr(exc)) from exc
        return reply
