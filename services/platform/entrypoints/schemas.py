"""Request and response bodies of the orderer HTTP API."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from shared.events import CertificateContent, Product
from shared.events.requests import MAX_REQUEST_TEXT
from shared.request_fields import Text


class LoginRequest(BaseModel):
    login_id: Text(64) = Field(description="利用者ID")
    password: Text(256) = Field(description="パスワード")


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"


class LookupRequest(BaseModel):
    contract_number: Text(64) = Field(description="保証契約番号, e.g. 35072-00001M")
    auth_key: Text(256) = Field(description="認証キー")
    version: int | None = Field(default=None, ge=0, le=9999, description="0 = 新規, N = 変更-N; the latest when omitted")


class VersionEntry(BaseModel):
    no: int = Field(description="No.")
    version: int
    label: str = Field(description="対象: 新規 / 変更-N")
    published_at: datetime = Field(description="電子保証発行日時 (UTC)")
    published_at_jst: str = Field(description="電子保証発行日時 as shown, JST: 2022/11/01 15:00")


class CertificateResponse(BaseModel):
    contract_number: str
    product: Product
    product_label: str
    title: str
    version: int
    version_label: str
    content_digest: str = Field(description="sha256 of the canonical certificate JSON; the contractor sees the same")
    certificate: CertificateContent
    display: dict[str, str | None] = Field(description="the certificate's fields formatted in Japanese")
    versions: list[VersionEntry]
    status: "CertificateStatus | None" = Field(
        default=None, description="期間満了 / 解約 once the guarantee has ended (the certificate is still shown); null in force"
    )


class CertificateStatus(BaseModel):
    status: str = Field(description="expired (期間満了) / cancelled (解約)")
    label: str = Field(description="期間満了（令和8年4月1日） / 解約（令和8年4月1日）")
    ended_on: date = Field(description="期間満了日 (the day after 保証期限) / 解約日")


CertificateResponse.model_rebuild()




class AmendmentRequestIn(BaseModel):
    """変更依頼: what the orderer asks the contractor to change, on one version it holds."""

    version: int = Field(ge=0, le=9999, description="the version the request is about: 0 = 新規, N = 変更-N")
    message: Text(2000) = Field(description=f"変更してほしい内容 (≤ {MAX_REQUEST_TEXT} characters after normalisation)")


class ReleaseRequestIn(BaseModel):
    """解除確認: the guarantee may be released, on these grounds."""

    version: int = Field(ge=0, le=9999, description="the version the confirmation is about")
    grounds: list[Text(32)] = Field(
        max_length=4, description="construction_completed (工事完成) and, for 前払金・中間前払金, advance_settled (前払金精算済)"
    )
    note: Text(2000) = Field(default="", description=f"解除確認の備考 (optional, ≤ {MAX_REQUEST_TEXT} characters)")


class RequestSentOut(BaseModel):
    request_id: str
    kind: str = Field(description="amendment (変更依頼) / release (解除確認)")
