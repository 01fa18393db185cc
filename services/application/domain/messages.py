"""The Japanese text the contractor reads: field labels and problem messages, in one catalogue.

A message names the field by its label and its path, e.g.
「前払金保証金額（advance_payment.guaranteed_amount）は請負金額の40%以下にしてください（現在 50.0%）」.
"""

from shared.japanese import wait_text


def _product_labels(section: str, name: str, fee: str) -> dict[str, str]:
    """The fields every product section has, labelled the way the form shows them (`fee`: 前払金保証料…;
    the bid bond's is a 手数料)."""
    return {
        section: name,
        f"{section}.apply": f"{name}を申し込む",
        f"{section}.certificate_format": f"{name}の保証証書の形式",
        f"{section}.guaranteed_amount": f"{name}金額",
        f"{section}.guarantee_expiry": f"{name}の保証期限",
        f"{section}.fee_payment_method": f"{fee}支払方法",
        f"{section}.fee_billing_to": f"{fee}請求先",
        f"{section}.fee_statement_paper": f"{name}の保証料計算書(紙)",
    }


LABELS: dict[str, str] = {
    "contract": "請負工事の情報",
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
    "contract.jv_representative": "JVの代表者",
    "products": "保証の申込内容",
    **_product_labels("advance_payment", "前払金保証", "前払金保証料"),
    "advance_payment.fiscal_year_target_amount": "今年度対象額",
    "advance_payment.depository": "預託金融機関",
    "advance_payment.redeposit": "再預託利用区分",
    "advance_payment.intermediate_advance": "当該工事の中間前払金の有無",
    "advance_payment.intermediate_advance_claim_planned": "中間前払金の請求予定",
    **_product_labels("intermediate_advance_payment", "中間前払金保証", "中間前払金保証料"),
    "intermediate_advance_payment.advance_payment_contract_number": "前払金保証の保証契約番号",
    "intermediate_advance_payment.depository": "中間前払金の預託金融機関",
    "intermediate_advance_payment.redeposit": "中間前払金の再預託利用区分",
    **_product_labels("contract_guarantee", "契約保証", "契約保証料"),
    "contract_guarantee.bid_bond_contract_number": "契約保証予約の保証契約番号",
    **_product_labels("bid_bond", "契約保証予約", "契約保証予約手数料"),
    "bid_bond.bid_date": "入札日",
    "bid_bond.bid_amount": "入札金額",
    "tender": "入札の状況",
    "tender.order_type": "受注区分",
    "tender.award_date": "落札日",
    "tender.rounds": "入札回数",
    "tender.bidders": "入札参加者数",
    "tender.disqualified": "失格者数",
    "tender.second_bidder": "二番札入札者",
    "tender.second_bid_thousand_yen": "二番札金額（千円）",
    "tender.highest_bidder": "最高札入札者",
    "tender.highest_bid_thousand_yen": "最高札金額（千円）",
    "tender.below_low_bid_price": "低入札調査基準価格を下回る落札",
    "information": "インフォメーション",
    "information.branch": "申込送信先",
    "information.notification_wanted": "電子保証発行完了のお知らせ",
    "information.email": "メールアドレス",
    "information.receipt_method": "受取方法",
    "information.receipt_desired_date": "受取希望日",
    "information.visit_at": "来店予定日時",
    "information.addressee": "保証証書送付先",
    "information.addressee.name": "保証証書送付先の宛名",
    "information.addressee.postal_code": "保証証書送付先の郵便番号",
    "information.addressee.address": "保証証書送付先の住所",
    "information.contact": "連絡先",
    "information.contact.department": "担当部署",
    "information.contact.title": "役職",
    "information.contact.name": "担当者名",
    "information.contact.phone": "連絡先電話番号",
    "information.message_to_company": "お客様から弊社への連絡事項",
    "amendment": "変更申込",
    "amendment.contract_number": "変更する保証契約番号",
    "amendment.base_version": "変更前の版",
}
LABELS["bid_bond"] = "契約保証予約（入札ボンド）"  # the section's heading; its fields say 契約保証予約

