"""Events about a guarantee application (保証申込), emitted by the application service."""

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.events.bounds import Count, ThousandYen, Yen
from shared.events.envelope import EVENT_TYPE_PREFIX, CloudEvent, EventData


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Product(StrEnum):
    """商品（保証区分）."""

    ADVANCE_PAYMENT = "advance_payment"  # 前払金保証
    CONTRACT_GUARANTEE = "contract_guarantee"  # 契約保証
    # Added after the first release: consumers branch on `product` and ignore values they do not know.
    INTERMEDIATE_ADVANCE_PAYMENT = "intermediate_advance_payment"  # 中間前払金保証
    BID_BOND = "bid_bond"  # 契約保証予約（入札ボンド）


class CertificateFormat(StrEnum):
    """保証証書の形式."""

    ELECTRONIC = "electronic"  # 電子保証(認証キーを含む)
    PAPER = "paper"  # 証書(紙)


class OrderType(StrEnum):
    """受注区分."""

    GENERAL_COMPETITIVE = "一般競争入札"
    DESIGNATED_COMPETITIVE = "指名競争入札"
    NEGOTIATED = "随意契約"
    OTHER = "その他(見積もりあわせ等)"


class ReceiptMethod(StrEnum):
    """受取方法 of a paper certificate."""

    MAIL = "送付"
    COUNTER = "当社窓口"


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
    contract_amount: Yen | None = Field(
        description="請負金額 (円); null only on an application for 契約保証予約 alone (no contract before the bid)"
    )
    period_start: date = Field(description="工期 from")
    period_end: date = Field(description="工期 to")
    contract_date: date | None = Field(
        description="請負契約日; null only on an application for 契約保証予約 alone (no contract before the bid)"
    )
    tender_notice_date: date | None = Field(default=None, description="入札公告日 (some orderers judge e-surety on it)")
    site: str | None = Field(default=None, description="工事場所")
    jv_name: str | None = Field(default=None, description="JV名")
    jv_representative: str | None = Field(default=None, description="JVの代表者 (the company applying for the JV)")


class TenderStatus(_Frozen):
    """入札の状況 (bid amounts in 千円, as the form takes them)."""

    order_type: OrderType = Field(description="受注区分")
    award_date: date = Field(description="落札日")
    rounds: Count | None = Field(default=None, description="入札回数")
    bidders: Count | None = Field(default=None, description="入札参加者数 (社)")
    disqualified: Count | None = Field(default=None, description="失格者数 (社)")
    second_bidder: str | None = Field(default=None, description="二番札入札者")
    second_bid_thousand_yen: ThousandYen | None = Field(default=None, description="二番札金額 (千円)")
    highest_bidder: str | None = Field(default=None, description="最高札入札者")
    highest_bid_thousand_yen: ThousandYen | None = Field(default=None, description="最高札金額 (千円)")
    below_low_bid_price: bool = Field(
        default=False, description="落札額が低入札調査基準価格を下回る (契約保証 ≥ 30%, 前払金 ≤ 20%)"
    )


class Addressee(_Frozen):
    """保証証書送付先."""

    name: str = Field(description="宛名")
    postal_code: str = Field(description="〒 (123-4567)")
    address: str = Field(description="住所")


class PaperDelivery(_Frozen):
    """How a paper certificate (証書(紙)) reaches the contractor."""

    method: ReceiptMethod = Field(description="受取方法")
    desired_date: date | None = Field(default=None, description="受取希望日 (送付)")
    visit_at: datetime | None = Field(default=None, description="来店予定日時 (当社窓口), with its UTC offset")
    addressee: Addressee | None = Field(default=None, description="保証証書送付先 (送付)")


class Contact(_Frozen):
    """連絡先."""

    department: str | None = Field(default=None, description="担当部署")
    title: str | None = Field(default=None, description="役職")
    name: str | None = Field(default=None, description="担当者名")
    phone: str | None = Field(default=None, description="連絡先電話番号")


