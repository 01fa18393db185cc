"""Japanese text the contractor reads when an application is rejected (one catalogue, no strings in code)."""

from datetime import date

from shared.japanese import wareki


def long_date(d: date) -> str:
    """2023年4月1日（令和5年4月1日）"""
    return f"{d.year}年{d.month}月{d.day}日（{wareki(d)}）"


def orderer_unknown(code: str, name: str) -> str:
    return f"発注者「{name}」（{code}）は電子保証に対応している発注者として登録されていません。"


def not_yet_by_contract_date(orderer_name: str, start: date) -> str:
    return f"{orderer_name}は{long_date(start)}以降に締結する契約から電子保証に対応しています。"


def not_yet_by_tender_notice(orderer_name: str, start: date) -> str:
    return f"{orderer_name}は{long_date(start)}以降に入札公告等をする工事・業務委託から電子保証に対応しています。"


def tender_notice_date_required(orderer_name: str) -> str:
    return f"{orderer_name}の電子保証は入札公告日で判定します。入札公告日を入力してください。"


def branch_unknown(branch: str) -> str:
    return f"申込送信先「{branch}」は当社の営業部・支店にありません。営業部・支店名を選択してください。"


def no_products() -> str:
    return "保証の申込内容がありません。前払金保証または契約保証を選択してください。"


def paper_not_handled() -> str:
    return "証書（紙）はこの手続きでは発行できません。保証証書の形式に「電子保証（認証キーを含む）」を選択してください。"


def duplicate_product(label: str) -> str:
    return f"{label}が重複して申し込まれています。"


def depository_required() -> str:
    return "前払金保証には預託金融機関の入力が必要です。"
