"""Events about a guarantee application (保証申込), emitted by the application service."""

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.events.envelope import EVENT_TYPE_PREFIX, CloudEvent, EventData


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Product(StrEnum):
    """商品（保証区分）."""

    ADVANCE_PAYMENT = "advance_payment"  # 前払金保証
    CONTRACT_GUARANTEE = "contract_guarantee"  # 契約保証


class CertificateFormat(StrEnum):
    """保証証書の形式."""

    ELECTRONIC = "electronic"  # 電子保証(認証キーを含む)
    PAPER = "paper"  # 証書(紙)


class Contractor(_Frozen):
    """保証契約者 / 請負契約者: the contractor company (a JV applies through its representative)."""

    company_id: UUID
    name: str = Field(description="e.g. ○○建設 株式会社")
    address: str


class ConstructionContract(_Frozen):
    """請負工事の情報."""

    construction_name: str = Field(description="工事名")
    orderer_code: str = Field(description="発注者 code in the orderer registry, e.g. kawasaki-city")
    orderer_name: str = Field(description="発注者名 as on the certificate, e.g. 川崎市長")
    contract_amount: int = Field(description="請負金額 (円)")
    period_start: date = Field(description="工期 from")
    period_end: date = Field(description="工期 to")
    contract_date: date = Field(description="請負契約日")
    tender_notice_date: date | None = Field(default=None, description="入札公告日 (some orderers judge e-surety on it)")
    site: str | None = Field(default=None, description="工事場所")
    jv_name: str | None = Field(default=None, description="JV名")


class ProductRequest(_Frozen):
    """One product of 保証の申込内容."""

    product: Product
    certificate_format: CertificateFormat
    guaranteed_amount: int = Field(description="前払金保証金額 / 契約保証金額 (円)")
    fiscal_year_target_amount: int | None = Field(default=None, description="今年度対象額 (円), multi-year contracts")
    depository: str | None = Field(default=None, description="預託金融機関 (full-width), 前払金保証 only")
    fee_payment_method: str = Field(description="保証料支払方法, e.g. 一括納付")
    fee_billing_to: str = Field(description="保証料請求先")
    fee_statement_paper: bool = Field(description="保証料計算書(紙) 希望する")


class Notification(_Frozen):
    """電子保証発行完了のお知らせ."""

    wanted: bool
    email: str | None = None


class ApplicationSubmittedV1(EventData):
    """A contractor sent a guarantee application (送信完了)."""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "application.submitted.v1"

    application_id: UUID
    submitted_at: datetime
    branch: str = Field(description="申込送信先 (営業部・支店)")
    contractor: Contractor
    contract: ConstructionContract
    products: list[ProductRequest]
    notification: Notification


class RejectionReason(_Frozen):
    field: str = Field(description="path of the field, e.g. contract.orderer_code")
    rule: str = Field(description="machine-readable rule, e.g. orderer_not_e_surety")
    message: str = Field(description="Japanese message for the contractor")


class ApplicationRejectedV1(EventData):
    """The surety company cannot accept the application; the contractor sees why."""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "application.rejected.v1"

    application_id: UUID
    rejected_at: datetime
    reasons: list[RejectionReason]


ApplicationSubmitted = CloudEvent[ApplicationSubmittedV1]
ApplicationRejected = CloudEvent[ApplicationRejectedV1]