# Rule name -> message template. `{field}` is 「label（path）」; other placeholders per rule.
MESSAGES: dict[str, str] = {
    # values
    "required": "{field}を入力してください",
    "required_choice": "{field}を選択してください",
    "section": "{field}の形式が正しくありません",
    "text": "{field}は文字で入力してください",
    "amount": "{field}は1以上の整数（円）で入力してください（例 20000000）",
    "amount_ceiling": "{field}は{maximum}以下で入力してください",
    "thousand_yen": "{field}は1以上の整数（千円）で入力してください（例 48500）",
    "thousand_yen_ceiling": "{field}は{maximum}千円以下で入力してください",
    "count": "{field}は{minimum}以上{maximum}以下の整数で入力してください",
    "too_long": "{field}は{max_length}文字以内で入力してください（現在 {length}文字）",
    "characters": "{field}に使えない文字が含まれています: {chars}。証書に印字できる文字（JIS の文字）で入力してください",
    "not_storable": "{field}に使えない文字（NUL など）が含まれています",
    "number_too_large": "{field}の数値が大きすぎるか、数値として読めません",
    "scalar": "{field}は文字または数値で入力してください（配列やオブジェクトは使えません）",
    "date": "{field}は日付（例 20230320 または 2023-03-20）で入力してください",
    "datetime": "{field}は日時（例 2023-04-10 14:00）で入力してください",
    "postal_code": "{field}は郵便番号（例 123-4567）で入力してください",
    "contract_number": "{field}は保証契約番号（例 37071-00000M）で入力してください",
    "choice": "{field}は{choices}のいずれかを選択してください",
    "flag": "{field}はtrueまたはfalseで指定してください",
    "full_width": "{field}は全角で入力してください（全角にできない文字: {chars}）",
    "email": "{field}の形式が正しくありません",
    # required because of another answer
    "email_required": "{field}を入力してください（電子保証発行完了のお知らせを希望する場合は必須です）",
    "jv_representative_required": "{field}を入力してください（JV名を入力した場合は必須です）",
    "receipt_method_required": "{field}を選択してください（証書(紙)で申し込む保証がある場合は必須です）",
    "required_for_mail": "{field}を入力してください（受取方法が送付の場合は必須です）",
    "required_for_counter": "{field}を入力してください（受取方法が当社窓口の場合は必須です）",
    "tender_required": "{field}を入力してください（{orderer}への申込では必須です）",
    "tender_notice_date_required": "{field}を入力してください（{orderer}の電子保証は入札公告日で判定します）",
    "intermediate_claim_without_intermediate": "{field}は中間前払金の有無が「なし」の場合は「なし」を選択してください",
    # dates
    "period_order": "{field}は工期の開始日以降の日付にしてください",
    "contract_date_after_period_start": (
        "{field}（{contract_date}）が工期の開始日（{period_start}）より後になっています。日付を確認してください"
    ),
    "award_after_contract_date": "{field}は請負契約日（{contract_date}）以前の日付にしてください",
    "disqualified_over_bidders": "{field}は入札参加者数以下にしてください",
    "expiry_within_period": "{field}は工期内（{period_start}から{period_end}まで）の日付にしてください",
    "expiry_covers_period": "{field}は工期の終了日（{period_end}）以降の日付にしてください",
    "expiry_after_bid_date": "{field}は入札日（{bid_date}）以降の日付にしてください",
    # which products go together
    "at_least_one_product": "{field}は前払金保証・中間前払金保証・契約保証・契約保証予約のいずれかを申し込んでください",
    "intermediate_alone": (
        "{field}は他の保証と同じ申込にはできません。前払金保証の発行後に、中間前払金保証だけで申し込んでください"
    ),
    "bid_bond_alone": "{field}は他の保証と同じ申込にはできません。契約保証予約だけで申し込んでください",
    "contract_guarantee_needs_advance_payment": (
        "{field}は前払金保証の特約です。同じ申込で前払金保証も申し込んでください"
    ),
    # amounts
    "advance_payment_ceiling": "{field}は{basis}の40%以下にしてください（現在 {percent}）",
    "advance_payment_ceiling_low_bid": (
        "{field}は低入札調査基準価格を下回る落札のため{basis}の20%以下にしてください（現在 {percent}）"
    ),
    "fiscal_year_target_within_contract": "{field}は請負金額以下にしてください",
    "contract_guarantee_floor": "{field}は請負金額の10%以上にしてください（現在 {percent}）",
    "contract_guarantee_floor_low_bid": (
        "{field}は低入札調査基準価格を下回る落札のため請負金額の30%以上にしてください（現在 {percent}）"
    ),
    "contract_guarantee_ceiling": "{field}は請負金額以下にしてください（現在 {percent}）",
    "intermediate_ceiling": "{field}は請負金額の20%以下にしてください（現在 {percent}）",
    "advance_total_ceiling": (
        "{field}は前払金保証（{number}）の保証金額 {parent_amount} と合わせて請負金額の60%以下にしてください"
        "（合計 {percent}）"
    ),
    "bid_bond_floor": "{field}は入札金額の10%以上にしてください（現在 {percent}）",
    "bid_bond_ceiling": "{field}は入札金額以下にしてください（現在 {percent}）",
    "rounding": "{field}は{orderer}の定めにより{unit}単位にしてください（端数を切り捨てると {suggested}）",
    # the orderer (発注者) registry
    "orderer_unknown": "{field}の「{code}」は登録されている発注者ではありません。発注者コードを確認してください",
    "advance_payment_above_orderer_ratio": (
        "{field}は{orderer}が通常支払う前払金の割合（{basis}の{usual}）を超えています（現在 {percent}）。"
        "この工事で発注者が認めていることを確認してください"
    ),
    "orderer_unchecked": (
        "{field}の発注者の条件（電子保証の取扱い・保証金額の単位・入札の状況）を確認できませんでした。受付時に確認します"
    ),
    "orderer_no_e_surety": "{field}の電子保証は、{orderer}では取り扱っていません。証書(紙)を選択してください",
    "orderer_e_surety_from_contract_date": (
        "{field}の電子保証は、{orderer}では{start}以降に締結する契約から取り扱えます（請負契約日 {judged}）。"
        "証書(紙)を選択するか、請負契約日を確認してください"
    ),
    "orderer_e_surety_from_tender_notice": (
        "{field}の電子保証は、{orderer}では{start}以降に入札公告等をする工事から取り扱えます（入札公告日 {judged}）。"
        "証書(紙)を選択するか、入札公告日を確認してください"
    ),
    # 変更申込
    "amendment_not_found": "{field}の{number}は、貴社の保証契約に見つかりません",
    "amendment_bid_bond": "{field}の{number}は契約保証予約です。契約保証予約は変更できません（落札後は契約保証に切り替えてください）",
    "amendment_not_in_force": "{field}の{number}は効力がないため変更できません",
    "amendment_expired": "{field}の{number}は{ended_on}に期間満了となったため変更できません",
    "amendment_cancelled": "{field}の{number}は{ended_on}に解約されたため変更できません",
    "amendment_outdated": (
        "{field}の{number}には、この変更申込の作成後に{latest}が発行されています。"
        "保証契約の画面から、最新の内容で変更申込を作り直してください"
    ),
    "amendment_one_product": "{field}は変更する保証（{product}）だけを申し込んでください",
    "amendment_format_fixed": "{field}は変更できません（変更後の保証証書も変更前と同じ形式で発行します）",
    "amendment_orderer_fixed": "{field}は変更できません（発注者が変わる場合は新しい保証の申込になります）",
    "amendment_nothing_changed": "{field}では、{number}の現在の内容から変わる項目がありません",
    "amendment_contract_amount_only": (
        "{field}のみの変更は、この保証契約の効力に影響を及ぼさないので、保証契約変更の手続きをとる必要はありません"
    ),
    # 中間前払金保証 and its 前払金保証
    "parent_not_found": "{field}の{number}は、貴社の前払金保証の保証契約に見つかりません",
    "parent_not_advance_payment": "{field}の{number}は前払金保証ではありません（{product}）",
    "parent_lapsed": "{field}の前払金保証 {number} は失効しています",
    "parent_other_contract": (
        "{field}の前払金保証 {number} は別の工事（工事名「{construction_name}」、発注者コード「{orderer_code}」）の保証です。"
        "同じ発注者・工事名の前払金保証を指定してください"
    ),
    "intermediate_exists": (
        "{field}の前払金保証 {number} には中間前払金保証（{existing}）がすでにあります。"
        "中間前払金保証は一つの前払金保証につき一つです"
    ),
    "intermediate_before_half_period": (
        "{field}は工期の半分が経過する{half}より前の申込です。中間前払金の請求には発注者の認定"
        "（工期の2分の1経過・工事の2分の1以上の進捗）が必要です"
    ),
}

