"""解約の申込 and the end of a guarantee as Net Desk shows them (期間満了 / 解約 with the date).

The request: a reason — 契約解除（工事の中止）, 保証が不要になった or その他 — and, for その他, the reason in
the contractor's words (optional as a note otherwise), at most 200 characters in the one character policy
(it reaches the surety staff and the emails). Only a guarantee in force can be cancelled, one request at a
time, and not a 契約保証予約 (it ends by 入札結果の登録). With a company 送信パスワード, sending the request
needs it (as 送信 of an application does; a request is not parked: whoever holds the password sends it).

Every Japanese text of the feature is here; the JSON API and the pages answer the same.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from shared import text_policy
from shared.events import CancellationReason, Product
from shared.events.status import CANCELLATION_REASON_LABELS, MAX_REASON_TEXT
from shared.japanese import wareki

ENDED = ("expired", "cancelled")
STATUS_LABELS = {"expired": "期間満了", "cancelled": "解約"}
REQUEST_STATE_LABELS = {"pending": "確認中", "approved": "解約済", "refused": "お受けできませんでした"}
REASON_CHOICES = [(r.value, CANCELLATION_REASON_LABELS[r]) for r in CancellationReason]

FIELD_LABELS = {"reason": "解約の理由", "reason_text": "解約の理由（詳細）", "send_password": "送信パスワード"}
REASON_REQUIRED = "解約の理由（reason）を選択してください"
REASON_UNKNOWN = "解約の理由（reason）は「契約解除（工事の中止）」「保証が不要になった」「その他」のいずれかを選択してください"
TEXT_REQUIRED = "解約の理由（詳細）（reason_text）を入力してください（解約の理由が「その他」の場合は必須です）"
TEXT_TOO_LONG = "解約の理由（詳細）（reason_text）は{limit}文字以内で入力してください（現在 {length}文字）"
TEXT_CHARACTERS = "解約の理由（詳細）（reason_text）に使えない文字が含まれています: {chars}"
SEND_PASSWORD_REQUIRED = (
    "送信パスワード（send_password）を入力してください（貴社は送信パスワードを設定しているため、解約の申込には必須です）"
)
SEND_PASSWORD_WRONG = "送信パスワード（send_password）が正しくありません"
INVALID = "解約の申込の内容に誤りがあります。problems を確認して修正してください"
BID_BOND = "契約保証予約は解約の申込の対象外です。落札できなかった場合は、入札結果を登録してください"
PENDING = "この保証契約の解約の申込は既に受け付けています（確認中）。弊社の確認をお待ちください"


def ended_label(status: str, ended_on: date | None) -> str:
    """期間満了（令和8年4月1日） / 解約（令和8年4月1日）."""
    label = STATUS_LABELS[status]
    return f"{label}（{wareki(ended_on)}）" if ended_on else label


def status_note(status: str, ended_on: date | None) -> str:
    """The notice above the certificate and on 電子保証概要 of an ended guarantee."""
    day = wareki(ended_on) if ended_on else ""
    if status == "expired":
        expiry = wareki(ended_on - timedelta(days=1)) if ended_on else ""
        return f"この保証契約は保証期限（{expiry}）を過ぎたため、{day}に期間満了となりました。表示している内容は期間満了前のものです。"
    return f"この保証契約は{day}に解約されました。表示している内容は解約前のものです。"


def not_cancellable(number: str, product: str, status: str, ended_on: date | None, pending: bool) -> str | None:
    """Why this guarantee cannot be cancelled now, or None."""
    if status in ENDED:
        return f"保証契約 {number} は既に{ended_label(status, ended_on)}となっているため、解約の申込はできません"
    if product == Product.BID_BOND:
        return BID_BOND
    if status in ("converted", "lapsed"):
        return f"保証契約 {number} は効力がないため、解約の申込はできません"
    return PENDING if pending else None


def amendment_refusal(number: str, status: str, ended_on: date | None) -> str | None:
    """Why a 変更申込 of an ended guarantee is refused (the same words on the page, the API and 申込確認)."""
    if status == "expired":
        return f"保証契約 {number} は{wareki(ended_on) if ended_on else ''}に期間満了となったため、変更申込はできません"
    if status == "cancelled":
        return f"保証契約 {number} は{wareki(ended_on) if ended_on else ''}に解約されたため、変更申込はできません"
    return None


@dataclass(frozen=True)
class CancellationForm:
    reason: CancellationReason
    reason_text: str | None


class InvalidCancellation(Exception):
    """`problems`: [{path, label, rule, message}], as the JSON API's 422 bodies."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        super().__init__("; ".join(p["message"] for p in problems))
        self.problems = problems

    @property
    def errors(self) -> dict[str, str]:
        """field → message, for the pages."""
        return {p["path"]: p["message"] for p in self.problems}


def _problem(path: str, rule: str, message: str) -> dict[str, str]:
    return {"path": path, "label": FIELD_LABELS[path], "rule": rule, "message": message, "severity": "error"}


def checked_form(reason: str | None, reason_text: str | None) -> CancellationForm:
    """The request as typed (a page's form, or the JSON body), or InvalidCancellation naming each field."""
    problems = []
    chosen = None
    if not (reason or "").strip():
        problems.append(_problem("reason", "required_choice", REASON_REQUIRED))
    else:
        try:
            chosen = CancellationReason(reason.strip())
        except ValueError:
            problems.append(_problem("reason", "choice", REASON_UNKNOWN))
    text = text_policy.normalise((reason_text or "").strip(), multiline=True) or None
    if text is None and chosen is CancellationReason.OTHER:
        problems.append(_problem("reason_text", "required", TEXT_REQUIRED))
    elif text is not None and len(text) > MAX_REASON_TEXT:
        problems.append(_problem("reason_text", "too_long", TEXT_TOO_LONG.format(limit=MAX_REASON_TEXT, length=len(text))))
    elif text is not None and (refused := text_policy.refused_characters(text, multiline=True)):
        problems.append(_problem("reason_text", "characters", TEXT_CHARACTERS.format(chars=text_policy.describe(refused))))
    if problems:
        raise InvalidCancellation(problems)
    assert chosen is not None
    return CancellationForm(chosen, text)
