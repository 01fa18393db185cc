"""Sends one message with aiosmtplib, step by step so that the caller can record the attempt just before
DATA, and tells the sender loop what the SMTP answer means (retry, fail, or unknown)."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.message import EmailMessage

import aiosmtplib
from aiosmtplib.email import flatten_message

from services.notifier.domain.delivery import Outcome, outcome_for_code


class SendFailed(Exception):
    """An attempt that did not hand the message over; `outcome` says whether to retry. `unknown`: DATA was
    sent and no reply came (timeout, disconnect), so the server may have the message."""

    def __init__(self, outcome: Outcome, code: int | None, detail: str, *, unknown: bool = False) -> None:
        super().__init__(f"{code or 'no reply'}: {detail}")
        self.outcome = outcome
        self.code = code
        self.detail = detail
        self.unknown = unknown


class LeaseLost(Exception):
    """`before_data` said no: another sender owns the email now, so DATA is not sent."""


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
        self._closing: set[asyncio.Task] = set()

    async def send(
        self,
        message: EmailMessage,
        *,
        sender: str,
        recipient: str,
        before_data: Callable[[], Awaitable[bool]] | None = None,
    ) -> str:
        """Returns the server's reply to DATA; raises SendFailed (or LeaseLost, before DATA).

        `before_data` runs after RCPT was accepted and before DATA; it records the attempt. The 250 is
        returned before QUIT, so the caller marks the email sent one round trip sooner (the window in which
        a crash leaves the outcome unknown is DATA → that mark)."""
        c = self._config
        smtp = aiosmtplib.SMTP(
            hostname=c.host, port=c.port, username=c.username, password=c.password, start_tls=c.starttls,
            timeout=c.timeout,
        )
        data_sent = accepted = False
        try:
            await smtp.connect()
            utf8 = not (sender + recipient).isascii()
            await smtp.mail(sender, options=["SMTPUTF8"] if utf8 else None)
            await smtp.rcpt(recipient)
            if before_data is not None and not await before_data():
                raise LeaseLost(recipient)
            data_sent = True
            reply = await smtp.data(flatten_message(message, utf8=utf8, cte_type="7bit"))
            accepted = True
        except aiosmtplib.SMTPRecipientRefused as exc:
            # One recipient per message, so this is that recipient's refusal (e.g. 550 no such user).
            raise SendFailed(outcome_for_code(exc.code), exc.code, exc.message) from exc
        except aiosmtplib.SMTPAuthenticationError as exc:
            # Wrong credentials are the operator's to fix, not the message's fault: keep it and retry.
            raise SendFailed(Outcome.RETRY, exc.code, f"authentication failed: {exc.message}") from exc
        except aiosmtplib.SMTPResponseException as exc:  # a reply, even to DATA: the server did not take it
            raise SendFailed(outcome_for_code(exc.code), exc.code, exc.message) from exc
        except (aiosmtplib.SMTPException, OSError, asyncio.TimeoutError) as exc:
            raise SendFailed(Outcome.RETRY, None, repr(exc), unknown=data_sent) from exc
        finally:
            if not accepted:
                smtp.close()
        self._quit_later(smtp)
        return reply.message

    def _quit_later(self, smtp: aiosmtplib.SMTP) -> None:
        """QUIT after the caller has settled the email; a failed QUIT changes nothing."""

        async def quit() -> None:
            try:
                await smtp.quit()
            except Exception:  # noqa: BLE001 - the message was accepted already
                smtp.close()

        task = asyncio.create_task(quit())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)
