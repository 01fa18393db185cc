"""Per product: 中間前払金保証, 契約保証予約, which products go together, and the low-bid limits."""

from dataclasses import replace
from datetime import date

import pytest

from shared.events import Product
from services.application.domain.validation import validate_form
from tests.unit.application.contexts import ADVANCE_PAYMENT, context
from tests.unit.application.forms import bid_bond_form, intermediate_form, valid_form


def problems(form: dict, ctx=None) -> list[tuple[str, str, str]]:
    return [(p.path, p.rule, p.message) for p in validate_form(form, ctx).problems]


# --- 中間前払金保証 ------------------------------------------------------------------------------------


def test_intermediate_against_its_advance_payment_is_valid_with_both_ratios():
    v = validate_form(intermediate_form(), context())
    assert v.ok and v.problems == []
    (request,) = v.valid.products
    assert request.product is Product.INTERMEDIATE_ADVANCE_PAYMENT
    assert request.advance_payment_contract_number == "35072-00001M"
    assert (request.depository, request.redeposit, request.guarantee_expiry) == ("〇〇銀行　××支店", False, date(2024, 3, 29))
    assert v.ratios == {
        "intermediate_advance_payment": {"percent": "20.0%", "against": "contract_amount", "against_label": "請負金額", "amount": 10_000_000, "against_amount": 50_000_000},
        "intermediate_advance_payment_total": {"percent": "60.0%", "against": "contract_amount", "against_label": "請負金額", "amount": 30_000_000, "against_amount": 50_000_000},
    }


def test_intermediate_fields_are_required():
    form = intermediate_form()
    form["intermediate_advance_payment"] = {"apply": True}
    assert problems(form) == [
        ("intermediate_advance_payment.certificate_format", "required_choice", "中間前払金保証の保証証書の形式（intermediate_advance_payment.certificate_format）を選択してください"),
        ("intermediate_advance_payment.advance_payment_contract_number", "required", "前払金保証の保証契約番号（intermediate_advance_payment.advance_payment_contract_number）を入力してください"),
        ("intermediate_advance_payment.guaranteed_amount", "required", "中間前払金保証金額（intermediate_advance_payment.guaranteed_amount）を入力してください"),
        ("intermediate_advance_payment.depository", "required", "中間前払金の預託金融機関（intermediate_advance_payment.depository）を入力してください"),
        ("intermediate_advance_payment.redeposit", "required_choice", "中間前払金の再預託利用区分（intermediate_advance_payment.redeposit）を選択してください"),
        ("intermediate_advance_payment.fee_payment_method", "required", "中間前払金保証料支払方法（intermediate_advance_payment.fee_payment_method）を入力してください"),
        ("intermediate_advance_payment.fee_billing_to", "required", "中間前払金保証料請求先（intermediate_advance_payment.fee_billing_to）を入力してください"),
        ("intermediate_advance_payment.fee_statement_paper", "required_choice", "中間前払金保証の保証料計算書(紙)（intermediate_advance_payment.fee_statement_paper）を選択してください"),
    ]


def test_the_advance_payment_number_has_the_contract_number_format():
    form = intermediate_form()
    form["intermediate_advance_payment"]["advance_payment_contract_number"] = "３５０７２－０００１M"
    assert problems(form) == [
        ("intermediate_advance_payment.advance_payment_contract_number", "contract_number", "前払金保証の保証契約番号（intermediate_advance_payment.advance_payment_contract_number）は保証契約番号（例 37071-00000M）で入力してください")
    ]
    form["intermediate_advance_payment"]["advance_payment_contract_number"] = "３５０７２－０００01m"  # full-width digits, lower case
    assert validate_form(form, context()).valid.products[0].advance_payment_contract_number == "35072-00001M"


def test_intermediate_at_most_20_percent_of_the_contract_amount():
    form = intermediate_form()
    form["intermediate_advance_payment"]["guaranteed_amount"] = 10_500_000
    assert problems(form) == [
        ("intermediate_advance_payment.guaranteed_amount", "intermediate_ceiling", "中間前払金保証金額（intermediate_advance_payment.guaranteed_amount）は請負金額の20%以下にしてください（現在 21.0%）")
    ]


