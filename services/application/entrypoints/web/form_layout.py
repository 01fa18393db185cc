"""The 申込作成 page's sections and fields, in the order and grouping of Net Desk's form (seeds).

Field names are the JSON API's form paths (contract.construction_name); labels come from the one
catalogue (domain/messages.LABELS); the rules stay in domain/validation. What is here is only how a
field is shown: its kind, width, options, whether the form marks it 必須, and its help text (?).
"""

from dataclasses import dataclass, field, replace

from services.application.domain import amendment, choices, limits
from services.application.domain.messages import label

FORMATS = (("electronic", "電子保証（認証キーを含む）"), ("paper", "証書（紙）"))
WANTED = tuple((k, k) for k in choices.WANTED)
PRESENCE = tuple((k, k) for k in choices.PRESENCE)
REDEPOSIT = (("利用しない", "再預託を利用しない"), ("利用する", "再預託を利用する"))
ORDER_TYPES = tuple((k, k) for k in choices.ORDER_TYPES)
RECEIPT_METHODS = tuple((k, k) for k in choices.RECEIPT_METHODS)


@dataclass(frozen=True)
class Field:
    name: str  # the form path
    kind: str  # text, amount, date, datetime, radio, checkbox, email, tel, textarea, select, number
    required: bool = False  # marked 必須 on the form
    hint: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    width: str = "m"
    suffix: str | None = None
    ratio: str | None = None  # key of the ratio shown beside this amount (validation.ratios)
    ratio_against: tuple[str, ...] = ()  # inputs the live ratio divides by, the first one filled
    paper_only: bool = False
    # 変更申込: kept as the draft was started (never read from the posted page), shown read-only.
    fixed: bool = False
    displayed: bool = True  # False: kept without being shown (a 変更申込's product checkbox)

    @property
    def id(self) -> str:
        return self.name.replace(".", "-")

    @property
    def label(self) -> str:
        return label(self.name)

    @property
    def ratio_against_labels(self) -> tuple[str, ...]:
        """The label of each input the ratio may divide by (今年度対象額, 請負金額, 入札金額)."""
        return tuple(label(i.replace("-", ".")) for i in self.ratio_against)

    @property
    def maxlength(self) -> int:
        """The browser stops typing here; the handler refuses more anyway (domain/limits)."""
        return limits.max_length(self.name)


@dataclass(frozen=True)
class Section:
    key: str  # the form's section (contract, advance_payment, …) and the target of …をクリア
    title: str
    fields: tuple[Field, ...]
    product: bool = False  # a 保証の申込内容 section, with its apply checkbox first
    note: str | None = None
    groups: tuple[tuple[str, tuple[Field, ...]], ...] = field(default=())  # sub-headings (インフォメーション)
    clearable: bool = True  # has a …をクリア button

    @property
    def all_fields(self) -> tuple[Field, ...]:
        return self.fields + tuple(f for _, fs in self.groups for f in fs)


def _date(name: str, required: bool = False, hint: str = "例）20230320 または 2023/03/20") -> Field:
    return Field(name, "date", required, hint, width="s")


def _amount(name: str, required: bool = False, hint: str | None = None, **kw) -> Field:
    return Field(name, "amount", required, hint or "例）20,000,000（半角・全角の数字、カンマ可）", width="m", suffix="円", **kw)


def _fees(s: str, fee: str) -> tuple[Field, ...]:
    return (
        Field(f"{s}.fee_payment_method", "text", True, f"{fee}の支払方法。例）一括納付", width="m"),
        Field(f"{s}.fee_billing_to", "text", True, f"{fee}の請求先。例）本社", width="l"),
        Field(f"{s}.fee_statement_paper", "radio", True,
              "保証料計算書は手続き完了後、保証料計算書一覧からも確認できます。", WANTED),
    )


def _format(s: str) -> Field:
    return Field(f"{s}.certificate_format", "radio", True,
                 "電子保証は、発注者が電子保証に対応している場合に選択できます。", FORMATS)


def _depository(s: str) -> tuple[Field, ...]:
    return (
        Field(f"{s}.depository", "text", True, "全角で入力してください（半角は全角に変換します）。例）○○銀行　△△支店", width="l"),
        Field(f"{s}.redeposit", "radio", True, None, REDEPOSIT),
    )


