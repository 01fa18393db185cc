"""Events of the surety company's own fixes to an issued version (issuance → platform, application):

- 訂正 (correction): an error in an issued version is corrected without a new 変更 number. The corrected
  content is a new *revision* of the same version (same 保証契約番号, same version and 変更-N label, same
  認証キー, a new content digest and new PDFs); the revision it replaces is no longer shown.
- 変更取消 (withdrawal of an amendment): the latest 変更-N is withdrawn; the version before it is in force
  again. Numbers are never reused: the next change is 変更-(N+1).

Neither erases anything: the replaced or withdrawn revision is kept by every service, with its original
arrival time (電子保証発行日時); only the histories stop showing it (「※訂正、変更取消された履歴は表示されません」).
The staff member's name stays with the surety company; the events carry the reason only.
"""

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from shared.events.application import Product
from shared.events.certificate import CertificateContent
from shared.events.envelope import EVENT_TYPE_PREFIX, CloudEvent, EventData

MAX_REASON = 500


class CertificateCorrectedV1(EventData):
    """訂正: a new revision of an issued electronic version replaces the one shown until now."""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "certificate.corrected.v1"

    application_id: UUID = Field(description="the application the corrected version answered")
    contractor_company_id: UUID
    contract_number: str = Field(max_length=16)
    product: Product
    version: int = Field(ge=0, description="the version corrected (0 = 新規, N = 変更-N); unchanged by a 訂正")
    version_label: str = Field(max_length=16, description="新規 / 変更-N")
    revision: int = Field(ge=1, description="1 for the first 訂正 of this version, 2 for the next …")
    replaces_revision: int = Field(ge=0, description="the revision no longer shown (0: as first issued)")
    replaces_digest: str = Field(max_length=80, description="content_digest of the revision replaced")
    corrected_at: datetime
    reason: str = Field(min_length=1, max_length=MAX_REASON, description="why (shown to nobody but staff and subscribers)")
    certificate: CertificateContent = Field(description="the corrected content: same number and version")
    content_digest: str = Field(max_length=80, description="sha256:<hex> of the corrected content")
    auth_key_hash: str = Field(max_length=200, description="hash of the 認証キー (the key is unchanged)")


class AmendmentWithdrawnV1(EventData):
    """変更取消: the latest 変更-N of a guarantee is withdrawn; `current_version` is in force again."""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "certificate.amendment_withdrawn.v1"

    contract_number: str = Field(max_length=16)
    contractor_company_id: UUID
    product: Product
    version: int = Field(ge=1, description="the 変更-N withdrawn (never 新規)")
    version_label: str = Field(max_length=16)
    revision: int = Field(ge=0, description="its revision that was shown")
    current_version: int = Field(ge=0, description="the version in force again (the latest one still shown)")
    withdrawn_at: datetime
    reason: str = Field(min_length=1, max_length=MAX_REASON)


CertificateCorrected = CloudEvent[CertificateCorrectedV1]
AmendmentWithdrawn = CloudEvent[AmendmentWithdrawnV1]