class ProductRequest(_Frozen):
    """One product of 保証の申込内容."""

    product: Product
    certificate_format: CertificateFormat
    guaranteed_amount: Yen = Field(description="前払金保証金額 / 契約保証金額 (円)")
    fiscal_year_target_amount: Yen | None = Field(default=None, description="今年度対象額 (円), multi-year contracts")
    depository: str | None = Field(default=None, description="預託金融機関 (full-width), 前払金・中間前払金保証")
    fee_payment_method: str = Field(description="保証料支払方法, e.g. 一括納付")
    fee_billing_to: str = Field(description="保証料請求先")
    fee_statement_paper: bool = Field(description="保証料計算書(紙) 希望する")
    # Added after the first release (all optional):
    guarantee_expiry: date | None = Field(
        default=None, description="保証期限; when null, the end of 工期 (multi-year: the fiscal year-end)"
    )
    redeposit: bool | None = Field(default=None, description="再預託利用区分: 利用する (前払金・中間前払金保証)")
    intermediate_advance: bool | None = Field(default=None, description="当該工事の中間前払金の有無 (前払金保証)")
    intermediate_advance_claim_planned: bool | None = Field(
        default=None, description="中間前払金の請求予定 (前払金保証)"
    )
    advance_payment_contract_number: str | None = Field(
        default=None, description="中間前払金保証: the 保証契約番号 of the 前払金保証 of the same contract"
    )
    bid_bond_contract_number: str | None = Field(
        default=None, description="契約保証: the 契約保証予約 (入札ボンド) it converts, when won"
    )
    bid_date: date | None = Field(default=None, description="入札日 (契約保証予約)")
    bid_amount: Yen | None = Field(default=None, description="入札金額 (円, 契約保証予約): the basis of its amount")


class Notification(_Frozen):
    """電子保証発行完了のお知らせ."""

    wanted: bool
    email: str | None = None


class AmendmentKind(StrEnum):
    """What a 変更申込 changes (derived from the new figures against the version it was prepared from)."""

    AMOUNT_INCREASE = "amount_increase"  # 保証金額の増額
    AMOUNT_DECREASE = "amount_decrease"  # 保証金額の減額
    EXPIRY_CHANGE = "expiry_change"  # 保証期限・工期の変更
    CONTENT_CHANGE = "content_change"  # 工事名など記載内容の変更（発注者の了解済み）


class Amendment(_Frozen):
    """変更申込: this application changes an issued guarantee (a new version, 変更-N, of the same
    保証契約番号 and 認証キー) instead of asking for a new one."""

    contract_number: str = Field(description="保証契約番号 of the guarantee changed")
    base_version: int = Field(ge=0, description="the version the change was prepared from (0 = 新規); issuance refuses the change when a later version exists")
    kinds: list[AmendmentKind] = Field(min_length=1, description="what changes")


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
    # Added after the first release (all optional):
    tender: TenderStatus | None = Field(default=None, description="入札の状況")
    paper_delivery: PaperDelivery | None = Field(
        default=None, description="受取方法 and 保証証書送付先, when a product is on paper (証書(紙))"
    )
    contact: Contact | None = Field(default=None, description="連絡先")
    message_to_company: str | None = Field(default=None, description="お客様から弊社への連絡事項")
    amendment: Amendment | None = Field(
        default=None,
        description="変更申込: `products` then holds exactly the one product of that guarantee, with its new figures",
    )


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


class BidBondLapsedV1(EventData):
    """The contractor reported a lost bid: the 契約保証予約 (入札ボンド) lapses and can no longer be
    converted into a 契約保証. (A won bid needs no event of its own: the 契約保証 application that
    converts the bond names it in `bid_bond_contract_number`.)"""

    event_type: ClassVar[str] = EVENT_TYPE_PREFIX + "bid_bond.lapsed.v1"

    contract_number: str = Field(description="保証契約番号 of the 契約保証予約 (…Y)")
    contractor_company_id: UUID
    lapsed_at: datetime


ApplicationSubmitted = CloudEvent[ApplicationSubmittedV1]
BidBondLapsed = CloudEvent[BidBondLapsedV1]
ApplicationRejected = CloudEvent[ApplicationRejectedV1]