CONTRACT = Section(
    "contract",
    "請負工事の情報",
    (
        Field("contract.construction_name", "text", True, "契約書のとおりに入力してください。", width="xl"),
        Field("contract.orderer_code", "select", True, "電子保証の取扱いは発注者ごとに異なります。"),
        Field("contract.orderer_name", "text", True, "保証証書の被保証者として記載されます。例）川崎市長", width="l"),
        _amount("contract.contract_amount", True, "契約保証予約だけの申込では入力不要です。例）50,000,000"),
        _date("contract.period_start", True),
        _date("contract.period_end", True),
        _date("contract.contract_date", True, "契約保証予約だけの申込では入力不要です。例）20230320"),
        _date("contract.tender_notice_date", False, "入札公告日で電子保証の取扱いを判定する発注者では必須です。"),
        Field("contract.site", "text", False, None, width="xl"),
        Field("contract.jv_name", "text", False, "共同企業体（JV）の場合に入力します。", width="l"),
        Field("contract.jv_representative", "text", False, "JV名を入力した場合は必須です。JVの場合は代表者が申し込みます。", width="l"),
    ),
)

ADVANCE_PAYMENT = Section(
    "advance_payment",
    "前払金保証",
    (
        Field("advance_payment.apply", "checkbox"),
        _format("advance_payment"),
        _amount("advance_payment.fiscal_year_target_amount", False, "複数年度の工事の場合、出来高予定額または支払限度額。"),
        _amount("advance_payment.guaranteed_amount", True, ratio="advance_payment",
                ratio_against=("advance_payment-fiscal_year_target_amount", "contract-contract_amount")),
        _date("advance_payment.guarantee_expiry", False, "省略すると工期の終了日（複数年度は年度末）になります。"),
        *_depository("advance_payment"),
        *_fees("advance_payment", "前払金保証料"),
        Field("advance_payment.intermediate_advance", "radio", False, None, PRESENCE),
        Field("advance_payment.intermediate_advance_claim_planned", "radio", False,
              "「あり」の場合、全体トップでお勧めします。", PRESENCE),
    ),
    product=True,
)

INTERMEDIATE = Section(
    "intermediate_advance_payment",
    "中間前払金保証",
    (
        Field("intermediate_advance_payment.apply", "checkbox"),
        _format("intermediate_advance_payment"),
        Field("intermediate_advance_payment.advance_payment_contract_number", "text", True,
              "同じ工事の前払金保証の保証契約番号。例）37071-00000M", width="s"),
        _amount("intermediate_advance_payment.guaranteed_amount", True, ratio="intermediate_advance_payment",
                ratio_against=("contract-contract_amount",)),
        _date("intermediate_advance_payment.guarantee_expiry", False, "省略すると工期の終了日になります。"),
        *_depository("intermediate_advance_payment"),
        *_fees("intermediate_advance_payment", "中間前払金保証料"),
    ),
    product=True,
    note="中間前払金保証は、前払金保証の発行後に単独で申し込みます。",
)

CONTRACT_GUARANTEE = Section(
    "contract_guarantee",
    "契約保証",
    (
        Field("contract_guarantee.apply", "checkbox"),
        _format("contract_guarantee"),
        _amount("contract_guarantee.guaranteed_amount", True, ratio="contract_guarantee",
                ratio_against=("contract-contract_amount",)),
        _date("contract_guarantee.guarantee_expiry", False, "工期の終了日以降。省略すると工期の終了日になります。"),
        *_fees("contract_guarantee", "契約保証料"),
        Field("contract_guarantee.bid_bond_contract_number", "text", False,
              "入札ボンド（契約保証予約）から切り替える場合に設定されます。", width="s"),
    ),
    product=True,
    note="契約保証は前払金保証の特約です。同じ申込で前払金保証も申し込んでください。",
)

BID_BOND = Section(
    "bid_bond",
    "契約保証予約（入札ボンド）",
    (
        Field("bid_bond.apply", "checkbox"),
        _format("bid_bond"),
        _date("bid_bond.bid_date", True),
        _amount("bid_bond.bid_amount", True, "例）48,500,000"),
        _amount("bid_bond.guaranteed_amount", True, "入札金額の10%以上。", ratio="bid_bond",
                ratio_against=("bid_bond-bid_amount",)),
        _date("bid_bond.guarantee_expiry", False, "省略すると工期の開始日になります。"),
        *_fees("bid_bond", "契約保証予約手数料"),
    ),
    product=True,
)

TENDER = Section(
    "tender",
    "入札の状況",
    (
        Field("tender.order_type", "radio", True, None, ORDER_TYPES),
        _date("tender.award_date", True),
        Field("tender.rounds", "number", False, None, width="s", suffix="回"),
        Field("tender.bidders", "number", False, None, width="s", suffix="社"),
        Field("tender.disqualified", "number", False, None, width="s", suffix="社"),
        Field("tender.second_bidder", "text", False, None, width="l"),
        Field("tender.second_bid_thousand_yen", "amount", False, "千円単位で入力します。", width="m", suffix="千円"),
        Field("tender.highest_bidder", "text", False, None, width="l"),
        Field("tender.highest_bid_thousand_yen", "amount", False, "千円単位で入力します。", width="m", suffix="千円"),
        Field("tender.below_low_bid_price", "checkbox", False,
              "低入札調査基準価格を下回る落札では、契約保証は30%以上、前払金は20%以下になります。"),
    ),
    note="発注者によっては入力が必須です。",
)

