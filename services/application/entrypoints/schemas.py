"""Request and response shapes of the contractor API (they make the OpenAPI page readable).

Every form field is optional and untyped on purpose: a draft keeps whatever was entered, valid or
not, and 申込確認 reports the problems. Unknown keys are dropped.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class _Section(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _f(description: str, example: Any = None) -> Any:
    return Field(default=None, description=description, examples=[example] if example is not None else None)


class ContractSection(_Section):
    """請負工事の情報."""

    construction_name: Any = _f("工事名", "河川維持（○○）工事")
    orderer_code: Any = _f("発注者コード", "kawasaki-city")
    orderer_name: Any = _f("発注者名", "川崎市長")
    contract_amount: Any = _f("請負金額（円, 整数）", 50000000)
    period_start: Any = _f("工期の開始日（20230401 または 2023-04-01）", "20230401")
    period_end: Any = _f("工期の終了日", "20240329")
    contract_date: Any = _f("請負契約日", "20230320")
    tender_notice_date: Any = _f("入札公告日（任意）")
    site: Any = _f("工事場所（任意）")
    jv_name: Any = _f("JV名（任意）")


class AdvancePaymentSection(_Section):
    """前払金保証."""

    apply: Any = _f("前払金保証を申し込む (true/false)", True)
    certificate_format: Any = _f("保証証書の形式: electronic (電子保証) / paper (証書(紙), 未対応)", "electronic")
    fiscal_year_target_amount: Any = _f("今年度対象額（円, 任意）")
    guaranteed_amount: Any = _f("前払金保証金額（円）", 20000000)
    depository: Any = _f("預託金融機関（全角; 半角は全角に変換）", "○○銀行　××支店")
    redeposit: Any = _f("再預託利用区分: 利用しない / 利用する", "利用しない")
    fee_payment_method: Any = _f("前払金保証料支払方法", "一括納付")
    fee_billing_to: Any = _f("前払金保証料請求先", "本社")
    fee_statement_paper: Any = _f("保証料計算書(紙): 希望する / 希望しない", "希望しない")


class ContractGuaranteeSection(_Section):
    """契約保証."""

    apply: Any = _f("契約保証を申し込む (true/false)", True)
    certificate_format: Any = _f("保証証書の形式: electronic / paper", "electronic")
    guaranteed_amount: Any = _f("契約保証金額（円）", 5000000)
    fee_payment_method: Any = _f("契約保証料支払方法", "一括納付")
    fee_billing_to: Any = _f("契約保証料請求先", "本社")
    fee_statement_paper: Any = _f("保証料計算書(紙): 希望する / 希望しない", "希望しない")


class ContactSection(_Section):
    """連絡先."""

    department: Any = _f("担当部署")
    title: Any = _f("役職")
    name: Any = _f("担当者名")
    phone: Any = _f("連絡先電話番号")


class InformationSection(_Section):
    """インフォメーション."""

    branch: Any = _f("申込送信先（営業部・支店）", "川崎支店")
    notification_wanted: Any = _f("電子保証発行完了のお知らせ: 希望する / 希望しない", "希望する")
    email: Any = _f("メールアドレス（希望する場合は必須）", "soumu@example.jp")
    contact: ContactSection | None = None
    message_to_company: Any = _f("お客様から弊社への連絡事項")


class ApplicationForm(_Section):
    """保証申込の入力内容."""

    contract: ContractSection | None = None
    advance_payment: AdvancePaymentSection | None = None
    contract_guarantee: ContractGuaranteeSection | None = None
    information: InformationSection | None = None

    def as_entered(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class LoginIn(BaseModel):
    login_id: str
    password: str


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"


class ProblemOut(BaseModel):
    path: str = Field(description="field path in the form, e.g. advance_payment.guaranteed_amount")
    label: str = Field(description="項目名")
    rule: str
    message: str
    severity: str = Field(default="error", description="error (blocks 送信) or warning (acknowledged at 送信)")


class RatioOut(BaseModel):
    percent: str = Field(description="e.g. 40.0%")
    against: str = Field(description="contract_amount or fiscal_year_target_amount")
    against_label: str = Field(description="請負金額 / 今年度対象額")
    amount: int
    against_amount: int


class RejectionReasonOut(BaseModel):
    field: str
    rule: str
    message: str


class CertificateRefOut(BaseModel):
    product: str
    contract_number: str
    version_label: str
    published_at: datetime | None = Field(description="電子保証発行日時 (UTC); null until published")
    published_at_jst: str | None = Field(description="2022/11/01 15:00")


class ApplicationOut(BaseModel):
    id: UUID
    status: str = Field(description="draft / confirmed / submitted / issued / rejected")
    status_label: str
    form: dict[str, Any]
    problems: list[ProblemOut] = Field(description="of the last 申込確認")
    ratios: dict[str, RatioOut]
    rejection_reasons: list[RejectionReasonOut]
    certificates: list[CertificateRefOut]
    submitted_at: datetime | None
    correlation_id: str | None
    created_at: datetime
    updated_at: datetime


class ConfirmationOut(BaseModel):
    id: UUID
    status: str
    ok: bool
    problems: list[ProblemOut]
    ratios: dict[str, RatioOut]


class SubmissionOut(BaseModel):
    id: UUID
    status: str
    correlation_id: str


class ContractRowOut(BaseModel):
    contract_number: str
    product: str
    product_label: str
    orderer_name: str
    construction_name: str
    contract_amount: int
    guaranteed_amount: int
    status: str = Field(description="issued, or published once on the platform")
    version_label: str
    issued_at: datetime
    latest_published_at_jst: str | None


class HistoryEntryOut(BaseModel):
    no: int
    version: int
    published_at: datetime
    published_at_jst: str
    label: str = Field(description="新規 / 変更-N")


class ContractOverviewOut(BaseModel):
    """電子保証概要."""

    contract_number: str
    product: str
    product_label: str
    contractor_name: str
    jv_name: str | None
    construction_name: str
    orderer_name: str
    contract_amount: int
    guaranteed_amount: int
    depository: str | None
    content_digest: str
    version_label: str
    status: str
    auth_key: str = Field(description="認証キー, fetched live from issuance; never stored here")
    history: list[HistoryEntryOut]