def test_advance_payment_and_intermediate_at_most_60_percent():
    parent = replace(ADVANCE_PAYMENT, guaranteed_amount=21_000_000)
    assert problems(intermediate_form(), context(parent)) == [
        (
            "intermediate_advance_payment.guaranteed_amount",
            "advance_total_ceiling",
            "中間前払金保証金額（intermediate_advance_payment.guaranteed_amount）は前払金保証（35072-00001M）の保証金額 21,000,000 円 と合わせて請負金額の60%以下にしてください（合計 62.0%）",
        )
    ]


def test_the_advance_payment_must_be_one_of_the_companys():
    assert problems(intermediate_form(), context(replace(ADVANCE_PAYMENT, contract_number="35072-00002M"))) == [
        ("intermediate_advance_payment.advance_payment_contract_number", "parent_not_found", "前払金保証の保証契約番号（intermediate_advance_payment.advance_payment_contract_number）の35072-00001Mは、貴社の前払金保証の保証契約に見つかりません")
    ]


def test_the_parent_must_be_an_advance_payment():
    other = replace(ADVANCE_PAYMENT, product=Product.CONTRACT_GUARANTEE)
    assert problems(intermediate_form(), context(other)) == [
        ("intermediate_advance_payment.advance_payment_contract_number", "parent_not_advance_payment", "前払金保証の保証契約番号（intermediate_advance_payment.advance_payment_contract_number）の35072-00001Mは前払金保証ではありません（契約保証）")
    ]


def test_the_parent_must_not_have_lapsed():
    assert problems(intermediate_form(), context(replace(ADVANCE_PAYMENT, status="lapsed"))) == [
        ("intermediate_advance_payment.advance_payment_contract_number", "parent_lapsed", "前払金保証の保証契約番号（intermediate_advance_payment.advance_payment_contract_number）の前払金保証 35072-00001M は失効しています")
    ]


@pytest.mark.parametrize("change", [{"construction_name": "道路改良工事"}, {"orderer_code": "nagano-pref"}])
def test_the_parent_must_be_for_the_same_works(change):
    parent = replace(ADVANCE_PAYMENT, **change)
    (problem,) = problems(intermediate_form(), context(parent))
    assert problem == (
        "intermediate_advance_payment.advance_payment_contract_number",
        "parent_other_contract",
        "前払金保証の保証契約番号（intermediate_advance_payment.advance_payment_contract_number）の前払金保証 35072-00001M は別の工事"
        f"（工事名「{parent.construction_name}」、発注者コード「{parent.orderer_code}」）の保証です。同じ発注者・工事名の前払金保証を指定してください",
    )


def test_one_intermediate_per_advance_payment():
    existing = replace(
        ADVANCE_PAYMENT,
        contract_number="35072-00001C",
        product=Product.INTERMEDIATE_ADVANCE_PAYMENT,
        guaranteed_amount=5_000_000,
        advance_payment_contract_number="35072-00001M",
    )
    assert problems(intermediate_form(), context(ADVANCE_PAYMENT, existing)) == [
        ("intermediate_advance_payment.advance_payment_contract_number", "intermediate_exists", "前払金保証の保証契約番号（intermediate_advance_payment.advance_payment_contract_number）の前払金保証 35072-00001M には中間前払金保証（35072-00001C）がすでにあります。中間前払金保証は一つの前払金保証につき一つです")
    ]
    assert problems(intermediate_form(), context(ADVANCE_PAYMENT, replace(existing, status="lapsed"))) == []