# Labels of the bases a ratio is taken against (請負金額 / 今年度対象額 / 入札金額).
BASIS_LABELS: dict[str, str] = {
    "contract_amount": "請負金額",
    "fiscal_year_target_amount": "今年度対象額",
    "bid_amount": "入札金額",
}

# Choice values shown in messages.
CHOICE_TEXT: dict[str, str] = {
    "certificate_format": "「電子保証」「証書(紙)」",
    "redeposit": "「利用しない」「利用する」",
    "wanted": "「希望する」「希望しない」",
    "presence": "「あり」「なし」",
    "order_type": "「一般競争入札」「指名競争入札」「随意契約」「その他(見積もりあわせ等)」",
    "receipt_method": "「送付」「当社窓口」",
}


def label(path: str) -> str:
    return LABELS.get(path, path)


def message(rule: str, path: str, **values: str) -> str:
    return MESSAGES[rule].format(field=f"{label(path)}（{path}）", **values)


# HTTP edge texts (details of error responses).
LOGIN_FAILED = "ログインIDまたはパスワードが正しくありません"
LOGIN_THROTTLED = "ログインに続けて失敗したため、しばらくログインできません。{wait}後に再度お試しください"
WEB_LOGIN_BLANK = "ログインIDとパスワードを入力してください"
WEB_SESSION_TIMED_OUT = "一定時間操作がなかったため、安全のためログアウトしました。もう一度ログインしてください"
WEB_LOGGED_OUT = "ログアウトしました"
WEB_FORM_EXPIRED = "画面の有効期限が切れたため、送信できませんでした。画面を開き直してから、もう一度操作してください"
WEB_MALFORMED = "入力内容が長すぎるか、形式が正しくありません。画面を開き直して入力してください"
WEB_ACKNOWLEDGE_WARNINGS = "注意事項を確認し、「上記の注意事項を確認しました」にチェックを入れてください"
WEB_SEARCH_DATE = "{label}は日付（例 20230320 または 2023/03/20）で入力してください"
WEB_SEARCH_NUMBER = "保証契約番号は「37071-00000M」の形式で入力してください"
WEB_SEARCH_PERIOD_ORDER = "期間（終了）は期間（開始）以降の日付にしてください"
WEB_BID_RESULT_CHOICE = "入札の結果（落札した／落札できなかった）を選択してください"
WEB_TOO_LARGE = "送信された内容が大きすぎます（256KBまで）。入力内容を短くして、もう一度送信してください"
WEB_PAPER_CERTIFICATE_VIEW = "この保証は証書（紙）で発行しています。保証証書（原本）は送付または当社窓口でお渡しします。本画面はその内容の表示です。"
WEB_NOT_FOUND = "お探しのページは見つかりませんでした。アドレスを確認するか、全体トップからお進みください"
LOGIN_REQUIRED = "ログインしてください（Authorization: Bearer <アクセストークン> が必要です）"
SESSION_EXPIRED = "ログインの有効期限が切れました。もう一度ログインしてください"
APPLICATION_NOT_FOUND = "申込が見つかりません"
CONTRACT_NOT_FOUND = "保証契約が見つかりません"
ALREADY_SUBMITTED = "送信済みの申込は変更できません（状態: {status}）"
INVALID_APPLICATION = "申込内容に誤りがあります。problems を確認して修正してください"
AMENDMENT_BID_BOND = "契約保証予約は変更できません。落札した場合は入札結果を登録して契約保証に切り替えてください"
AMENDMENT_NOT_KEPT = "この保証契約は、変更申込に必要な発行内容がこのシステムにないため、画面から変更申込を作成できません。弊社の申込送信先にお問い合わせください"
AMENDMENT_NOT_IN_FORCE = "この保証契約は効力がないため変更できません"
FORM_NOT_STORABLE = "入力内容を保存できません（長すぎる・使えない文字がある項目があります）。problems を確認して修正してください。保存済みの内容は変わっていません"
# Fields of requests other than the form (shared.request_errors).
REQUEST_LABELS: dict[str, str] = {
    "login_id": "ログインID",
    "password": "パスワード",
    "application_id": "申込ID",
    "product": "保証種類",
    "period_from": "期間（開始）",
    "version": "版（version）",
    "period_to": "期間（終了）",
    "construction_name": "工事名",
    "contract_number": "保証契約番号",
    "limit": "件数（limit）",
    "cursor": "続きの位置（cursor）",
}
# A PDF asked for before issuance has rendered it (it renders after the certificate is issued), with Retry-After.
PDF_NOT_READY = {
    "certificate": "保証証書PDFを作成中です。しばらくしてから再度お試しください。",
    "key-notice": "「認証キー」のお知らせPDFを作成中です。しばらくしてから再度お試しください。",
}

STATUS_LABELS: dict[str, str] = {
    "draft": "作成中",
    "confirmed": "確認済",
    "awaiting_send": "送信待ち",
    "submitted": "送信済",
    "issued": "発行済",
    "rejected": "お引き受けできません",
}

# Added with every product and the send password: the contract list, formats, sections, and the
# details of the new error responses.
# 保証契約一覧: the contract's state.
CONTRACT_STATUS_LABELS: dict[str, str] = {
    "issued": "発行済",
    "published": "発行済（電子保証発行済）",
    "converted": "転換済",  # a bid bond won: converted into a 契約保証 application
    "lapsed": "失効",  # a bid bond lost
}

CERTIFICATE_FORMAT_LABELS: dict[str, str] = {"electronic": "電子保証", "paper": "証書(紙)"}

# 発注者確認 as the orderer recorded it on the platform.
ORDERER_DECISION_LABELS: dict[str, str] = {"accepted": "確認済", "returned": "差戻し"}

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
    return STATUS_LABELS.get(status, status)


def login_throttled(retry_after: int) -> str:
    return LOGIN_THROTTLED.format(wait=wait_text(retry_after))
