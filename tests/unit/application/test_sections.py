"""Sections beyond the products: JV, 入札の状況, the paper certificate's delivery, 連絡先 and the message."""

from datetime import date, datetime, timedelta, timezone

import pytest

from shared.events import OrderType, ReceiptMethod
from services.application.domain.validation import validate_form
from tests.unit.application.forms import paper, valid_form


def problems(form: dict, ctx=None) -> list[tuple[str, str, str]]:
    return [(p.path, p.rule, p.message) for p in validate_form(form, ctx).problems]


def test_jv_representative_required_with_a_jv_name():
    form = valid_form()
    form["contract"]["jv_name"] = "○○・△△特定建設工事共同企業体"
    assert problems(form) == [
        ("contract.jv_representative", "jv_representative_required", "JVの代表者（contract.jv_representative）を入力してください（JV名を入力した場合は必須です）")
    ]
    form["contract"]["jv_representative"] = "○○建設 株式会社"
    contract = validate_form(form).valid.contract
    assert (contract.jv_name, contract.jv_representative) == ("○○・△△特定建設工事共同企業体", "○○建設 株式会社")


def full_tender() -> dict:
    return {
        "order_type": "一般競争入札",
        "award_date": "20230315",
        "rounds": 1,
        "bidders": "5",
        "disqualified": 0,
        "second_bidder": "△△建設",
        "second_bid_thousand_yen": "48,900",
        "highest_bidder": "□□組",
        "highest_bid_thousand_yen": 52_000,
        "below_low_bid_price": False,
    }


def test_tender_status_is_typed():
    form = valid_form()
    form["tender"] = full_tender()
    t = validate_form(form).valid.tender
    assert (t.order_type, t.award_date, t.rounds, t.bidders, t.disqualified) == (OrderType.GENERAL_COMPETITIVE, date(2023, 3, 15), 1, 5, 0)
    assert (t.second_bidder, t.second_bid_thousand_yen, t.highest_bidder, t.highest_bid_thousand_yen) == ("△△建設", 48_900, "□□組", 52_000)
    assert t.below_low_bid_price is False


def test_no_tender_status_entered():
    form = valid_form()
    form["tender"] = {"order_type": "", "award_date": None, "below_low_bid_price": False}
    v = validate_form(form)
    assert v.ok and v.valid.tender is None


def test_tender_status_values():
    form = valid_form()
    form["tender"] = full_tender() | {
        "order_type": "入札",
        "award_date": "2023/03/32",
        "rounds": 0,
        "bidders": -1,
        "disqualified": 1.5,
        "second_bid_thousand_yen": 0,
        "highest_bid_thousand_yen": "52.5",
        "below_low_bid_price": "はい",
    }
    assert problems(form) == [
        ("tender.order_type", "choice", "受注区分（tender.order_type）は「一般競争入札」「指名競争入札」「随意契約」「その他(見積もりあわせ等)」のいずれかを選択してください"),
        ("tender.award_date", "date", "落札日（tender.award_date）は日付（例 20230320 または 2023-03-20）で入力してください"),
        ("tender.rounds", "count", "入札回数（tender.rounds）は1以上9999以下の整数で入力してください"),
        ("tender.bidders", "count", "入札参加者数（tender.bidders）は0以上9999以下の整数で入力してください"),
        ("tender.disqualified", "count", "失格者数（tender.disqualified）は0以上9999以下の整数で入力してください"),
        ("tender.second_bid_thousand_yen", "thousand_yen", "二番札金額（千円）（tender.second_bid_thousand_yen）は1以上の整数（千円）で入力してください（例 48500）"),
        ("tender.highest_bid_thousand_yen", "thousand_yen", "最高札金額（千円）（tender.highest_bid_thousand_yen）は1以上の整数（千円）で入力してください（例 48500）"),
        ("tender.below_low_bid_price", "flag", "低入札調査基準価格を下回る落札（tender.below_low_bid_price）はtrueまたはfalseで指定してください"),
    ]


def test_disqualified_not_more_than_bidders():
    form = valid_form()
    form["tender"] = full_tender() | {"bidders": 2, "disqualified": 3}
    assert problems(form) == [("tender.disqualified", "disqualified_over_bidders", "失格者数（tender.disqualified）は入札参加者数以下にしてください")]