def test_intermediate_before_half_of_the_works_period_is_a_warning():
    # 工期 2023-04-01 .. 2024-03-29 (363 days): half has elapsed on 2023-09-30.
    v = validate_form(intermediate_form(), context(today=date(2023, 9, 29)))
    assert v.ok and [(p.path, p.rule, p.message, p.severity) for p in v.problems] == [
        (
            "intermediate_advance_payment",
            "intermediate_before_half_period",
            "中間前払金保証（intermediate_advance_payment）は工期の半分が経過する令和5年9月30日より前の申込です。"
            "中間前払金の請求には発注者の認定（工期の2分の1経過・工事の2分の1以上の進捗）が必要です",
            "warning",
        )
    ]
    assert validate_form(intermediate_form(), context(today=date(2023, 9, 30))).problems == []


def test_intermediate_goes_alone():
    form = valid_form()
    form["intermediate_advance_payment"] = intermediate_form()["intermediate_advance_payment"]
    assert problems(form, context()) == [
        ("intermediate_advance_payment", "intermediate_alone", "中間前払金保証（intermediate_advance_payment）は他の保証と同じ申込にはできません。前払金保証の発行後に、中間前払金保証だけで申し込んでください")
    ]


# --- 契約保証予約（入札ボンド） -------------------------------------------------------------------------


def test_bid_bond_alone_needs_no_contract_amount_nor_contract_date():
    v = validate_form(bid_bond_form(), context())
    assert v.ok and v.problems == []
    assert (v.valid.contract.contract_amount, v.valid.contract.contract_date) == (None, None)
    (request,) = v.valid.products
    assert (request.product, request.bid_date, request.bid_amount, request.guaranteed_amount) == (Product.BID_BOND, date(2023, 3, 1), 48_500_000, 4_850_000)
    assert request.guarantee_expiry == date(2023, 4, 1)  # default: the start of 工期
    assert v.ratios == {"bid_bond": {"percent": "10.0%", "against": "bid_amount", "against_label": "入札金額", "amount": 4_850_000, "against_amount": 48_500_000}}


def test_bid_bond_fields_are_required():
    form = bid_bond_form()
    form["bid_bond"] = {"apply": True}
    del form["contract"]["period_start"]
    assert problems(form) == [
        ("contract.period_start", "required", "工期の開始日（contract.period_start）を入力してください"),
        ("bid_bond.certificate_format", "required_choice", "契約保証予約の保証証書の形式（bid_bond.certificate_format）を選択してください"),
        ("bid_bond.bid_date", "required", "入札日（bid_bond.bid_date）を入力してください"),
        ("bid_bond.bid_amount", "required", "入札金額（bid_bond.bid_amount）を入力してください"),
        ("bid_bond.guaranteed_amount", "required", "契約保証予約金額（bid_bond.guaranteed_amount）を入力してください"),
        ("bid_bond.fee_payment_method", "required", "契約保証予約手数料支払方法（bid_bond.fee_payment_method）を入力してください"),
        ("bid_bond.fee_billing_to", "required", "契約保証予約手数料請求先（bid_bond.fee_billing_to）を入力してください"),
        ("bid_bond.fee_statement_paper", "required_choice", "契約保証予約の保証料計算書(紙)（bid_bond.fee_statement_paper）を選択してください"),
    ]


def test_bid_bond_at_least_10_percent_of_the_bid_and_at_most_the_bid():
    form = bid_bond_form()
    form["bid_bond"]["guaranteed_amount"] = 4_849_999
    assert problems(form) == [
        ("bid_bond.guaranteed_amount", "bid_bond_floor", "契約保証予約金額（bid_bond.guaranteed_amount）は入札金額の10%以上にしてください（現在 9.9%）")
    ]
    form["bid_bond"]["guaranteed_amount"] = 48_500_001
    assert problems(form) == [
        ("bid_bond.guaranteed_amount", "bid_bond_ceiling", "契約保証予約金額（bid_bond.guaranteed_amount）は入札金額以下にしてください（現在 100.0%超）")
    ]


def test_bid_bond_goes_alone():
    form = bid_bond_form()
    form["contract"] |= {"contract_amount": 50_000_000, "contract_date": "20230320"}
    form["advance_payment"] = valid_form()["advance_payment"]
    assert problems(form) == [
        ("bid_bond", "bid_bond_alone", "契約保証予約（入札ボンド）（bid_bond）は他の保証と同じ申込にはできません。契約保証予約だけで申し込んでください")
    ]


