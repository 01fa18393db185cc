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
    assert caught.value.rule == "full_width" and caught.value.values == {"chars": "制御文字（U+007F）"}


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


@pytest.mark.parametrize(
    "entered, stored",
    [
        ("ﾐｽﾞﾎ銀行 ｼﾌﾞﾔ支店", "ミズホ銀行　シブヤ支店"),
        ("三井住友銀行 ｶﾜｻｷ支店", "三井住友銀行　カワサキ支店"),
        ("りそな銀行 ﾑｻｼｺｽｷﾞ支店", "りそな銀行　ムサシコスギ支店"),
        ("ﾕｳﾁｮ銀行 〇一八支店", "ユウチョ銀行　〇一八支店"),
        ("JAｾﾚｻ川崎 ﾐﾔﾏｴﾀﾞｲﾗ支店", "ＪＡセレサ川崎　ミヤマエダイラ支店"),
        ("PayPay銀行 本店営業部", "ＰａｙＰａｙ銀行　本店営業部"),
        ("きらぼし銀行 第2支店", "きらぼし銀行　第２支店"),
    ],
)
def test_real_bank_names_become_full_width(entered, stored):
    assert values.full_width(entered) == stored


@pytest.mark.parametrize(
    "entered, refused",
    [
        ("ミズホ銀行😀支店", "「😀」（U+1F600）"),
        ("𠮷野信用金庫 本店", "「𠮷」（U+20BB7）"),
        ("横浜銀行\u200b本店", "ゼロ幅スペース（U+200B）"),
    ],
)
def test_characters_that_cannot_be_printed_full_width_are_refused(entered, refused):
    with pytest.raises(Invalid) as caught:
        values.full_width(entered)
    assert caught.value.rule == "full_width" and caught.value.values == {"chars": refused}


def test_counts_and_thousand_yen():
    assert values.count(0)("0") == 0 and values.count(1)(3) == 3
    with pytest.raises(Invalid) as caught:
        values.count(1)(0)
    assert caught.value.values == {"minimum": "1", "maximum": "9999"}
    assert values.thousand_yen("48,500") == 48_500
    for bad in (0, 1.5, "48.5", True):
        with pytest.raises(Invalid):
            values.thousand_yen(bad)


def test_postal_codes_and_contract_numbers():
    assert values.postal_code("2100001") == values.postal_code("〒 ２１０－０００１") == "210-0001"
    assert values.contract_number(" 35072-00001m ") == "35072-00001M"
    with pytest.raises(Invalid):
        values.contract_number("35072-0001M")


def test_more_ratio_rules():
    assert ratios.advance_payment(10_000_001, 50_000_000, None, low_bid=True)[1][0][1] == "advance_payment_ceiling_low_bid"
    assert ratios.contract_guarantee(15_000_000, 50_000_000, low_bid=True)[1] == []
    assert ratios.intermediate(None, 50_000_000) == (None, [])
    r, breaches = ratios.advances_total(10_000_000, 50_000_000, "35072-00001M", 20_000_000)
    assert (r["percent"], r["amount"], breaches) == ("60.0%", 30_000_000, [])
    assert ratios.bid_bond(4_850_000, 48_500_000)[0]["against_label"] == "入札金額"


@pytest.mark.parametrize("typed", ["2023/03/20", "2023/3/20", "２０２３０３２０", "２０２３／０３／２０", " 2023-03-20 "])
def test_dates_as_clerks_type_them(typed):
    assert values.a_date(typed) == date(2023, 3, 20)


@pytest.mark.parametrize("typed", ["2023/13/01", "2023/02/30", "2023//03", "令和5年3月20日"])
def test_dates_that_are_not_dates(typed):
    with pytest.raises(Invalid):
        values.a_date(typed)


@pytest.mark.parametrize("typed", ["２００００００００", "２０，０００，０００", "20,000,000", "２０,000,000"])
def test_full_width_amounts(typed):
    assert values.amount(typed) in (200_000_000, 20_000_000)
    assert values.amount("２０，０００，０００") == 20_000_000


@pytest.mark.parametrize("typed", ["２０．５", "2,00,000", "二千万"])
def test_amounts_that_are_not_whole_yen(typed):
    with pytest.raises(Invalid):
        values.amount(typed)
