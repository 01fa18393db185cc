"""Japanese texts of the service layer and the HTTP edge added with every product and the send password:
labels of the contract list and the application, and the details of error responses.

The form's own labels and rule messages are in domain/messages.py.
"""

from services.application.domain import messages

# 保証契約一覧: the contract's state.
CONTRACT_STATUS_LABELS: dict[str, str] = {
    "issued": "発行済",
    "published": "発行済（電子保証発行済）",
    "converted": "転換済",  # a bid bond won: converted into a 契約保証 application
    "lapsed": "失効",  # a bid bond lost
}

CERTIFICATE_FORMAT_LABELS: dict[str, str] = {"electronic": "電子保証", "paper": "証書(紙)"}

SECTION_LABELS: dict[str, str] = {
    "contract": "請負工事の情報",
    "advance_payment": "前払金保証",
    "intermediate_advance_payment": "中間前払金保証",
    "contract_guarantee": "契約保証",
    "bid_bond": "契約保証予約（入札ボンド）",
    "tender": "入札の状況",
    "information": "インフォメーション",
}

SEND_PASSWORD_WRONG = "送信パスワードが正しくありません"
AWAITING_SEND_NOT_EDITABLE = "送信待ちの申込は変更できません。送信パスワードを入力して送信してください"
WARNINGS_NOT_ACKNOWLEDGED = (
    "確認が必要な注意事項があります。problems の内容を確認のうえ、acknowledge_warnings を true にして送信してください"
)
SECTION_NOT_FOUND = "申込の項目「{section}」はありません（クリアできる項目: {sections}）"
NOT_A_BID_BOND = "契約保証予約（入札ボンド）の保証契約が見つかりません"
NOT_AN_ADVANCE_PAYMENT = "前払金保証の保証契約が見つかりません"
BID_BOND_ALREADY_SETTLED = "この契約保証予約は既に{status}です（入札結果は一度だけ登録できます）"
BID_RESULT_LABELS: dict[str, str] = {
    "won": "落札した",
    "contract_amount": "請負金額",
    "contract_date": "請負契約日",
    "award_date": "落札日",
    "send_password": "送信パスワード",
    "acknowledge_warnings": "注意事項を確認した",
    "section": "申込の項目",
}


def application_status_label(status: str) -> str:
    return messages.STATUS_LABELS.get(status, status)
