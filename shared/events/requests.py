"""Requests the orderer starts from the certificate it holds (platform → contractor and surety company),
as NeSL and Guarantee Vault let the beneficiary act: 変更依頼 (it asks for an amendment, saying what should
change) and 解除確認 (it confirms that the guarantee may be released: 工事完成 and/or 前払金精算済). Like the
review events they name the organisation, never the staff member, and never carry the 認証キー.

Each request is its own fact (`request_id`): a subscriber keeps every request once, newest first by
`requested_at`; a redelivered event, or a copy with the same `request_id`, changes nothing."""

from datetime import datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import Field, field_validator

from shared.events.envelope import EVENT_TYPE_PREFIX, CloudEvent, EventData

MAX_REQUEST_TEXT = 500


class ReleaseGround(StrEnum):
    CONSTRUCTION_COMPLETED = "construction_completed"  # 工事完成
    ADVANCE_SETTLED = "advance_settled"  # 前払金精算済 (前払金保証・中間前払金保証 only)


# The labels every side shows (Net Desk, D-Sure, the surety staff's listing).
REQUEST_KIND_LABELS = {"amendment": "変更依頼", "release": "解除確認"}
RELEASE_GROUND_LABELS = {
    ReleaseGround.CONSTRUCTION_COMPLETED: "工事完成",
    ReleaseGround.ADVANCE_SETTLED: "前払金精算済",
}


class AmendmentRequestedV1(EventData):
    """変更依頼: the orderer asks the contractor (and tells the surety company) that the guarantee be changed."""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "amendment.requested.v1"

    request_id: UUID = Field(description="the request's own id: one request, however often delivered")
    contract_number: str = Field(max_length=16, description="保証契約番号")
    version: int = Field(ge=0, description="the version the orderer was viewing (0 = 新規, N = 変更-N)")
    organisation_code: str = Field(max_length=64, description="the orderer's registry code, e.g. kawasaki-city")
    organisation_name: str = Field(max_length=200, description="e.g. 川崎市")
    message: str = Field(min_length=1, max_length=MAX_REQUEST_TEXT, description="what should change (変更してほしい内容)")
    requested_at: datetime = Field(description="when the orderer sent it, UTC")


class ReleaseRequestedV1(EventData):
    """解除確認: the orderer confirms that the guarantee may be released, on one or both grounds."""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "release.requested.v1"

    request_id: UUID = Field(description="the request's own id: one request, however often delivered")
    contract_number: str = Field(max_length=16, description="保証契約番号")
    version: int = Field(ge=0, description="the version the orderer was viewing (0 = 新規, N = 変更-N)")
    organisation_code: str = Field(max_length=64)
    organisation_name: str = Field(max_length=200)
    grounds: list[ReleaseGround] = Field(
        min_length=1, max_length=2, description="construction_completed (工事完成), advance_settled (前払金精算済)"
    )
    note: str | None = Field(default=None, max_length=MAX_REQUEST_TEXT, description="備考 (optional)")
    requested_at: datetime = Field(description="when the orderer sent it, UTC")

    @field_validator("grounds")
    @classmethod
    def _each_ground_once(cls, grounds: list[ReleaseGround]) -> list[ReleaseGround]:
        if len(set(grounds)) != len(grounds):
            raise ValueError("each ground at most once")
        return grounds


AmendmentRequested = CloudEvent[AmendmentRequestedV1]
ReleaseRequested = CloudEvent[ReleaseRequestedV1]
