"""The two halves the notifier joins by application id, and the decision it takes for each publication."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


@dataclass(frozen=True)
class Recipient:
    """From ApplicationSubmitted: 電子保証発行完了のお知らせ (希望する/希望しない) and the address."""

    application_id: UUID
    wanted: bool
    email: str | None
    contractor_name: str
    construction_name: str
    branch: str


@dataclass(frozen=True)
class Publication:
    """From CertificatePublished: one certificate version that arrived on the platform."""

    application_id: UUID
    contract_number: str
    version: int
    version_label: str  # 新規 / 変更-N
    product: str
    published_at: datetime  # 電子保証発行日時 (UTC)
    construction_name: str
    orderer_name: str
    contractor_name: str


class Decision(StrEnum):
    SEND = "send"
    SKIP_NOT_WANTED = "not_wanted"  # 希望しない
    SKIP_NO_ADDRESS = "no_address"  # 希望する without an address: nothing to send to


def decide(recipient: Recipient) -> Decision:
    if not recipient.wanted:
        return Decision.SKIP_NOT_WANTED
    if not (recipient.email and "@" in recipient.email):
        return Decision.SKIP_NO_ADDRESS
    return Decision.SEND


@dataclass(frozen=True)
class ComposedEmail:
    """What is stored in the email outbox: rendered once, so every attempt sends the same message."""

    recipient: str
    subject: str
    body: str
    message_id: str
