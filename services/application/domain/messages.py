"""The Japanese text the contractor reads: field labels and problem messages, in one catalogue.

A message names the field by its label and its path, e.g.
「前払金保証金額（advance_payment.guaranteed_amount）は請負金額の40%以下にしてください（現在 50.0%）」.
"""

LABELS: dict[str, str] = {
    "contract": "請負工事の情報",
    "advance_payment": "前払金保証",
    "contract_guarantee": "契約保証",
    "information": "インフォメーション",
    "information.contact": "連絡先",
    "contract.construction_name": "工事名",
    "contract.orderer_code": "発注者コード",
    "contract.orderer_name": "発注者名",
    "contract.contract_amount": "請負金額",
    "contract.period_start": "工期の開始日",
    "contract.period_end": "工期の終了日",
    "contract.contract_date": "請負契約日",
    "contract.tender_notice_date": "入札公告日",
    "contract.site": "工事場所",
    "contract.jv_name": "JV名",
    "products": "保証の申込内容",
    "advance_payment.apply": "前払金保証を申し込む",
    "advance_payment.certificate_format": "前払金保証の保証証書の形式",
    "advance_payment.fiscal_year_target_amount": "今年度対象額",
    "advance_payment.guaranteed_amount": "前払金保証金額",
    "advance_payment.depository": "預託金融機関",
    "advance_payment.redeposit": "再預託利用区分",
    "advance_payment.fee_payment_method": "前払金保証料支払方法",
    "advance_payment.fee_billing_to": "前払金保証料請求先",
    "advance_payment.fee_statement_paper": "前払金保証の保証料計算書(紙)",
    "contract_guarantee.apply": "契約保証を申し込む",
    "contract_guarantee.certificate_format": "契約保証の保証証書の形式",
    "contract_guarantee.guaranteed_amount": "契約保証金額",
    "contract_guarantee.fee_payment_method": "契約保証料支払方法",
    "contract_guarantee.fee_billing_to": "契約保証料請求先",
    "contract_guarantee.fee_statement_paper": "契約保証の保証料計算書(紙)",
    "information.branch": "申込送信先",
    "information.notification_wanted": "電子保証発行完了のお知らせ",
    "information.email": "メールアドレス",
    "information.contact.department": "担当部署",
    "information.contact.title": "役職",
    "information.contact.name": "担当者名",
    "information.contact.phone": "連絡先電話番号",
    "information.message_to_company": "お客様から弊社への連絡事項",
}

# Rule name -> message template. `{field}` is 「label（path）」; other placeholders per rule.
MESSAGES: dict[str, str] = {
    "required": "{field}を入力してください",
    "required_choice": "{field}を選択してください",
    "section": "{field}の形式が正しくありません",
    "text": "{field}は文字で入力してください",
    "amount": "{field}は1以上の整数（円）で入力してください（例 20000000）",
    "date": "{field}は日付（例 20230320 または 2023-03-20）で入力してください",
    "choice": "{field}は{choices}のいずれかを選択してください",
    "flag": "{field}はtrueまたはfalseで指定してください",
    "period_order": "{field}は工期の開始日以降の日付にしてください",
    "at_least_one_product": "{field}は前払金保証・契約保証の少なくとも一つを申し込んでください",
    "paper_not_supported": (
        "{field}の証書(紙)は、この申込窓口ではまだ取り扱っていません。電子保証(認証キーを含む)を選択してください"
    ),
    "advance_payment_ceiling": "{field}は{basis}の40%以下にしてください（現在 {percent}）",
    "fiscal_year_target_within_contract": "{field}は請負金額以下にしてください",
    "contract_guarantee_floor": "{field}は請負金額の10%以上にしてください（現在 {percent}）",
    "contract_guarantee_ceiling": "{field}は請負金額以下にしてください（現在 {percent}）",
    "full_width": "{field}は全角で入力してください（全角にできない文字: {chars}）",
    "email": "{field}の形式が正しくありません",
    "email_required": "{field}を入力してください（電子保証発行完了のお知らせを希望する場合は必須です）",
}

# Labels of the bases a ratio is taken against (請負金額 / 今年度対象額).
BASIS_LABELS: dict[str, str] = {
    "contract": "請負工事の情報",
    "advance_payment": "前払金保証",
    "contract_guarantee": "契約保証",
    "information": "インフォメーション",
    "information.contact": "連絡先",
    "contract_amount": "請負金額",
    "fiscal_year_target_amount": "今年度対象額",
}

# Choice values shown in messages.
CHOICE_TEXT: dict[str, str] = {
    "certificate_format": "「電子保証」「証書(紙)」",
    "redeposit": "「利用しない」「利用する」",
    "wanted": "「希望する」「希望しない」",
}


def label(path: str) -> str:
    return LABELS.get(path, path)


def message(rule: str, path: str, **values: str) -> str:
    return MESSAGES[rule].format(field=f"{label(path)}（{path}）", **values)


# HTTP edge texts (details of error responses).
LOGIN_FAILED = "ログインIDまたはパスワードが正しくありません"
LOGIN_REQUIRED = "ログインしてください（Authorization: Bearer <アクセストークン> が必要です）"
SESSION_EXPIRED = "ログインの有効期限が切れました。もう一度ログインしてください"
APPLICATION_NOT_FOUND = "申込が見つかりません"
CONTRACT_NOT_FOUND = "保証契約が見つかりません"
ALREADY_SUBMITTED = "送信済みの申込は変更できません（状態: {status}）"
INVALID_APPLICATION = "申込内容に誤りがあります。problems を確認して修正してください"
# Fields of requests other than the form (shared.request_errors).
REQUEST_LABELS: dict[str, str] = {
    "login_id": "ログインID",
    "password": "パスワード",
    "application_id": "申込ID",
    "product": "保証種類",
    "period_from": "期間（開始）",
    "period_to": "期間（終了）",
    "construction_name": "工事名",
    "contract_number": "保証契約番号",
}
ISSUANCE_UNAVAILABLE = "保証契約の情報を取得できませんでした。しばらくしてから再度お試しください"

STATUS_LABELS: dict[str, str] = {
    "contract": "請負工事の情報",
    "advance_payment": "前払金保証",
    "contract_guarantee": "契約保証",
    "information": "インフォメーション",
    "information.contact": "連絡先",
    "draft": "作成中",
    "confirmed": "確認済",
    "submitted": "送信済",
    "issued": "発行済",
    "rejected": "お引き受けできません",
}
