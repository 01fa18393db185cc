"""The end of a guarantee as the surety company decides it (domain/status.py): 期間満了 on the day after the
保証期限, the refusals of a 解約の申込 on receipt, the 解約日 staff may set, and a 変更申込 of an ended
guarantee refused with its Japanese reason (amendments.judge_guarantee)."""

from datetime import date, datetime, timezone

import pytest

from services.issuance.domain.amendments import judge_guarantee
from services.issuance.domain.status import (
    Ending,
    StatusRefused,
    amendment_refusal,
    checked_by,
    checked_refusal,
    expired_on,
    has_expired,
    jst_today,
    judge_cancelled_on,
    request_refusal,
)
from shared.events import Product
from tests.unit.issuance.factories import advance, amending, application, guarantee

NUMBER = "35026-00001M"


def test_a_guarantee_covers_its_last_day_and_expires_on_the_next():
    expiry = date(2027, 3, 31)
    assert not has_expired(expiry, date(2027, 3, 30))
    assert not has_expired(expiry, expiry)  # the 保証期限 itself is covered
    assert has_expired(expiry, date(2027, 4, 1))
    assert expired_on(expiry) == date(2027, 4, 1)
    assert expired_on(date(2028, 2, 28)) == date(2028, 2, 29)  # a leap year


def test_today_is_japan_s_date():
    # 2027-03-31 15:30 UTC is already 2027-04-01 00:30 in Japan.
    assert jst_today(datetime(2027, 3, 31, 15, 30, tzinfo=timezone.utc)) == date(2027, 4, 1)
    assert jst_today(datetime(2027, 3, 31, 14, 59, tzinfo=timezone.utc)) == date(2027, 3, 31)


def test_a_request_is_refused_on_receipt_when_the_guarantee_has_ended_is_a_bid_bond_or_one_is_pending():
    expired = Ending("expired", date(2027, 4, 1))
    assert request_refusal(NUMBER, Product.ADVANCE_PAYMENT, expired, False) == (
        "保証契約「35026-00001M」は既に期間満了（令和9年4月1日）となっているため、解約の申込はお受けできません。"
    )
    cancelled = Ending("cancelled", date(2027, 1, 15))
    assert "既に解約（令和9年1月15日）となっている" in request_refusal(NUMBER, Product.CONTRACT_GUARANTEE, cancelled, True)
    assert request_refusal("35026-00001Y", Product.BID_BOND, None, False) == (
        "保証契約「35026-00001Y」は契約保証予約です。契約保証予約は解約の対象外です。落札できなかった場合は、入札結果を登録してください。"
    )
    assert request_refusal(NUMBER, Product.ADVANCE_PAYMENT, None, True) == (
        "保証契約「35026-00001M」の解約の申込は既に受け付けています。弊社の確認をお待ちください。"
    )
    assert request_refusal(NUMBER, Product.ADVANCE_PAYMENT, None, False) is None  # staff decide


def test_the_cancellation_day_is_neither_in_the_future_nor_before_the_issue():
    judge_cancelled_on(date(2027, 1, 15), today=date(2027, 1, 15), issued_on=date(2026, 7, 1))
    judge_cancelled_on(date(2026, 7, 1), today=date(2027, 1, 15), issued_on=date(2026, 7, 1))
    with pytest.raises(StatusRefused, match=r"^解約日（2027-01-16）は今日（2027-01-15）以前の日付にしてください$"):
        judge_cancelled_on(date(2027, 1, 16), today=date(2027, 1, 15), issued_on=date(2026, 7, 1))
    with pytest.raises(StatusRefused, match=r"^解約日（2026-06-30）は保証の発行日（2026-07-01）以降の日付にしてください$"):
        judge_cancelled_on(date(2026, 6, 30), today=date(2027, 1, 15), issued_on=date(2026, 7, 1))


def test_staff_texts_are_bounded_and_in_the_character_policy():
    assert checked_by(" 業務部 佐藤 ") == "業務部 佐藤"
    with pytest.raises(StatusRefused, match="担当者名を入力してください"):
        checked_by("  ")
    assert checked_refusal("保証料の精算が\n済んでいないため") == "保証料の精算が\n済んでいないため"
    with pytest.raises(StatusRefused, match="お断りする理由は500文字以内"):
        checked_refusal("あ" * 501)
    with pytest.raises(StatusRefused, match="お断りする理由に使えない文字"):
        checked_refusal("理由\u202e")


@pytest.mark.parametrize(
    ("ending", "rule", "message"),
    [
        (Ending("expired", date(2027, 4, 1)), "amendment_expired",
         "保証契約「35026-00001M」は保証期限を過ぎ、令和9年4月1日に期間満了となりました。期間満了後の保証契約は変更できません。"),
        (Ending("cancelled", date(2027, 1, 15)), "amendment_cancelled",
         "保証契約「35026-00001M」は令和9年1月15日に解約されました。解約後の保証契約は変更できません。"),
    ],
)
def test_an_ended_guarantee_is_not_changed(ending, rule, message):
    change = amending(application(products=[advance(guaranteed_amount=22_000_000)]), NUMBER, 0)
    reasons = judge_guarantee(change, guarantee(NUMBER, ending=ending))
    assert [(r.field, r.rule, r.message) for r in reasons] == [("amendment.contract_number", rule, message)]
    assert amendment_refusal(NUMBER, ending) == message
    assert judge_guarantee(change, guarantee(NUMBER)) == []  # in force: the change is judged as before
