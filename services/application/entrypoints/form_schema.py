"""The application form (保証申込) as the API takes it; it makes the OpenAPI page readable.

Every field is optional and untyped on purpose: a draft keeps whatever was entered, valid or not, and
申込確認 (services.application.domain.validation) reports the problems. Unknown keys are dropped.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

_FORMATS = "保証証書の形式: electronic (電子保証(認証キーを含む)) / paper (証書(紙))"
_PRESENCE = "あり / なし"


class _Section(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _f(description: str, example: Any = None) -> Any:
    return Field(default=None, description=description, examples=[example] if example is not None else None)


class ContractSection(_Section):
    """請負工事の情報."""

    construction_name: Any = _f("工事名", "河川維持（○○）工事")
    orderer_code: Any = _f("発注者コード", "kawasaki-city")
    orderer_name: Any = _f("発注者名", "川崎市長")
    contract_amount: Any = _f("請負金額（円, 整数; 契約保証予約だけの申込では不要）", 50000000)
    period_start: Any = _f("工期の開始日（20230401 または 2023-04-01）", "20230401")
    period_end: Any = _f("工期の終了日", "20240329")
    contract_date: Any = _f("請負契約日（契約保証予約だけの申込では不要）", "20230320")
    tender_notice_date: Any = _f("入札公告日（入札公告日で電子保証を判定する発注者では必須）")
    site: Any = _f("工事場所（任意）")
    jv_name: Any = _f("JV名（任意）")
    jv_representative: Any = _f("JVの代表者（JV名を入力した場合は必須）")


class AdvancePaymentSection(_Section):
    """前払金保証."""

    apply: Any = _f("前払金保証を申し込む (true/false)", True)
    certificate_format: Any = _f(_FORMATS, "electronic")
    fiscal_year_target_amount: Any = _f("今年度対象額（円, 複数年度の工事）")
    guaranteed_amount: Any = _f("前払金保証金額（円）", 20000000)
    guarantee_expiry: Any = _f("保証期限（任意; 省略時は工期の終了日、複数年度は年度末）")
    depository: Any = _f("預託金融機関（全角; 半角は全角に変換）", "○○銀行　××支店")
    redeposit: Any = _f("再預託利用区分: 利用しない / 利用する", "利用しない")
    fee_payment_method: Any = _f("前払金保証料支払方法", "一括納付")
    fee_billing_to: Any = _f("前払金保証料請求先", "本社")
    fee_statement_paper: Any = _f("保証料計算書(紙): 希望する / 希望しない", "希望しない")
    intermediate_advance: Any = _f(f"当該工事の中間前払金の有無: {_PRESENCE}")
    intermediate_advance_claim_planned: Any = _f(f"中間前払金の請求予定: {_PRESENCE}")


class IntermediateAdvancePaymentSection(_Section):
    """中間前払金保証 (filed alone, after the 前払金保証 of the same works)."""

    apply: Any = _f("中間前払金保証を申し込む (true/false)", True)
    certificate_format: Any = _f(_FORMATS, "electronic")
    advance_payment_contract_number: Any = _f("前払金保証の保証契約番号", "35072-00001M")
    guaranteed_amount: Any = _f("中間前払金保証金額（円）", 10000000)
    guarantee_expiry: Any = _f("保証期限（任意; 省略時は工期の終了日）")
    depository: Any = _f("預託金融機関（全角; 半角は全角に変換）", "○○銀行　××支店")
    redeposit: Any = _f("再預託利用区分: 利用しない / 利用する", "利用しない")
    fee_payment_method: Any = _f("中間前払金保証料支払方法", "一括納付")
    fee_billing_to: Any = _f("中間前払金保証料請求先", "本社")
    fee_statement_paper: Any = _f("保証料計算書(紙): 希望する / 希望しない", "希望しない")


class ContractGuaranteeSection(_Section):
    """契約保証 (a rider on the 前払金保証 of the same application)."""

    apply: Any = _f("契約保証を申し込む (true/false)", True)
    certificate_format: Any = _f(_FORMATS, "electronic")
    guaranteed_amount: Any = _f("契約保証金額（円）", 5000000)
    guarantee_expiry: Any = _f("保証期限（任意; 工期の終了日以降。省略時は工期の終了日）")
    fee_payment_method: Any = _f("契約保証料支払方法", "一括納付")
    fee_billing_to: Any = _f("契約保証料請求先", "本社")
    fee_statement_paper: Any = _f("保証料計算書(紙): 希望する / 希望しない", "希望しない")
    bid_bond_contract_number: Any = _f("契約保証予約の保証契約番号（落札した入札ボンドからの切替で設定）")


class BidBondSection(_Section):
    """契約保証予約（入札ボンド）(filed alone, before the bid)."""

    apply: Any = _f("契約保証予約を申し込む (true/false)", True)
    certificate_format: Any = _f(_FORMATS, "electronic")
    bid_date: Any = _f("入札日", "20230301")
    bid_amount: Any = _f("入札金額（円）", 48500000)
    guaranteed_amount: Any = _f("契約保証予約金額（円, 入札金額の10%以上）", 4850000)
    guarantee_expiry: Any = _f("保証期限（任意; 省略時は工期の開始日）")
    fee_payment_method: Any = _f("契約保証予約手数料支払方法", "一括納付")
    fee_billing_to: Any = _f("契約保証予約手数料請求先", "本社")
    fee_statement_paper: Any = _f("保証料計算書(紙): 希望する / 希望しない", "希望しない")


class TenderSection(_Section):
    """入札の状況 (required by some orderers)."""

    order_type: Any = _f("受注区分: 一般競争入札 / 指名競争入札 / 随意契約 / その他(見積もりあわせ等)", "一般競争入札")
    award_date: Any = _f("落札日（20230320）", "20230315")
    rounds: Any = _f("入札回数（1以上）", 1)
    bidders: Any = _f("入札参加者数（社）", 5)
    disqualified: Any = _f("失格者数（社）", 0)
    second_bidder: Any = _f("二番札入札者")
    second_bid_thousand_yen: Any = _f("二番札金額（千円）")
    highest_bidder: Any = _f("最高札入札者")
    highest_bid_thousand_yen: Any = _f("最高札金額（千円）")
    below_low_bid_price: Any = _f("低入札調査基準価格を下回る落札 (true/false): 契約保証30%以上・前払金20%以下", False)


class AddresseeSection(_Section):
    """保証証書送付先 (証書(紙)を送付で受け取る場合)."""

    name: Any = _f("宛名")
    postal_code: Any = _f("郵便番号（123-4567）")
    address: Any = _f("住所")


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
    receipt_method: Any = _f("証書(紙)の受取方法: 送付 / 当社窓口（証書(紙)の保証がある場合は必須）")
    receipt_desired_date: Any = _f("受取希望日（送付の場合は必須）")
    visit_at: Any = _f("来店予定日時（当社窓口の場合は必須; 2023-04-10 14:00, オフセットなしは日本時間）")
    addressee: AddresseeSection | None = None
    contact: ContactSection | None = None
    message_to_company: Any = _f("お客様から弊社への連絡事項")


class AmendmentSection(_Section):
    """変更申込: set when the draft is started from a contract (POST /contracts/{number}/amendment-application);
    kept as it is by every later edit."""

    contract_number: Any = _f("変更する保証契約番号", "37071-00000M")
    base_version: Any = _f("変更前の版（0 = 新規, N = 変更-N）: 作成時点の最新版", 0)


class ApplicationForm(_Section):
    """保証申込の入力内容."""
    contract: ContractSection | None = None
    advance_payment: AdvancePaymentSection | None = None
    intermediate_advance_payment: IntermediateAdvancePaymentSection | None = None
    contract_guarantee: ContractGuaranteeSection | None = None
    bid_bond: BidBondSection | None = None
    tender: TenderSection | None = None
    information: InformationSection | None = None
    amendment: AmendmentSection | None = None

    def as_entered(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)
