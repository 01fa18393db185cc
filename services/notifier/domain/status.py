"""保証期間満了のお知らせ / 解約のお知らせ: the status events the notifier joins with the recipient of the
guarantee's 新規 application (the same decision as the completion email: 希望する with an address)."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

KINDS = ("expired", "cancelled")


@dataclass(frozen=True)
class StatusNotice:
    """From certificate.expired.v1 / certificate.cancelled.v1."""

    contract_number: str
    kind: str  # expired / cancelled
    application_id: UUID  # the 新規 application: its recipient is told
    product: str
    electronic: bool
    ended_on: date  # 期間満了日 / 解約日
    guarantee_expiry: date | None = None  # expired: the 保証期限
