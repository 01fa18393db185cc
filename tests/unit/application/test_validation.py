"""申込確認 rules: each passes on the valid sample and fails with its exact Japanese message."""

from datetime import date

import pytest

from shared.events import CertificateFormat, Product
from services.application.domain.validation import validate_form
from tests.unit.application.forms import valid_form


def problems(form: dict) -> list[tuple[str, str, str]]:
    return [(p.path, p.rule, p.message) for p in validate_form(form).problems]


def test_the_sample_is_valid_and_typed():
    v = validate_form(valid_form())
    assert v.ok and v.problems == []
    assert v.valid.contract.contract_amount == 50_000_000
    assert v.valid.contract.period_start == date(2023, 4, 1)
    assert v.valid.contract.contract_date == date(2023, 3, 20)  # entered as 20230320
    assert v.valid.contract.period_end == date(2024, 3, 29)  # entered as ISO
    ap, cg = v.valid.products
    assert (ap.product, ap.certificate_format, ap.guaranteed_amount) == (Product.ADVANCE_PAYMENT, CertificateFormat.ELECTRONIC, 20_000_000)
    assert ap.fee_statement_paper is False and cg.fee_statement_paper is True
    assert cg.depository is None
    assert v.valid.branch == "川崎支店"
    assert (v.valid.notification.wanted, v.valid.notification.email) == (True, "soumu@example.jp")
    assert v.ratios == {
        "advance_payment": {"percent": "40.0%", "against": "contract_amount", "against_label": "請負金額", "amount": 20_000_000, "against_amount": 50_000_000},
        "contract_guarantee": {"percent": "10.0%", "against": "contract_amount", "against_label": "請負金額", "amount": 5_000_000, "against_amount": 50_000_000},
    }


def test_an_empty_form_lists_every_required_field_at_once():
    assert problems({}) == [
        ("contract.construction_name", "required", "工事名（contract.construction_name）を入力してください"),
        ("contract.orderer_code", "required", "発注者コード（contract.orderer_code）を入力してください"),
        ("contract.orderer_name", "required", "発注者名（contract.orderer_name）を入力してください"),
        ("contract.contract_amount", "required", "請負金額（contract.contract_amount）を入力してください"),
        ("contract.period_start", "required", "工期の開始日（contract.period_start）を入力してください"),
        ("contract.period_end", "required", "工期の終了日（contract.period_end）を入力してください"),
        ("contract.contract_date", "required", "請負契約日（contract.contract_date）を入力してください"),
        ("products", "at_least_one_product", "保証の申込内容（products）は前払金保証・中間前払金保証・契約保証・契約保証予約のいずれかを申し込んでください"),
        ("information.branch", "required", "申込送信先（information.branch）を入力してください"),
        ("information.notification_wanted", "required_choice", "電子保証発行完了のお知らせ（information.notification_wanted）を選択してください"),
    ]


def test_blank_text_counts_as_missing():
    form = valid_form()
    form["contract"]["construction_name"] = "　 "[1:]  # a space
    assert problems(form) == [("contract.construction_name", "required", "工事名（contract.construction_name）を入力してください")]


def test_each_applied_product_needs_its_fields():
    form = valid_form()
    form["advance_payment"] = {"apply": True}
    form["contract_guarantee"] = {"apply": True}
    assert problems(form) == [
        ("advance_payment.certificate_format", "required_choice", "前払金保証の保証証書の形式（advance_payment.certificate_format）を選択してください"),
        ("advance_payment.guaranteed_amount", "required", "前払金保証金額（advance_payment.guaranteed_amount）を入力してください"),
        ("advance_payment.depository", "required", "預託金融機関（advance_payment.depository）を入力してください"),
        ("advance_payment.redeposit", "required_choice", "再預託利用区分（advance_payment.redeposit）を選択してください"),
        ("advance_payment.fee_payment_method", "required", "前払金保証料支払方法（advance_payment.fee_payment_method）を入力してください"),
        ("advance_payment.fee_billing_to", "required", "前払金保証料請求先（advance_payment.fee_billing_to）を入力してください"),
        ("advance_payment.fee_statement_paper", "required_choice", "前払金保証の保証料計算書(紙)（advance_payment.fee_statement_paper）を選択してください"),
        ("contract_guarantee.certificate_format", "required_choice", "契約保証の保証証書の形式（contract_guarantee.certificate_format）を選択してください"),
        ("contract_guarantee.guaranteed_amount", "required", "契約保証金額（contract_guarantee.guaranteed_amount）を入力してください"),
        ("contract_guarantee.fee_payment_method", "required", "契約保証料支払方法（contract_guarantee.fee_payment_method）を入力してください"),
        ("contract_guarantee.fee_billing_to", "required", "契約保証料請求先（contract_guarantee.fee_billing_to）を入力してください"),
        ("contract_guarantee.fee_statement_paper", "required_choice", "契約保証の保証料計算書(紙)（contract_guarantee.fee_statement_paper）を選択してください"),
    ]