def test_paper_by_mail_needs_the_date_and_the_addressee():
    form = paper(valid_form())
    form["information"]["addressee"] = {}
    del form["information"]["receipt_desired_date"]
    assert problems(form) == [
        ("information.receipt_desired_date", "required_for_mail", "受取希望日（information.receipt_desired_date）を入力してください（受取方法が送付の場合は必須です）"),
        ("information.addressee.name", "required_for_mail", "保証証書送付先の宛名（information.addressee.name）を入力してください（受取方法が送付の場合は必須です）"),
        ("information.addressee.postal_code", "required_for_mail", "保証証書送付先の郵便番号（information.addressee.postal_code）を入力してください（受取方法が送付の場合は必須です）"),
        ("information.addressee.address", "required_for_mail", "保証証書送付先の住所（information.addressee.address）を入力してください（受取方法が送付の場合は必須です）"),
    ]


def test_paper_by_mail_is_typed_and_the_postal_code_normalised():
    form = paper(valid_form())
    form["information"]["addressee"]["postal_code"] = "〒２１０－０００１"
    v = validate_form(form)
    d = v.valid.paper_delivery
    assert (d.method, d.desired_date, d.visit_at) == (ReceiptMethod.MAIL, date(2023, 4, 5), None)
    assert (d.addressee.name, d.addressee.postal_code, d.addressee.address) == ("○○建設 株式会社 総務部", "210-0001", "神奈川県川崎市川崎区1-1")
    assert v.normalized["information"]["addressee"]["postal_code"] == "210-0001"
    assert v.normalized["information"]["receipt_desired_date"] == "20230405"  # kept as entered


@pytest.mark.parametrize("value", ["210-00011", "2100-001", "abc", 2100001])
def test_bad_postal_codes(value):
    form = paper(valid_form())
    form["information"]["addressee"]["postal_code"] = value
    assert problems(form) == [
        ("information.addressee.postal_code", "postal_code", "保証証書送付先の郵便番号（information.addressee.postal_code）は郵便番号（例 123-4567）で入力してください")
    ]


def test_paper_at_the_counter_needs_the_visit_time_in_japan_time():
    form = paper(valid_form())
    form["information"] = {k: v for k, v in form["information"].items() if k not in ("receipt_desired_date", "addressee")}
    form["information"]["receipt_method"] = "当社窓口"
    assert problems(form) == [
        ("information.visit_at", "required_for_counter", "来店予定日時（information.visit_at）を入力してください（受取方法が当社窓口の場合は必須です）")
    ]
    form["information"]["visit_at"] = "2023-04-10 14:00"
    d = validate_form(form).valid.paper_delivery
    jst = timezone(timedelta(hours=9))
    assert (d.method, d.visit_at, d.addressee) == (ReceiptMethod.COUNTER, datetime(2023, 4, 10, 14, 0, tzinfo=jst), None)
    form["information"]["visit_at"] = "2023-04-10T05:00:00+00:00"
    assert validate_form(form).valid.paper_delivery.visit_at == datetime(2023, 4, 10, 14, 0, tzinfo=jst)


@pytest.mark.parametrize("value", ["2023-04-10", "14:00", "2023/04/10 14:00", "2023-04-10 25:00"])
def test_bad_visit_times(value):
    form = paper(valid_form())
    form["information"] |= {"receipt_method": "当社窓口", "visit_at": value}
    assert problems(form) == [
        ("information.visit_at", "datetime", "来店予定日時（information.visit_at）は日時（例 2023-04-10 14:00）で入力してください")
    ]


def test_unknown_receipt_method():
    form = paper(valid_form())
    form["information"]["receipt_method"] = "宅配"
    assert problems(form) == [
        ("information.receipt_method", "choice", "受取方法（information.receipt_method）は「送付」「当社窓口」のいずれかを選択してください")
    ]


def test_no_paper_delivery_when_every_product_is_electronic():
    form = valid_form()
    form["information"]["receipt_method"] = "送付"  # left over from an earlier choice: not required, not sent
    v = validate_form(form)
    assert v.ok and v.valid.paper_delivery is None


def test_contact_and_message_are_carried():
    form = valid_form()
    form["information"]["message_to_company"] = "  午前中に連絡をお願いします "
    v = validate_form(form).valid
    assert (v.contact.department, v.contact.title, v.contact.name, v.contact.phone) == ("総務部", None, "山田 太郎", "044-000-0000")
    assert v.message_to_company == "午前中に連絡をお願いします"
    del form["information"]["contact"], form["information"]["message_to_company"]
    v = validate_form(form).valid
    assert (v.contact, v.message_to_company) == (None, None)
