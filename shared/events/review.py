"""Events of the orderer's side (platform → contractor): the orderer organisation first opened a
certificate (発注者閲覧), and it recorded its decision on a version it opened — 確認済（受理） or 差戻し with
a reason. They never carry the 認証キー nor the staff member's name, only the organisation."""

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from shared.events.envelope import EVENT_TYPE_PREFIX, CloudEvent, EventData

MAX_REASON = 500


class ReviewDecision(StrEnum):
    ACCEPTED = "accepted"  # 確認済（受理）
    RETURNED = "returned"  # 差戻し


class CertificateViewedV1(EventData):
    """The orderer organisation opened this certificate with its 保証契約番号 and 認証キー for the first time."""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "certificate.viewed.v1"

    contract_number: str = Field(max_length=16, description="保証契約番号")
    version: int = Field(ge=0, description="the version opened (0 = 新規)")
    organisation_code: str = Field(max_length=64, description="the orderer's registry code, e.g. kawasaki-city")
    organisation_name: str = Field(max_length=200, description="e.g. 川崎市")
    viewed_at: datetime = Field(description="発注者閲覧: the first opening, UTC")


class CertificateReviewedV1(EventData):
    """The orderer recorded its decision on a version it opened. The latest `decided_at` is the one that
    stands; a redelivered event changes nothing."""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "certificate.reviewed.v1"

    contract_number: str = Field(max_length=16)
    version: int = Field(ge=0, description="the version decided on")
    organisation_code: str = Field(max_length=64)
    organisation_name: str = Field(max_length=200)
    decision: ReviewDecision = Field(description="accepted (確認済・受理) / returned (差戻し)")
    reason: str | None = Field(default=None, max_length=MAX_REASON, description="差戻しの理由 (required when returned)")
    decided_at: datetime


CertificateViewed = CloudEvent[CertificateViewedV1]
CertificateReviewed = CloudEvent[CertificateReviewedV1]
