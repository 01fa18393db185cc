"""The end of a guarantee (issuance owns a guarantee's status; application, platform and notifier follow it):

- 期間満了 (expiry): the guarantee covers its 保証期限 to the end of that day; on the next day (JST) the
  surety company's scheduled job marks it expired, once (`certificate.expired.v1`).
- 解約 (cancellation): the contractor asks for it on Net Desk (`cancellation.requested.v1`, application →
  issuance); surety staff approve it (`certificate.cancelled.v1`, with the 解約日 they set) or refuse it with
  a reason the contractor reads (`cancellation.refused.v1`). One request at a time per guarantee.

A guarantee ends once: expired or cancelled, never both, and never again. Nothing issued is changed: every
version stays viewable on both sides, with the status shown beside it. A subscriber keeps the status by
保証契約番号 (a status event may arrive before the certificate itself); a redelivery changes nothing. The
events never carry the 認証キー, a password, or the name of the surety company's staff member."""

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.events.application import Product
from shared.events.envelope import EVENT_TYPE_PREFIX, CloudEvent, EventData

MAX_REASON_TEXT = 200  # the contractor's own words (その他, or a note to the two other reasons)
MAX_REFUSAL = 500  # the surety company's reason for refusing, shown to the contractor


class CancellationReason(StrEnum):
    CONTRACT_TERMINATED = "contract_terminated"  # 契約解除（工事の中止）
    NOT_NEEDED = "not_needed"  # 保証が不要になった
    OTHER = "other"  # その他 (reason_text required)


# The labels every side shows (Net Desk, the staff CLI, emails).
CANCELLATION_REASON_LABELS = {
    CancellationReason.CONTRACT_TERMINATED: "契約解除（工事の中止）",
    CancellationReason.NOT_NEEDED: "保証が不要になった",
    CancellationReason.OTHER: "その他",
}
STATUS_LABELS = {"expired": "期間満了", "cancelled": "解約"}


class CertificateExpiredV1(EventData):
    """期間満了: the 保証期限 has passed (the guarantee covers its last day; it expires on the next day, JST)."""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "certificate.expired.v1"

    contract_number: str = Field(max_length=16, description="保証契約番号")
    product: Product
    application_id: UUID = Field(description="the 新規 application (its recipient gets the email)")
    contractor_company_id: UUID
    electronic: bool = Field(description="電子保証; false: a paper original (never on the platform)")
    guarantee_expiry: date = Field(description="保証期限 of the latest version, the last day covered")
    expired_on: date = Field(description="期間満了日: guarantee_expiry + 1 day (also when the job ran later)")
    expired_at: datetime = Field(description="when the surety company recorded it, UTC")


class CancellationRequestedV1(EventData):
    """解約の申込: the contractor asks the surety company to cancel a guarantee (from Net Desk)."""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "cancellation.requested.v1"

    request_id: UUID = Field(description="the request's own id: one request, however often delivered")
    contract_number: str = Field(max_length=16)
    contractor_company_id: UUID
    reason: CancellationReason = Field(description="contract_terminated / not_needed / other")
    reason_text: str | None = Field(
        default=None, max_length=MAX_REASON_TEXT, description="the contractor's words (required for other)"
    )
    requested_by: str = Field(max_length=100, description="the contractor's user who sent it (name or login id)")
    requested_at: datetime


class CertificateCancelledV1(EventData):
    """解約: surety staff approved the contractor's request; the guarantee ends on `cancelled_on`."""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "certificate.cancelled.v1"

    contract_number: str = Field(max_length=16)
    product: Product
    application_id: UUID = Field(description="the 新規 application")
    contractor_company_id: UUID
    electronic: bool
    request_id: UUID = Field(description="the request approved")
    cancelled_on: date = Field(description="解約日 (JST), as the surety company set it")
    cancelled_at: datetime = Field(description="when it was approved, UTC")
    reason: CancellationReason
    reason_text: str | None = Field(default=None, max_length=MAX_REASON_TEXT)


class CancellationRefusedV1(EventData):
    """The surety company did not accept a 解約の申込 (its staff refused it, or the guarantee had already
    ended); `reason` is shown to the contractor, who may ask again."""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "cancellation.refused.v1"

    request_id: UUID
    contract_number: str = Field(max_length=16)
    contractor_company_id: UUID
    reason: str = Field(min_length=1, max_length=MAX_REFUSAL, description="why (Japanese, shown to the contractor)")
    refused_at: datetime


CertificateExpired = CloudEvent[CertificateExpiredV1]
CancellationRequested = CloudEvent[CancellationRequestedV1]
CertificateCancelled = CloudEvent[CertificateCancelledV1]
CancellationRefused = CloudEvent[CancellationRefusedV1]
