"""What the key notice PDF shows; the certificate PDF shows shared.events.CertificateContent as is."""

from pydantic import BaseModel, ConfigDict, Field

from shared.events import Product

# The platform the certificate is posted to, as the key notice names it (one place, one template variable).
PLATFORM_NAME = "保証確認サービス（D-Sure）"
NEW = "新規"  # the version label of a first issue (versions after it: 変更-1, 変更-2, …)


class KeyNotice(BaseModel):
    """電子保証にかかる「認証キー」のお知らせ."""

    model_config = ConfigDict(frozen=True)

    construction_name: str = Field(description="工事名")
    contractor_name: str = Field(description="受注者名 (JVの場合代表者)")
    product: Product = Field(description="商品（保証区分）")
    contract_number: str = Field(description="保証契約番号")
    auth_key: str = Field(description="認証キー")
    issuer_name: str | None = Field(default=None, description="保証会社名, printed at the foot when given")
    version_label: str = Field(
        default=NEW,
        description="対象: 新規, or 変更-N for the notice of a change (which says so, and that the key is unchanged)",
    )

    @property
    def amended(self) -> bool:
        """The notice of a change (変更-N) of a certificate already issued with this key."""
        return self.version_label != NEW
