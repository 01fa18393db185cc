"""Request and response shapes of the contractor API (they make the OpenAPI page readable).
The application form itself is in form_schema.
"""

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BaseModel, Field, StringConstraints
from pydantic_core import PydanticCustomError

from shared.events.bounds import MAX_YEN
from shared.events import CancellationReason
from shared.request_fields import Text
from services.application.domain import list_cursor

from services.application.entrypoints.form_schema import ApplicationForm  # noqa: F401  (http.py: schemas.ApplicationForm)


class SubmitIn(BaseModel):
    """送信: the company's send password when it has one (without it the application waits, 送信待ち),
    and the acknowledgement of the warnings of 申込確認."""

    send_password: Text(256) | None = Field(default=None, description="送信パスワード（会社に設定がある場合）")
    acknowledge_warnings: bool = Field(default=False, description="注意事項（warnings）を確認した")


class BidResultIn(BaseModel):
    """入札結果 of a 契約保証予約 (入札ボンド)."""

    won: bool = Field(description="落札した (true) / 落札できなかった (false)")
    contract_amount: int | None = Field(default=None, gt=0, le=MAX_YEN, description="請負金額（円）: 落札した場合")
    contract_date: Text(40) | None = Field(default=None, description="請負契約日（20230320 または 2023-03-20）")
    award_date: Text(40) | None = Field(default=None, description="落札日（20230320 または 2023-03-20）")


class LoginIn(BaseModel):
    login_id: Text(64) = Field(description="ログインID")
    password: Text(256) = Field(description="パスワード")


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
    certificate_format: str = Field(description="electronic / paper")
    certificate_format_label: str = Field(description="電子保証 / 証書(紙)")
    published_at: datetime | None = Field(description="電子保証発行日時 (UTC); null until published")
    published_at_jst: str | None = Field(description="2022/11/01 15:00")


class UserRefOut(BaseModel):
    user_id: UUID
    login_id: str
    display_name: str | None


class ApplicationOut(BaseModel):
    id: UUID
    status: str = Field(description="draft / confirmed / awaiting_send (送信待ち) / submitted / issued / rejected")
    status_label: str
    form: dict[str, Any]
    problems: list[ProblemOut] = Field(description="of the last 申込確認")
    ratios: dict[str, RatioOut]
    rejection_reasons: list[RejectionReasonOut]
    certificates: list[CertificateRefOut]
    submitted_at: datetime | None
    correlation_id: str | None
    prepared_by: UserRefOut | None = Field(description="作成者: who prepared it for sending")
    prepared_at: datetime | None
    sent_by: UserRefOut | None = Field(description="送信者: who sent it (with the send password, if any)")
    sent_at: datetime | None
    acknowledged_warnings: list[ProblemOut] = Field(description="注意事項 acknowledged at 送信")
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
    status: str = Field(description="submitted, or awaiting_send (送信待ち) without the send password")
    correlation_id: str | None = Field(description="null while 送信待ち")


def _a_cursor(value: str) -> str:
    try:
        list_cursor.decode(value)
    except list_cursor.InvalidCursor:
        raise PydanticCustomError("cursor_invalid", "not a cursor this API gave") from None
    return value


# ?cursor= of 保証契約一覧: only what X-Next-Cursor said (checked here, so that a bad one is a 422 naming it).
ListCursor = Annotated[str, StringConstraints(max_length=list_cursor.MAX_LENGTH), AfterValidator(_a_cursor)]
NEXT_PAGE_HEADERS = {
    "X-Next-Cursor": {
        "description": "次のページの cursor（最後のページにはない）。?cursor= にそのまま指定する",
        "schema": {"type": "string"},
    },
    "Link": {
        "description": '次のページの URL（RFC 8288, rel="next"; 最後のページにはない）',
        "schema": {"type": "string"},
    },
}


