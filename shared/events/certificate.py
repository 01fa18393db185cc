"""Events about a certificate (電子証書): issued by issuance, published (arrived) on the platform.

The 認証キー never travels on the bus: only its Argon2 hash does, which the platform verifies against.
"""

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.events.application import PaperDelivery, Product
from shared.events.bounds import Yen
from shared.events.envelope import EVENT_TYPE_PREFIX, CloudEvent, EventData


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Party(_Frozen):
    name: str
    address: str | None = None


class IssuerBranch(_Frozen):
    """取扱箇所."""

    name: str
    tel: str
    fax: str


class Issuer(_Frozen):
    """The surety company (保証事業会社) as printed on the certificate."""

    name: str
    address: str
    president: str = Field(description="取締役社長 name")
    branch: IssuerBranch


class CertificateContent(_Frozen):
    """Every field of the 保証証書; both sides see exactly this (content_digest is its SHA-256)."""

    # Fields added after the first release; left out of the content digest while empty, so the digest of
    # a certificate issued before they existed never changes (shared.events.digest).
    ADDED_OPTIONAL: ClassVar[frozenset[str]] = frozenset(
        {"advance_payment_contract_number", "bid_bond_contract_number", "bid_date", "bid_amount"}
    )

    title: str = Field(description="保証証書（前払金保証） / 保証証書（中間前払金保証） / 保証証書（契約保証） / 保証証書（契約保証予約）")
    product: Product
    contract_number: str = Field(description="保証契約番号 DDDDD-DDDDDL")
    version: int = Field(description="0 = 新規, N = 変更-N")
    certificate_date: date = Field(description="証書の日付")
    contractor: Party = Field(description="保証契約者 (address + name)")
    obligee: Party = Field(description="被保証者 (the orderer)")
    obligee_code: str
    guaranteed_amount: Yen = Field(description="保証金額（総額） 円")
    guarantee_expiry: date = Field(description="保証期限")
    construction_name: str = Field(description="工事名")
    contract_amount: Yen | None = Field(description="請負金額（総額） 円; null only on a 契約保証予約 (before the bid)")
    period_start: date
    period_end: date
    contract_date: date | None = Field(description="請負契約日; null only on a 契約保証予約 (before the bid)")
    depository: str | None = Field(default=None, description="預託金融機関")
    jv_name: str | None = None
    clause: str = Field(description="約款, e.g. 前払金保証約款")
    issuer: Issuer
    electronic: bool = Field(default=True, description="電子的な取扱 (no paper certificate); false on a paper original")
    advance_payment_contract_number: str | None = Field(
        default=None, description="中間前払金保証: the 保証契約番号 of its 前払金保証"
    )
    bid_bond_contract_number: str | None = Field(
        default=None, description="契約保証: the 契約保証予約 (入札ボンド) it was converted from"
    )
    bid_date: date | None = Field(default=None, description="入札日 (契約保証予約)")
    bid_amount: Yen | None = Field(default=None, description="入札金額 円 (契約保証予約)")


class CertificateIssuedV1(EventData):
    """The surety company issued a certificate version and posts it to the platform."""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "certificate.issued.v1"

    application_id: UUID
    contractor_company_id: UUID
    contract_number: str
    product: Product
    version: int
    version_label: str = Field(description="新規 / 変更-N")
    issued_at: datetime
    certificate: CertificateContent
    content_digest: str = Field(description="sha256:<hex> of the canonical JSON of `certificate`")
    auth_key_hash: str = Field(
        description="hash of the 認証キー (never the key): hmac-sha256$v1$<key id>$<hex>, or $argon2id$… from before"
    )


class CertificatePublishedV1(EventData):
    """The certificate arrived on the platform; `published_at` is the 電子保証発行日時."""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "certificate.published.v1"

    application_id: UUID
    contract_number: str
    product: Product
    version: int
    version_label: str
    published_at: datetime = Field(description="電子保証発行日時, UTC; shown in JST")
    content_digest: str
    construction_name: str
    orderer_name: str
    contractor_name: str
    # Added after the first release:
    revision: int = Field(
        default=0, ge=0, description="0: the version as issued; N ≥ 1: its N-th 訂正 (certificate.corrected.v1), "
        "which replaces the earlier revision in the history, with its own published_at"
    )


class PaperCertificateIssuedV1(EventData):
    """A certificate was issued on paper (証書(紙)): no platform, no 認証キー. The PDF is the original
    the surety company prints and hands over (送付 or 当社窓口)."""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "certificate.paper_issued.v1"

    application_id: UUID
    contractor_company_id: UUID
    contract_number: str
    product: Product
    version: int
    version_label: str = Field(description="新規 / 変更-N")
    issued_at: datetime
    certificate: CertificateContent = Field(description="with electronic = false")
    content_digest: str
    delivery: PaperDelivery | None = Field(default=None, description="受取方法 and 保証証書送付先")


CertificateIssued = CloudEvent[CertificateIssuedV1]
PaperCertificateIssued = CloudEvent[PaperCertificateIssuedV1]
CertificatePublished = CloudEvent[CertificatePublishedV1]
