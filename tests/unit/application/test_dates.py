"""Dates: 請負契約日 against 工期, 落札日 against 請負契約日, and 保証期限 (default and limits)."""

from datetime import date

import pytest

from services.application.domain.expiry import fiscal_year_end
from services.application.domain.validation import validate_form
from tests.unit.application.contexts import context
from tests.unit.application.forms import bid_bond_form, intermediate_form, valid_form


def problems(form: dict, ctx=None) -> list[tuple[str, str, str]]:
    return [(p.path, p.rule, p.message) for p in validate_form(form, ctx).problems]


def expiries(form: dict, ctx=None) -> list[date]:
    return [p.guarantee_expiry for p in validate_form(form, ctx).valid.products]


def test_contract_date_after_the_start_of_works_is_a_warning():
    form = valid_form()
    form["contract"]["contract_date"] = "20230402"
    v = validate_form(form)
    assert v.ok and [(p.path, p.rule, p.message, p.severity) for p in v.problems] == [
        (
            "contract.contract_date",
            "contract_date_after_period_start",
            "請負契約日（contract.contract_date）（令和5年4月2日）が工期の開始日（令和5年4月1日）より後になっています。日付を確認してください",
            "warning",
        )
    ]
    form["contract"]["contract_date"] = "20230401"
    assert problems(form) == []


def test_award_date_not_after_the_contract_date():
    form = valid_form()
    form["tender"] = {"order_type": "一般競争入札", "award_date": "20230321"}
    assert problems(form) == [
        ("tender.award_date", "award_after_contract_date", "落札日（tender.award_date）は請負契約日（令和5年3月20日）以前の日付にしてください")
    ]
    form["tender"]["award_date"] = "20230320"
    assert problems(form) == []


def test_default_expiry_is_the_end_of_works():
    assert expiries(valid_form()) == [date(2024, 3, 29), date(2024, 3, 29)]
    assert expiries(intermediate_form(), context()) == [date(2024, 3, 29)]


@pytest.mark.parametrize(
    "today, start, end, expected",
    [
        (date(2023, 3, 21), "20230401", "20250930", date(2024, 3, 31)),  # FY of the start
        (date(2024, 5, 1), "20230401", "20250930", date(2025, 3, 31)),  # FY of today, later than the start
        (date(2024, 5, 1), "20230401", "20250228", date(2025, 2, 28)),  # the end of works comes first
    ],
)
def test_multi_year_advance_payment_expires_at_the_fiscal_year_end(today, start, end, expected):
    form = valid_form()
    form["contract"] |= {"period_start": start, "period_end": end}
    form["advance_payment"] |= {"fiscal_year_target_amount": 30_000_000, "guaranteed_amount": 12_000_000}
    ap, cg = expiries(form, context(today=today))
    assert (ap, cg) == (expected, date.fromisoformat(f"{end[:4]}-{end[4:6]}-{end[6:]}"))


def test_fiscal_year_end():
    assert fiscal_year_end(date(2023, 4, 1)) == fiscal_year_end(date(2024, 3, 31)) == date(2024, 3, 31)


def test_advance_payment_expiry_within_the_works_period():
    form = valid_form()
    form["advance_payment"]["guarantee_expiry"] = "20240331"
    assert problems(form) == [
        ("advance_payment.guarantee_expiry", "expiry_within_period", "前払金保証の保証期限（advance_payment.guarantee_expiry）は工期内（令和5年4月1日から令和6年3月29日まで）の日付にしてください")
    ]
    form["advance_payment"]["guarantee_expiry"] = "20240131"
    assert expiries(form)[0] == date(2024, 1, 31)


def test_intermediate_expiry_within_the_works_period():
    form = intermediate_form()
    form["intermediate_advance_payment"]["guarantee_expiry"] = "20230331"
    assert problems(form) == [
        ("intermediate_advance_payment.guarantee_expiry", "expiry_within_period", "中間前払金保証の保証期限（intermediate_advance_payment.guarantee_expiry）は工期内（令和5年4月1日から令和6年3月29日まで）の日付にしてください")
    ]


def test_contract_guarantee_expiry_covers_the_works_period():
    form = valid_form()
    form["contract_guarantee"]["guarantee_expiry"] = "20240328"
    assert problems(form) == [
        ("contract_guarantee.guarantee_expiry", "expiry_covers_period", "契約保証の保証期限（contract_guarantee.guarantee_expiry）は工期の終了日（令和6年3月29日）以降の日付にしてください")
    ]
    form["contract_guarantee"]["guarantee_expiry"] = "20240630"
    assert expiries(form)[1] == date(2024, 6, 30)


def test_bid_bond_expiry_not_before_the_bid():
    form = bid_bond_form()
    form["bid_bond"]["guarantee_expiry"] = "20230228"
    assert problems(form) == [
        ("bid_bond.guarantee_expiry", "expiry_after_bid_date", "契約保証予約の保証期限（bid_bond.guarantee_expiry）は入札日（令和5年3月1日）以降の日付にしてください")
    ]
    form["bid_bond"]["guarantee_expiry"] = "20230301"
    assert expiries(form) == [date(2023, 3, 1)]


def test_expiry_must_be_a_date():
    form = valid_form()
    form["advance_payment"]["guarantee_expiry"] = "R6.3.29"
    assert problems(form) == [
        ("advance_payment.guarantee_expiry", "date", "前払金保証の保証期限（advance_payment.guarantee_expiry）は日付（例 20230320 または 2023-03-20）で入力してください")
    ]
