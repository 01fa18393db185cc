"""Single form values: width conversion, dates, amounts; and the ratio rules on their own."""

from datetime import date

import pytest

from services.application.domain import ratios, values
from services.application.domain.values import Invalid


def test_half_width_depository_becomes_full_width():
    assert values.full_width("ﾐｽﾞﾎ銀行 ｼﾌﾞﾔ支店") == "ミズホ銀行　シブヤ支店"
    assert values.full_width("  〇〇銀行　××支店 ") == "〇〇銀行　××支店"


def test_what_cannot_be_full_width_is_refused_with_the_characters():
    with pytest.raises(Invalid) as caught:
        values.full_width("〇〇銀行\x7f支店")
    assert caught.value.rule == "full_width" and caught.value.values == {"chars": "\x7f"}


def test_dates():
    assert values.a_date("20230320") == values.a_date("2023-03-20") == date(2023, 3, 20)
    assert values.a_date("20191001") == date(2019, 10, 1)
    with pytest.raises(Invalid):
        values.a_date("20190230")


def test_amounts():
    assert values.amount("20,000,000") == 20_000_000
    for bad in (1.5, "1.5", "20,00,000", "-1", None, False):
        with pytest.raises(Invalid):
            values.amount(bad)


def test_ratio_rules():
    r, breaches = ratios.advance_payment(20_000_000, 50_000_000, None)
    assert (r["percent"], breaches) == ("40.0%", [])
    r, breaches = ratios.advance_payment(20_000_000, 50_000_000, 40_000_000)
    assert r["percent"] == "50.0%" and r["against_label"] == "今年度対象額"
    assert breaches == [
        ("advance_payment.guaranteed_amount", "advance_payment_ceiling", {"basis": "今年度対象額", "percent": "50.0%"})
    ]
    assert ratios.advance_payment(None, 50_000_000, None) == (None, [])
    assert ratios.contract_guarantee(5_000_000, 50_000_000)[1] == []
    assert ratios.contract_guarantee(30_000_000, 100_000_000)[0]["percent"] == "30.0%"
