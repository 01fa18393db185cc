"""Japanese text the contractor reads when an application is rejected (one catalogue, no strings in code)."""

from datetime import date

from shared.japanese import wareki


def long_date(d: date) -> str:
    """2023年4月1日（令和5年4月1日）"""
    return f"{d.year}年{d.month}月{d.day}日（{wareki(d)}）"


def orderer_unknown(code: str, name: str) -> str:
    return f"発注者「{name}」（{code}）は当社の発注者として登録されていません。発注者を選択してください。"


def orderer_no_e_surety(orderer_name: str, label: str, path: str) -> str:
    return (
        f"{orderer_name}は電子保証に対応していません。{label}の保証証書の形式（{path}）は「証書(紙)」を選択してください。"
    )


def not_yet_by_contract_date(orderer_name: str, start: date) -> str:
    return f"{orderer_name}は{long_date(start)}以降に締結する契約から電子保証に対応しています。"


def not_yet_by_tender_notice(orderer_name: str, start: date) -> str:
    return f"{orderer_name}は{long_date(start)}以降に入札公告等をする工事・業務委託から電子保証に対応しています。"


def tender_notice_date_required(orderer_name: str) -> str:
    return f"{orderer_name}の電子保証は入札公告日で判定します。入札公告日を入力してください。"


def branch_unknown(branch: str) -> str:
    return f"申込送信先「{branch}」は当社の営業部・支店にありません。営業部・支店名を選択してください。"


def no_products() -> str:
    return "保証の申込内容がありません。前払金保証・中間前払金保証・契約保証・契約保証予約のいずれかを選択してください。"


def not_yet_by_bid_date(orderer_name: str, start: date) -> str:
    return (
        f"{orderer_name}は{long_date(start)}以降に締結する契約から電子保証に対応しています。"
        "契約保証予約は入札日で判定します。"
    )


def duplicate_product(label: str) -> str:
    return f"{label}が重複して申し込まれています。"


def depository_required(label: str, path: str) -> str:
    return f"{label}には預託金融機関（{path}）の入力が必要です。"


def contract_field_required(field_label: str, path: str) -> str:
    return f"{field_label}（{path}）を入力してください（契約保証予約のみの申込を除き必須です）。"


def bid_field_required(field_label: str, path: str) -> str:
    return f"契約保証予約には{field_label}（{path}）の入力が必要です。"


def rounding(label: str, path: str, orderer_name: str, unit: int, truncated: int) -> str:
    return (
        f"{label}の保証金額（{path}）は{orderer_name}の定めにより{unit:,}円未満を切り捨てた額にしてください"
        f"（例 {truncated:,}円）。"
    )


# 中間前払金保証 against its 前払金保証 (products[i].advance_payment_contract_number).
def parent_required(path: str) -> str:
    return f"中間前払金保証には前払金保証の保証契約番号（{path}）の入力が必要です。"


def parent_not_found(path: str, number: str) -> str:
    return f"前払金保証の保証契約番号（{path}）「{number}」の保証契約が見つかりません。"


def parent_not_advance_payment(path: str, number: str) -> str:
    return f"前払金保証の保証契約番号（{path}）「{number}」は前払金保証ではありません。"


def parent_other_orderer(path: str, number: str) -> str:
    return f"前払金保証の保証契約番号（{path}）「{number}」は発注者が異なります。同じ発注者の前払金保証を指定してください。"


def parent_other_construction(path: str, number: str) -> str:
    return f"前払金保証の保証契約番号（{path}）「{number}」は工事名が異なります。同じ工事の前払金保証を指定してください。"


def intermediate_already_issued(path: str, number: str, existing: str) -> str:
    return f"前払金保証「{number}」（{path}）には中間前払金保証「{existing}」が発行済みです。中間前払金保証は一つの前払金保証に一度だけです。"


def intermediate_ceiling(path: str, percent: str) -> str:
    return f"中間前払金保証金額（{path}）は請負金額の20%以下にしてください（現在 {percent}）。"


def advances_ceiling(path: str, percent: str) -> str:
    return f"前払金と中間前払金の保証金額の合計（{path}）は請負金額の60%以下にしてください（現在 {percent}）。"