class ContractRowOut(BaseModel):
    """One line of 保証契約一覧."""

    contract_number: str
    product: str
    product_label: str
    certificate_format: str = Field(description="electronic / paper")
    certificate_format_label: str = Field(description="電子保証 / 証書(紙)")
    orderer_name: str
    construction_name: str
    contract_amount: int | None = Field(description="請負金額; null on a 契約保証予約 (before the bid)")
    guaranteed_amount: int
    status: str = Field(
        description="issued, published (on the platform), converted or lapsed (a bid bond), "
        "expired (期間満了) or cancelled (解約)"
    )
    status_label: str = Field(
        description="発行済 / 発行済（電子保証発行済） / 転換済 / 失効 / 期間満了（令和8年4月1日） / 解約（令和8年4月1日）"
    )
    ended_on: date | None = Field(default=None, description="期間満了日 (the day after 保証期限) or 解約日; null in force")
    version_label: str
    issued_at: datetime
    latest_published_at_jst: str | None
    advance_payment_contract_number: str | None = Field(description="中間前払金保証: its 前払金保証")
    bid_bond_contract_number: str | None = Field(description="契約保証: the 契約保証予約 it was converted from")
    converted_application_id: UUID | None = Field(description="契約保証予約 won: the application it became")


class HistoryEntryOut(BaseModel):
    no: int
    version: int
    published_at: datetime
    published_at_jst: str
    label: str = Field(description="新規 / 変更-N")


class VersionOut(BaseModel):
    version: int
    label: str = Field(description="新規 / 変更-N")
    issued_at: datetime
    published_at: datetime | None = Field(description="電子保証発行日時 (UTC); null on paper or before arrival")
    content_digest: str


class OrdererReviewOut(BaseModel):
    organisation_name: str
    first_viewed_at: datetime | None = Field(description="発注者閲覧: when the orderer first opened it")
    decision: str | None = Field(description="accepted (確認済) / returned (差戻し) / null (未確認)")
    decision_label: str
    decision_version: int | None
    decision_reason: str | None
    decided_at: datetime | None


class OrdererRequestOut(BaseModel):
    """A request the orderer started from the certificate (platform events)."""

    request_id: UUID
    kind: str = Field(description="amendment (変更依頼) / release (解除確認)")
    kind_label: str
    version: int = Field(description="the version the orderer was viewing")
    version_label: str
    organisation_name: str = Field(description="the orderer organisation (never a staff member)")
    message: str | None = Field(description="変更依頼: what should change; 解除確認: the note (optional)")
    grounds: list[str] = Field(description="解除確認: construction_completed (工事完成), advance_settled (前払金精算済)")
    ground_labels: list[str]
    requested_at: datetime


class ContractOverviewOut(ContractRowOut):
    """電子保証概要 (a paper certificate has no 認証キー and no history on the platform)."""

    contractor_name: str
    jv_name: str | None
    depository: str | None
    content_digest: str
    auth_key: str | None = Field(description="認証キー, fetched live from issuance; never stored here; null on paper")
    history: list[HistoryEntryOut]
    orderer_review: OrdererReviewOut | None = Field(default=None, description="what the orderer did (platform events)")
    orderer_requests: list[OrdererRequestOut] = Field(
        default_factory=list, description="変更依頼 / 解除確認 the orderer sent on this contract, newest first"
    )
    versions: list[VersionOut] = Field(
        default_factory=list, description="every issued version kept here (the portal's certificate view)"
    )
    cancellation: "CancellationOut | None" = Field(default=None, description="the latest 解約の申込, if any")
    cancellable: bool = Field(default=False, description="a 解約の申込 can be sent now (POST …/cancellation-request)")


class CancellationRequestIn(BaseModel):
    """解約の申込 of a guarantee in force (one at a time). With a company 送信パスワード it is required here
    (the request is not parked like an application: whoever holds the password sends it)."""

    reason: CancellationReason = Field(
        description="contract_terminated（契約解除（工事の中止）） / not_needed（保証が不要になった） / other（その他）"
    )
    # Several lines allowed; the character policy and the 200 characters are the domain's (the pages' too).
    reason_text: str | None = Field(
        default=None, max_length=400, description="解約の理由（詳細）: 200文字以内（改行可）; reason が other の場合は必須"
    )
    send_password: Text(256) | None = Field(default=None, description="送信パスワード（会社に設定がある場合は必須）")


class CancellationOut(BaseModel):
    """A 解約の申込 and what became of it."""

    request_id: UUID
    state: str = Field(description="pending（確認中） / approved（解約済） / refused（お受けできませんでした）")
    state_label: str
    reason: str
    reason_label: str
    reason_text: str | None
    requested_by_name: str
    requested_at: datetime
    refusal_reason: str | None = Field(description="refused: the surety company's reason")
    decided_at: datetime | None


class CancellationRequestOut(CancellationOut):
    contract_number: str


ContractOverviewOut.model_rebuild()
