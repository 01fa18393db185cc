"""The MIME message of a stored email: UTF-8 (never ISO-2022-JP, which cannot carry ①, 髙, ㈱: FIELD-NOTES),
with Date and the stored Message-ID (aiosmtplib sets neither)."""

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from shared.japanese import JST


def build_message(*, mail_from: str, to: str, subject: str, body: str, message_id: str, now: datetime | None = None) -> EmailMessage:
    message = EmailMessage()  # policy=email.policy.default: RFC 2047 UTF-8 headers, UTF-8 body
    message["From"] = mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime((now or datetime.now(JST)).astimezone(JST))
    message["Message-ID"] = message_id
    # base64: safe through any relay, whether or not it speaks 8BITMIME.
    message.set_content(body, subtype="plain", charset="utf-8", cte="base64")
    return message
