"""Every Japanese text the platform shows to people (HTTP error bodies, labels)."""

# 保証契約番号 or 認証キー wrong, number unknown, or the certificate addressed to another orderer: one answer.
LOOKUP_FAILED = "保証契約番号または認証キーが正しくありません。"
LOOKUP_THROTTLED = "認証に続けて失敗したため、しばらく時間をおいてから再度お試しください。"
VERSION_NOT_FOUND = "指定された電子保証の版はありません。"
LOGIN_FAILED = "利用者IDまたはパスワードが正しくありません。"
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
}