INFORMATION = Section(
    "information",
    "インフォメーション",
    (),
    groups=(
        ("申込送信先・電子保証発行完了のお知らせ", (
            Field("information.branch", "text", True, "お取引の営業部・支店。例）川崎支店", width="m"),
            Field("information.notification_wanted", "radio", True,
                  "「希望する」場合、弊社手続き完了後にメールでお知らせします（認証キーはメールに記載しません）。", WANTED),
            Field("information.email", "email", False, "「希望する」場合は必須です。", width="l"),
        )),
        ("保証証書（紙）の受取", (
            Field("information.receipt_method", "radio", False, "証書（紙）で申し込む保証がある場合は必須です。",
                  RECEIPT_METHODS, paper_only=True),
            _date("information.receipt_desired_date", False, "受取方法が送付の場合は必須です。"),
            Field("information.visit_at", "datetime", False, "当社窓口の場合は必須です。例）2023-04-10 14:00", width="m"),
            Field("information.addressee.name", "text", False, "送付の場合は必須です。", width="l"),
            Field("information.addressee.postal_code", "tel", False, "例）123-4567", width="s"),
            Field("information.addressee.address", "text", False, None, width="xl"),
        )),
        ("連絡先", (
            Field("information.contact.department", "text", False, None, width="l"),
            Field("information.contact.title", "text", False, None, width="m"),
            Field("information.contact.name", "text", False, None, width="m"),
            Field("information.contact.phone", "tel", False, "例）044-000-0000", width="m"),
        )),
        ("連絡事項", (
            Field("information.message_to_company", "textarea", False, None),
        )),
    ),
)

# The two application forms of the menu: 保証申込（前払・中間・契約） and 契約保証予約申込（入札ボンド）.
GUARANTEE_FORM = (CONTRACT, ADVANCE_PAYMENT, INTERMEDIATE, CONTRACT_GUARANTEE, TENDER, INFORMATION)
# Before the bid there is no contract yet: no 請負金額 nor 請負契約日.
BID_CONTRACT = Section(
    "contract",
    CONTRACT.title,
    tuple(f for f in CONTRACT.fields if f.name not in ("contract.contract_amount", "contract.contract_date")),
)
BID_BOND_FORM = (BID_CONTRACT, BID_BOND, TENDER, INFORMATION)
ALL_SECTIONS = {s.key: s for s in (*GUARANTEE_FORM, BID_BOND)}
BOOLEAN_KINDS = {"checkbox"}




def _fixing(section: Section, fixed: set[str], kept: frozenset[str] = frozenset()) -> Section:
    """The section of a 変更申込: the fields in `fixed` shown read-only, those in `kept` not shown, both kept
    from the draft as it was started; no …をクリア (a cleared 発注者 or 証書の形式 could not be entered again),
    and no note written for a new application."""
    fields = tuple(
        replace(f, fixed=True, displayed=f.name not in kept) if f.name in fixed | kept else f for f in section.fields
    )
    return replace(section, fields=fields, clearable=False, note=None)


# 変更申込: the guarantee's own sections. 発注者 and 証書の形式 stay as issued (domain/amendment refuses a
# change of them anyway), and so do the product's checkbox and the numbers that link it to another guarantee.
AMENDED_CONTRACT = _fixing(CONTRACT, {"contract.orderer_code"})
AMENDED_PRODUCTS = {
    s.key: _fixing(
        s,
        {f"{s.key}.certificate_format", "intermediate_advance_payment.advance_payment_contract_number",
         "contract_guarantee.bid_bond_contract_number"},
        frozenset({f"{s.key}.apply"}),
    )
    for s in (ADVANCE_PAYMENT, INTERMEDIATE, CONTRACT_GUARANTEE)
}


def sections_for(form: dict) -> tuple[Section, ...]:
    """A 変更申込 shows only the sections its draft has (請負工事の情報, its one product, 入札の状況 if the first
    application had it, インフォメーション); a draft with a bid bond section is a 契約保証予約 application; the
    rest use the guarantee form."""
    if amendment.is_amendment(form):
        products = tuple(s for key, s in AMENDED_PRODUCTS.items() if isinstance(form.get(key), dict))
        tender = (TENDER,) if isinstance(form.get("tender"), dict) else ()
        return (AMENDED_CONTRACT, *products, *tender, INFORMATION)
    return BID_BOND_FORM if isinstance(form.get("bid_bond"), dict) else GUARANTEE_FORM


def kind_of(form: dict) -> str:
    return "bid_bond" if sections_for(form) is BID_BOND_FORM else "guarantee"