def test_a_product_not_applied_is_not_checked_and_one_product_is_enough():
    form = valid_form()
    form["contract_guarantee"] = {"apply": False, "guaranteed_amount": "1.5"}
    v = validate_form(form)
    assert v.ok
    assert [p.product for p in v.valid.products] == [Product.ADVANCE_PAYMENT]
    assert "contract_guarantee" not in v.ratios


def test_no_product_applied():
    form = valid_form()
    form["advance_payment"]["apply"] = False
    form["contract_guarantee"]["apply"] = False
    assert problems(form) == [
        ("products", "at_least_one_product", "保証の申込内容（products）は前払金保証・中間前払金保証・契約保証・契約保証予約のいずれかを申し込んでください")
    ]


@pytest.mark.parametrize("value", [1.5, "1.5", 20_000_000.0, 0, -5, "abc", True, "２０．００"])
def test_amounts_must_be_positive_integers(value):
    form = valid_form()
    form["contract"]["contract_amount"] = value
    assert problems(form) == [
        ("contract.contract_amount", "amount", "請負金額（contract.contract_amount）は1以上の整数（円）で入力してください（例 20000000）")
    ]


@pytest.mark.parametrize("value", ["50000000", "50,000,000", 50_000_000])
def test_amounts_accept_whole_yen_as_number_or_digits(value):
    form = valid_form()
    form["contract"]["contract_amount"] = value
    v = validate_form(form)
    assert v.ok and v.valid.contract.contract_amount == 50_000_000


@pytest.mark.parametrize("value, expected", [("20230320", date(2023, 3, 20)), ("2023-03-20", date(2023, 3, 20)), (20230320, date(2023, 3, 20))])
def test_dates_accept_the_forms_input_and_iso(value, expected):
    form = valid_form()
    form["contract"]["contract_date"] = value
    assert validate_form(form).valid.contract.contract_date == expected


@pytest.mark.parametrize("value", ["20230230", "2023/02/30", "R5.3.20", "2023-3-20", "202303201"])
def test_bad_dates(value):
    form = valid_form()
    form["contract"]["contract_date"] = value
    assert problems(form) == [
        ("contract.contract_date", "date", "請負契約日（contract.contract_date）は日付（例 20230320 または 2023-03-20）で入力してください")
    ]


def test_period_start_must_not_be_after_end():
    form = valid_form()
    form["contract"]["period_start"] = "20240401"
    form["contract"]["period_end"] = "20240331"
    assert problems(form) == [
        ("contract.period_end", "period_order", "工期の終了日（contract.period_end）は工期の開始日以降の日付にしてください")
    ]
    form["contract"]["period_end"] = "20240401"  # one-day works are fine
    assert problems(form) == []


def test_advance_payment_over_40_percent_of_contract_amount():
    form = valid_form()
    form["advance_payment"]["guaranteed_amount"] = 25_000_000
    assert problems(form) == [
        (
            "advance_payment.guaranteed_amount",
            "advance_payment_ceiling",
            "前払金保証金額（advance_payment.guaranteed_amount）は請負金額の40%以下にしてください（現在 50.0%）",
        )
    ]
    form["advance_payment"]["guaranteed_amount"] = 20_000_001
    assert problems(form)[0][2].endswith("（現在 40.0%超）")  # just over 40%: the truncated display says 超


def test_advance_payment_against_this_years_target_amount():
    form = valid_form()
    form["advance_payment"]["fiscal_year_target_amount"] = 30_000_000
    form["advance_payment"]["guaranteed_amount"] = 12_000_000
    v = validate_form(form)
    assert v.ok
    assert v.ratios["advance_payment"] == {
        "percent": "40.0%", "against": "fiscal_year_target_amount", "against_label": "今年度対象額", "amount": 12_000_000, "against_amount": 30_000_000,
    }
    assert v.valid.products[0].fiscal_year_target_amount == 30_000_000
    form["advance_payment"]["guaranteed_amount"] = 15_000_000
    assert problems(form) == [
        (
            "advance_payment.guaranteed_amount",
            "advance_payment_ceiling",
            "前払金保証金額（advance_payment.guaranteed_amount）は今年度対象額の40%以下にしてください（現在 50.0%）",
        )
    ]


def test_target_amount_cannot_exceed_contract_amount():
    form = valid_form()
    form["advance_payment"]["fiscal_year_target_amount"] = 60_000_000
    assert problems(form) == [
        (
            "advance_payment.fiscal_year_target_amount",
            "fiscal_year_target_within_contract",
            "今年度対象額（advance_payment.fiscal_year_target_amount）は請負金額以下にしてください",
        )
    ]


