"""Events about a certificate (電子証書): issued by issuance, published (arrived) on the platform.

The 認証キー never travels on the bus: only its Argon2 hash does, which the platform verifies against.
"""

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.events.application import Product
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

    title: str = Field(description="保証証書（前払金保証） / 保証証書（契約保証）")
    product: Product
    contract_number: str = Field(description="保証契約番号 DDDDD-DDDDDL")
    version: int = Field(description="0 = 新規, N = 変更-N")
    certificate_date: date = Field(description="証書の日付")
    contractor: Party = Field(description="保証契約者 (address + name)")
    obligee: Party = Field(description="被保証者 (the orderer)")
    obligee_code: str
    guaranteed_amount: int = Field(description="保証金額（総額） 円")
    guarantee_expiry: date = Field(description="保証期限")
    construction_name: str = Field(description="工事名")
    contract_amount: int = Field(description="請負金額（総額） 円")
    period_start: date
    period_end: date
    contract_date: date = Field(description="請負契約日")
    depository: str | None = Field(default=None, description="預託金融機関")
    jv_name: str | None = None
    clause: str = Field(description="約款, e.g. 前払金保証約款")
    issuer: Issuer
    electronic: bool = Field(default=True, description="電子的な取扱 (no paper certificate)")


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
    auth_key_hash: str = Field(description="Argon2id hash of the 認証キー (never the key)")


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


CertificateIssued = CloudEvent[CertificateIssuedV1]
CertificatePublished = CloudEvent[CertificatePublishedV1]
