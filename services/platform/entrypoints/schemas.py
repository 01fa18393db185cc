"""Request and response bodies of the orderer HTTP API."""

from datetime import datetime

from pydantic import BaseModel, Field

from shared.events import CertificateContent, Product


class LoginRequest(BaseModel):
    login_id: str = Field(max_length=200, description="利用者ID")
    password: str = Field(max_length=1000)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"


class LookupRequest(BaseModel):
    contract_number: str = Field(max_length=64, description="保証契約番号, e.g. 35072-00001M")
    auth_key: str = Field(max_length=256, description="認証キー")
    version: int | None = Field(default=None, ge=0, description="0 = 新規, N = 変更-N; the latest when omitted")


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


class ErrorResponse(BaseModel):
    detail: str