# 契約保証 converted from a 契約保証予約 (products[i].bid_bond_contract_number).
def bid_bond_not_found(path: str, number: str) -> str:
    return f"契約保証予約の保証契約番号（{path}）「{number}」の保証契約が見つかりません。"


def not_a_bid_bond(path: str, number: str) -> str:
    return f"契約保証予約の保証契約番号（{path}）「{number}」は契約保証予約ではありません。"


def bid_bond_other_orderer(path: str, number: str) -> str:
    return f"契約保証予約の保証契約番号（{path}）「{number}」は発注者が異なります。同じ発注者の契約保証予約を指定してください。"


def bid_bond_lapsed(path: str, number: str) -> str:
    return f"契約保証予約「{number}」（{path}）は落札できなかったため失効しています。契約保証に移行できません。"


def bid_bond_already_converted(path: str, number: str, converted_to: str) -> str:
    return f"契約保証予約「{number}」（{path}）は契約保証「{converted_to}」に移行済みです。"


# A document that could not be rendered within the time limit (docs/security.md「PDFの作成時間の上限」):
# its name, and what the content does not fit on.
_DOCUMENTS = {"certificate": ("保証証書", "証書"), "key_notice": ("「認証キー」のお知らせ", "書面")}


def document_not_rendered(label: str, document: str) -> str:
    name, paper = _DOCUMENTS[document]
    return (
        f"{label}の{name}を作成できませんでした（記載内容が{paper}に収まりません）。"
        "お手数ですが当社窓口にお問い合わせください。"
    )


# 変更申込 (amendment.*): the issued guarantee it changes, at its latest version.
_FORMATS = {True: "電子保証(認証キーを含む)", False: "証書(紙)"}


def amendment_not_found(path: str, number: str) -> str:
    return f"変更する保証契約の保証契約番号（{path}）「{number}」の保証契約が見つかりません。"


def amendment_other_product(path: str, number: str, label: str, asked: str) -> str:
    return f"保証契約「{number}」（{path}）は{label}です。{asked}の変更申込では変更できません。"


def amendment_bid_bond(path: str, number: str) -> str:
    return f"契約保証予約「{number}」（{path}）は変更できません。落札した場合は入札結果を登録して契約保証に切り替えてください。"


def amendment_bid_bond_lapsed(path: str, number: str) -> str:
    return f"契約保証予約「{number}」（{path}）は落札できなかったため失効しています。変更できません。"


def amendment_bid_bond_converted(path: str, number: str, converted_to: str) -> str:
    return (
        f"契約保証予約「{number}」（{path}）は契約保証「{converted_to}」に移行済みです。"
        f"変更は契約保証「{converted_to}」についてお申し込みください。"
    )


def amendment_outdated(latest_label: str) -> str:
    return (
        f"この保証契約には、変更申込の作成後に{latest_label}が発行されています。"
        "最新の内容から変更申込を作り直してください。"
    )


def amendment_base_unknown(path: str, base_label: str, latest_label: str) -> str:
    return (
        f"変更申込の元になった版（{path}）「{base_label}」はこの保証契約にありません（最新は{latest_label}）。"
        "最新の内容から変更申込を作り直してください。"
    )


def amendment_one_product(label: str) -> str:
    return f"変更申込の保証の申込内容は、変更する保証契約の商品（{label}）一つだけにしてください。"


def amendment_format_fixed(path: str, electronic: bool) -> str:
    name = _FORMATS[electronic]
    return (
        f"この保証契約は「{name}」で発行されています。変更後も同じ形式です。"
        f"保証証書の形式（{path}）は「{name}」を選択してください。"
    )


def amendment_orderer_fixed(path: str) -> str:
    return f"変更申込では発注者（{path}）を変更できません。発注者が異なる場合は、新たに保証をお申し込みください。"


def amendment_link_fixed(path: str, label: str, number: str | None) -> str:
    fixed = f"この保証契約では「{number}」です" if number else f"この保証契約には{label}の保証契約番号がありません"
    return f"変更申込では{label}の保証契約番号（{path}）を変更できません（{fixed}）。"
