"""The end of a guarantee (保証の終了), as the surety company decides it:

- 期間満了: a guarantee covers its 保証期限 to the end of that day (JST). It expires on the next day: the
  scheduled job, run on `today`, ends every guarantee in force whose latest 保証期限 is before `today`.
  In force: not ended yet, and not a 契約保証予約 that was converted or lapsed (those ended otherwise).
- 解約: the contractor's request (one pending at a time) is approved or refused by staff. A request for a
  guarantee that has ended, or for a 契約保証予約 (it ends by 入札結果の登録), is refused on receipt with the
  reason, which the contractor reads; so is a second request while one is pending.
- After either, the guarantee cannot be changed (変更申込 is refused, `amendment_refusal`).

The Japanese texts the contractor reads are here, with the rules they explain.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shared.events import Product
from shared.japanese import JST, wareki
from shared.text_policy import TextRefused, checked

STATUS_LABELS = {"expired": "期間満了", "cancelled": "解約"}
AUTOMATIC = "自動判定"  # decided_by of a request refused on receipt
MAX_REFUSAL = 500


class StatusRefused(Exception):
    """What staff asked cannot be done; the message (Japanese) says why."""


@dataclass(frozen=True)
class Ending:
    """How a guarantee ended."""

    status: str  # expired / cancelled
    ended_on: date  # 期間満了: the day it expired; 解約: the 解約日


def jst_today(now: datetime) -> date:
    return now.astimezone(JST).date()


def expired_on(guarantee_expiry: date) -> date:
    """The day a guarantee expires: the day after its 保証期限 (its last day is covered)."""
    return guarantee_expiry + timedelta(days=1)


def has_expired(guarantee_expiry: date, today: date) -> bool:
    return guarantee_expiry < today


def ended_text(ending: Ending) -> str:
    """期間満了（令和8年4月1日） / 解約（令和8年4月1日）."""
    return f"{STATUS_LABELS[ending.status]}（{wareki(ending.ended_on)}）"


def amendment_refusal(number: str, ending: Ending | None) -> str | None:
    """Why a 変更申込 of this guarantee is refused because it has ended, or None."""
    if ending is None:
        return None
    if ending.status == "expired":
        return (
            f"保証契約「{number}」は保証期限を過ぎ、{wareki(ending.ended_on)}に期間満了となりました。"
            "期間満了後の保証契約は変更できません。"
        )
    return f"保証契約「{number}」は{wareki(ending.ended_on)}に解約されました。解約後の保証契約は変更できません。"


def request_refusal(number: str, product: Product, ending: Ending | None, pending: bool) -> str | None:
    """Why a 解約の申込 is refused on receipt, or None when staff are to decide it."""
    if ending is not None:
        return f"保証契約「{number}」は既に{ended_text(ending)}となっているため、解約の申込はお受けできません。"
    if product is Product.BID_BOND:
        return (
            f"保証契約「{number}」は契約保証予約です。契約保証予約は解約の対象外です。"
            "落札できなかった場合は、入札結果を登録してください。"
        )
    if pending:
        return f"保証契約「{number}」の解約の申込は既に受け付けています。弊社の確認をお待ちください。"
    return None


def judge_cancelled_on(cancelled_on: date, *, today: date, issued_on: date) -> None:
    """The 解約日 staff set: not in the future, not before the guarantee was first issued."""
    if cancelled_on > today:
        raise StatusRefused(f"解約日（{cancelled_on.isoformat()}）は今日（{today.isoformat()}）以前の日付にしてください")
    if cancelled_on < issued_on:
        raise StatusRefused(
            f"解約日（{cancelled_on.isoformat()}）は保証の発行日（{issued_on.isoformat()}）以降の日付にしてください"
        )


def checked_refusal(reason: str) -> str:
    try:
        return checked("お断りする理由", reason, MAX_REFUSAL, multiline=True)
    except TextRefused as exc:
        raise StatusRefused(str(exc)) from None


def checked_by(name: str) -> str:
    try:
        return checked("担当者名", name, 60)
    except TextRefused as exc:
        raise StatusRefused(str(exc)) from None