# --- 契約保証 and the products together --------------------------------------------------------------------


def test_contract_guarantee_needs_an_advance_payment_in_the_same_application():
    form = valid_form()
    form["advance_payment"]["apply"] = False
    assert problems(form) == [
        ("contract_guarantee", "contract_guarantee_needs_advance_payment", "契約保証（contract_guarantee）は前払金保証の特約です。同じ申込で前払金保証も申し込んでください")
    ]


def test_contract_guarantee_converted_from_a_bid_bond_keeps_the_link():
    form = valid_form()
    form["contract_guarantee"]["bid_bond_contract_number"] = "35072-00001Y"
    assert validate_form(form).valid.products[1].bid_bond_contract_number == "35072-00001Y"
    form["contract_guarantee"]["bid_bond_contract_number"] = "Y-1"
    assert problems(form) == [
        ("contract_guarantee.bid_bond_contract_number", "contract_number", "契約保証予約の保証契約番号（contract_guarantee.bid_bond_contract_number）は保証契約番号（例 37071-00000M）で入力してください")
    ]


def test_intermediate_advance_flags_of_the_advance_payment():
    form = valid_form()
    form["advance_payment"] |= {"intermediate_advance": "あり", "intermediate_advance_claim_planned": "なし"}
    ap = validate_form(form).valid.products[0]
    assert (ap.intermediate_advance, ap.intermediate_advance_claim_planned) == (True, False)
    form["advance_payment"] |= {"intermediate_advance": "なし", "intermediate_advance_claim_planned": "あり"}
    assert problems(form) == [
        ("advance_payment.intermediate_advance_claim_planned", "intermediate_claim_without_intermediate", "中間前払金の請求予定（advance_payment.intermediate_advance_claim_planned）は中間前払金の有無が「なし」の場合は「なし」を選択してください")
    ]
    form["advance_payment"]["intermediate_advance"] = "不明"
    assert problems(form) == [
        ("advance_payment.intermediate_advance", "choice", "当該工事の中間前払金の有無（advance_payment.intermediate_advance）は「あり」「なし」のいずれかを選択してください")
    ]


def test_redeposit_is_carried():
    form = valid_form()
    form["advance_payment"]["redeposit"] = "利用する"
    assert validate_form(form).valid.products[0].redeposit is True


# --- 低入札 (below the 低入札調査基準価格) ---------------------------------------------------------------------


def low_bid_form() -> dict:
    form = valid_form()
    form["tender"] = {"order_type": "一般競争入札", "award_date": "20230315", "below_low_bid_price": True}
    form["advance_payment"]["guaranteed_amount"] = 10_000_000
    form["contract_guarantee"]["guaranteed_amount"] = 15_000_000
    return form


def test_low_bid_limits_pass_at_20_and_30_percent():
    v = validate_form(low_bid_form())
    assert v.ok and v.valid.tender.below_low_bid_price is True


def test_low_bid_caps_the_advance_payment_at_20_percent():
    form = low_bid_form()
    form["advance_payment"]["guaranteed_amount"] = 10_000_001
    assert problems(form) == [
        ("advance_payment.guaranteed_amount", "advance_payment_ceiling_low_bid", "前払金保証金額（advance_payment.guaranteed_amount）は低入札調査基準価格を下回る落札のため請負金額の20%以下にしてください（現在 20.0%超）")
    ]


def test_low_bid_raises_the_contract_guarantee_to_30_percent():
    form = low_bid_form()
    form["contract_guarantee"]["guaranteed_amount"] = 14_999_999
    assert problems(form) == [
        ("contract_guarantee.guaranteed_amount", "contract_guarantee_floor_low_bid", "契約保証金額（contract_guarantee.guaranteed_amount）は低入札調査基準価格を下回る落札のため請負金額の30%以上にしてください（現在 29.9%）")
    ]