def test_contract_guarantee_at_least_10_percent():
    form = valid_form()
    form["contract_guarantee"]["guaranteed_amount"] = 4_999_999
    assert problems(form) == [
        (
            "contract_guarantee.guaranteed_amount",
            "contract_guarantee_floor",
            "契約保証金額（contract_guarantee.guaranteed_amount）は請負金額の10%以上にしてください（現在 9.9%）",
        )
    ]


def test_contract_guarantee_at_most_the_contract_amount():
    form = valid_form()
    form["contract_guarantee"]["guaranteed_amount"] = 50_000_000
    assert problems(form) == []
    form["contract_guarantee"]["guaranteed_amount"] = 50_000_001
    assert problems(form) == [
        (
            "contract_guarantee.guaranteed_amount",
            "contract_guarantee_ceiling",
            "契約保証金額（contract_guarantee.guaranteed_amount）は請負金額以下にしてください（現在 100.0%超）",
        )
    ]


def test_depository_half_width_is_converted_to_full_width():
    form = valid_form()
    form["advance_payment"]["depository"] = "ﾐｽﾞﾎ銀行 ｼﾌﾞﾔ支店"
    v = validate_form(form)
    assert v.ok
    assert v.valid.products[0].depository == "ミズホ銀行　シブヤ支店"
    assert v.normalized["advance_payment"]["depository"] == "ミズホ銀行　シブヤ支店"
    form["advance_payment"]["depository"] = "ABC Bank 1"
    assert validate_form(form).valid.products[0].depository == "ＡＢＣ　Ｂａｎｋ　１"


def test_depository_that_cannot_be_full_width_is_refused():
    form = valid_form()
    form["advance_payment"]["depository"] = "〇〇銀行\t支店"
    assert problems(form) == [
        (
            "advance_payment.depository",
            "full_width",
            "預託金融機関（advance_payment.depository）は全角で入力してください（全角にできない文字: タブ（U+0009））",
        )
    ]


def test_paper_certificates_are_accepted_and_need_a_receipt_method():
    form = valid_form()
    form["contract_guarantee"]["certificate_format"] = "証書(紙)"
    assert problems(form) == [
        (
            "information.receipt_method",
            "receipt_method_required",
            "受取方法（information.receipt_method）を選択してください（証書(紙)で申し込む保証がある場合は必須です）",
        )
    ]
    form["information"]["receipt_method"] = "当社窓口"
    form["information"]["visit_at"] = "2023-04-10 14:00"
    v = validate_form(form)
    assert v.ok and v.valid.products[1].certificate_format is CertificateFormat.PAPER


def test_unknown_choices():
    form = valid_form()
    form["advance_payment"]["certificate_format"] = "fax"
    form["advance_payment"]["redeposit"] = "はい"
    form["information"]["notification_wanted"] = "maybe"
    assert problems(form) == [
        ("advance_payment.certificate_format", "choice", "前払金保証の保証証書の形式（advance_payment.certificate_format）は「電子保証」「証書(紙)」のいずれかを選択してください"),
        ("advance_payment.redeposit", "choice", "再預託利用区分（advance_payment.redeposit）は「利用しない」「利用する」のいずれかを選択してください"),
        ("information.notification_wanted", "choice", "電子保証発行完了のお知らせ（information.notification_wanted）は「希望する」「希望しない」のいずれかを選択してください"),
    ]


def test_email_required_when_the_notification_is_wanted():
    form = valid_form()
    del form["information"]["email"]
    assert problems(form) == [
        ("information.email", "email_required", "メールアドレス（information.email）を入力してください（電子保証発行完了のお知らせを希望する場合は必須です）")
    ]
    form["information"]["notification_wanted"] = "希望しない"
    v = validate_form(form)
    assert v.ok and v.valid.notification.wanted is False and v.valid.notification.email is None


@pytest.mark.parametrize("value", ["soumu", "soumu@", "@example.jp", "so umu@example.jp"])
def test_email_must_be_an_address(value):
    form = valid_form()
    form["information"]["email"] = value
    assert problems(form) == [("information.email", "email", "メールアドレス（information.email）の形式が正しくありません")]


def test_a_section_that_is_not_an_object():
    form = valid_form()
    form["information"]["contact"] = "山田"
    assert problems(form) == [("information.contact", "section", "連絡先（information.contact）の形式が正しくありません")]


def test_every_problem_carries_its_japanese_label():
    form = valid_form()
    form["advance_payment"]["guaranteed_amount"] = 30_000_000
    (problem,) = validate_form(form).problems
    assert problem.as_dict() == {
        "path": "advance_payment.guaranteed_amount",
        "label": "前払金保証金額",
        "rule": "advance_payment_ceiling",
        "message": "前払金保証金額（advance_payment.guaranteed_amount）は請負金額の40%以下にしてください（現在 60.0%）",
        "severity": "error",
    }

