"""Every Japanese text the platform shows to people (HTTP error bodies, labels)."""

from shared.japanese import wait_text

# 保証契約番号 or 認証キー wrong, number unknown, or the certificate addressed to another orderer: one answer.
LOOKUP_FAILED = "保証契約番号または認証キーが正しくありません。"
LOOKUP_THROTTLED = "認証に続けて失敗したため、しばらく時間をおいてから再度お試しください。"
VERSION_NOT_FOUND = "指定された電子保証の版はありません。"
LOGIN_FAILED = "利用者IDまたはパスワードが正しくありません。"
LOGIN_THROTTLED = "ログインに続けて失敗したため、しばらくログインできません。{wait}後に再度お試しください。"
LOGIN_BLANK = "利用者IDとパスワードを入力してください。"
SESSION_TIMED_OUT = "一定時間操作がなかったため、安全のためログアウトしました。もう一度ログインしてください。"
LOGGED_OUT = "ログアウトしました。"
FORM_EXPIRED = "画面の有効期限が切れたため、送信できませんでした。画面を開き直してから、もう一度操作してください。"
TOO_LARGE = "送信された内容が大きすぎます。入力内容を確認して、もう一度送信してください。"
NOT_FOUND = "お探しのページは見つかりませんでした。アドレスを確認するか、トップページからお進みください。"
MALFORMED = "入力内容が長すぎるか、形式が正しくありません。画面を開き直して入力してください。"
LOOKUP_BLANK_NUMBER = "保証契約番号を入力してください。"
LOOKUP_BLANK_KEY = "認証キーを入力してください。"
LOOKUP_NUMBER_FORMAT = "保証契約番号は「37071-00000M」の形式（数字5桁-数字5桁と英字1文字）で入力してください。"
LOOKUP_THROTTLED_FOR = "認証に続けて失敗したため、この操作はしばらくできません。{wait}後に再度お試しください。"
REGISTER_DATE = "保証期限（まで）は日付（例 20270331 または 2027/03/31）で入力してください。"
REVIEW_CHOOSE = "確認の結果（確認済（受理）または差戻し）を選択してください。"
REVIEW_REASON_REQUIRED = "差戻しの理由を入力してください。"
REVIEW_REASON_TOO_LONG = "差戻しの理由は{limit}文字以内で入力してください。"
REVIEW_REASON_CHARACTERS = "差戻しの理由に使えない文字が含まれています: {chars}。"
REVIEW_RECORDED = "確認の結果を記録しました。受注者の保証契約の画面にも表示されます。"
REVIEW_LABELS = {"accepted": "確認済（受理）", "returned": "差戻し"}
# Requests the orderer starts (変更依頼 / 解除確認): handlers/orderer_requests.py.
AMENDMENT_MESSAGE_REQUIRED = "変更してほしい内容を入力してください。"
# An ended guarantee (期間満了 / 解約) can be neither changed nor released: the forms are not offered.
REQUEST_AFTER_ENDING = "この保証は{label}となっているため、変更依頼・解除確認は送信できません。"
REQUEST_TEXT_TOO_LONG = "{label}は{limit}文字以内で入力してください（現在 {count}文字）。"
REQUEST_TEXT_CHARACTERS = "{label}に使えない文字が含まれています: {chars}。"
RELEASE_GROUNDS_REQUIRED = "解除確認の内容（工事完成・前払金精算済）を1つ以上選択してください。"
RELEASE_GROUND_REQUIRED = "解除確認の内容（工事完成）を選択してください。"  # where there is no 前払金
RELEASE_GROUND_UNKNOWN = "解除確認の内容は「工事完成」「前払金精算済」から選択してください。"
RELEASE_GROUND_NOT_ADVANCE = "前払金精算済は前払金保証・中間前払金保証の場合だけ選択できます。"
AMENDMENT_REQUESTED = "変更依頼を送信しました。受注者の全体トップと保証会社に届きます。"
RELEASE_REQUESTED = "解除確認を送信しました。受注者の全体トップと保証会社に届きます。"
FORBIDDEN = "この画面は利用者ID管理者だけが使えます。"
ADMIN_LOGIN_ID_FORMAT = "利用者IDは半角英数字と「.」「_」「-」で3〜64文字にしてください。"
ADMIN_LOGIN_ID_TAKEN = "この利用者IDは既に使われています。別の利用者IDにしてください。"
ADMIN_NAME_CHARACTERS = "所属と氏名に使えない文字が含まれています: {chars}。"
ADMIN_NAME_REQUIRED = "所属と氏名を60文字以内で入力してください（閲覧記録に印字されます）。"
ADMIN_NOT_SELF = "自分自身の利用者IDは無効にできません。"
ADMIN_ACTION_LABELS = {
    "create_user": "利用者IDの登録", "reset_password": "パスワードの再設定", "disable": "利用停止",
    "enable": "利用再開", "unlock": "閲覧制限の解除", "change_password": "パスワードの変更",
}
PASSWORD_MISMATCH = "新しいパスワード（確認）が一致しません。"
PASSWORD_TOO_SHORT = "新しいパスワードは{minimum}文字以上にしてください。"
PASSWORD_CURRENT_WRONG = "現在のパスワードが正しくありません。"
PASSWORD_SAME = "新しいパスワードは現在のパスワードと別のものにしてください。"
PASSWORD_MUST_CHANGE = "パスワードの変更が必要です。新しいパスワードを設定してください。"
PASSWORD_CHANGED = "パスワードを変更しました。"
VIEW_NOT_ORIGINAL = "本紙は電子証書の閲覧記録です（原本ではありません）"
NOT_AUTHENTICATED = "ログインしてください。"

NEW_VERSION_LABEL = "新規"
AMENDMENT_LABEL = "変更-{n}"
PERIOD = "{start} ～ {end}"
ELECTRONIC_NOTE = "保証証書（書面）の発行は行わない／電子的な取扱となります"

# Field labels for request problems (shared.request_errors).
FIELD_LABELS = {
    "contract_number": "保証契約番号",
    "auth_key": "認証キー",
    "version": "版（version）",
    "login_id": "利用者ID",
    "password": "パスワード",
    "message": "変更してほしい内容",
    "grounds": "解除確認の内容",
    "note": "解除確認の備考",
}
# The viewer's forms (shared.web.pages: a malformed form names its fields).
PAGE_LABELS = {
    **FIELD_LABELS,
    "display_name": "所属と氏名",
    "current_password": "現在のパスワード",
    "new_password": "新しいパスワード",
    "new_password_again": "新しいパスワード（確認）",
    "decision": "確認結果",
    "reason": "差戻しの理由",
    "amendment_message": "変更してほしい内容",
    "release_grounds": "解除確認の内容",
    "release_note": "解除確認の備考",
    "next": "移動先",
}


def login_throttled(retry_after: int) -> str:
    return LOGIN_THROTTLED.format(wait=wait_text(retry_after))


def lookup_throttled(retry_after: int) -> str:
    return LOOKUP_THROTTLED_FOR.format(wait=wait_text(retry_after))
