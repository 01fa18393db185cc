"""The orderer registry's rules: known orderer, 電子保証 from a date (or never), amount unit, 入札の状況."""

from datetime import date

from services.application.domain.context import FormContext
from services.application.domain.validation import validate_form
from tests.unit.application.contexts import context
from tests.unit.application.forms import bid_bond_form, intermediate_form, paper, valid_form


def problems(form: dict, ctx=None) -> list[tuple[str, str, str]]:
    return [(p.path, p.rule, p.message) for p in validate_form(form, ctx).problems]


def test_a_known_orderer_accepting_e_surety_passes():
    assert problems(valid_form(), context()) == []


def test_unknown_orderer():
    form = valid_form()
    form["contract"]["orderer_code"] = "nowhere-town"
    assert problems(form, context()) == [
        ("contract.orderer_code", "orderer_unknown", "発注者コード（contract.orderer_code）の「nowhere-town」は登録されている発注者ではありません。発注者コードを確認してください")
    ]


def test_registry_unreachable_is_a_warning():
    v = validate_form(valid_form(), FormContext(today=date(2023, 3, 21), orderers=None))
    assert v.ok and [(p.path, p.rule, p.message, p.severity) for p in v.problems] == [
        (
            "contract.orderer_code",
            "orderer_unchecked",
            "発注者コード（contract.orderer_code）の発注者の条件（電子保証の取扱い・保証金額の単位・入札の状況）を確認できませんでした。受付時に確認します",
            "warning",
        )
    ]


def test_without_a_context_no_orderer_rule_is_checked():
    form = valid_form()
    form["contract"]["orderer_code"] = "nowhere-town"
    assert problems(form) == []


def test_e_surety_not_yet_on_the_contract_date():
    ctx = context(e_surety_from=date(2023, 4, 1))
    form = valid_form()
    form["contract_guarantee"]["certificate_format"] = "証書(紙)"  # paper is always accepted
    form["information"] |= {"receipt_method": "当社窓口", "visit_at": "2023-04-10 14:00"}
    assert problems(form, ctx) == [
        (
            "advance_payment.certificate_format",
            "orderer_e_surety_from_contract_date",
            "前払金保証の保証証書の形式（advance_payment.certificate_format）の電子保証は、川崎市では令和5年4月1日以降に締結する契約から取り扱えます"
            "（請負契約日 令和5年3月20日）。証書(紙)を選択するか、請負契約日を確認してください",
        )
    ]
    form["contract"]["contract_date"] = "20230401"
    assert problems(form, ctx) == []


def test_orderer_without_e_surety_accepts_paper_only():
    ctx = context(e_surety_from=None)
    form = valid_form()
    del form["contract_guarantee"]
    assert problems(form, ctx) == [
        ("advance_payment.certificate_format", "orderer_no_e_surety", "前払金保証の保証証書の形式（advance_payment.certificate_format）の電子保証は、川崎市では取り扱っていません。証書(紙)を選択してください")
    ]
    assert problems(paper(form), ctx) == []


def test_e_surety_judged_on_the_tender_notice_date():
    form = valid_form()
    del form["contract_guarantee"]
    form["contract"]["orderer_code"] = "yurihonjo-city"
    assert problems(form, context()) == [
        ("contract.tender_notice_date", "tender_notice_date_required", "入札公告日（contract.tender_notice_date）を入力してください（由利本荘市の電子保証は入札公告日で判定します）")
    ]
    form["contract"]["tender_notice_date"] = "20260331"
    assert problems(form, context()) == [
        (
            "advance_payment.certificate_format",
            "orderer_e_surety_from_tender_notice",
            "前払金保証の保証証書の形式（advance_payment.certificate_format）の電子保証は、由利本荘市では令和8年4月1日以降に入札公告等をする工事から取り扱えます"
            "（入札公告日 令和8年3月31日）。証書(紙)を選択するか、入札公告日を確認してください",
        )
    ]
    form["contract"]["tender_notice_date"] = "20260401"
    assert problems(form, context()) == []


def test_bid_bond_before_the_contract_is_judged_when_converted():
    assert problems(bid_bond_form(), context(e_surety_from=date(2030, 4, 1))) == []


def test_advance_payment_rounded_to_the_orderers_unit():
    form = valid_form()
    form["advance_payment"]["guaranteed_amount"] = 19_995_000
    assert problems(form, context(rounding_unit=10_000)) == [
        ("advance_payment.guaranteed_amount", "rounding", "前払金保証金額（advance_payment.guaranteed_amount）は川崎市の定めにより1万円単位にしてください（端数を切り捨てると 19,990,000 円）")
    ]
    form["advance_payment"]["guaranteed_amount"] = 19_900_000
    assert problems(form, context(rounding_unit=100_000)) == []
    form["contract_guarantee"]["guaranteed_amount"] = 5_000_001  # 契約保証 is not rounded
    assert problems(form, context(rounding_unit=100_000)) == []


def test_intermediate_rounded_to_the_orderers_unit():
    form = intermediate_form()
    form["intermediate_advance_payment"]["guaranteed_amount"] = 9_950_000
    assert problems(form, context(rounding_unit=100_000)) == [
        ("intermediate_advance_payment.guaranteed_amount", "rounding", "中間前払金保証金額（intermediate_advance_payment.guaranteed_amount）は川崎市の定めにより10万円単位にしてください（端数を切り捨てると 9,900,000 円）")
    ]


def test_tender_status_required_by_the_orderer():
    ctx = context(requires_tender_status=True)
    assert problems(valid_form(), ctx) == [
        ("tender", "tender_required", "入札の状況（tender）を入力してください（川崎市への申込では必須です）")
    ]
    form = valid_form()
    form["tender"] = {"order_type": "指名競争入札"}
    assert problems(form, ctx) == [("tender.award_date", "required", "落札日（tender.award_date）を入力してください")]
    form["tender"]["award_date"] = "20230315"
    assert problems(form, ctx) == []
    assert problems(bid_bond_form(), ctx) == []  # before the bid there is no 入札の状況


def test_advance_above_the_orderers_usual_ratio_is_a_warning_only():
    """40% is the legal ceiling; an orderer that usually pays 30% may still allow more for one contract."""
    v = validate_form(valid_form(), context(advance_payment_percent=30))
    assert v.ok
    assert [(p.path, p.rule, p.message, p.severity) for p in v.problems] == [
        (
            "advance_payment.guaranteed_amount",
            "advance_payment_above_orderer_ratio",
            "前払金保証金額（advance_payment.guaranteed_amount）は川崎市が通常支払う前払金の割合（請負金額の30%）を超えています"
            "（現在 40.0%）。この工事で発注者が認めていることを確認してください",
            "warning",
        )
    ]
    form = valid_form()
    form["advance_payment"]["guaranteed_amount"] = 15_000_000  # exactly 30%
    assert problems(form, context(advance_payment_percent=30)) == []
    form["advance_payment"]["guaranteed_amount"] = 25_000_000  # over the legal 40%: the error alone
    assert [p[1] for p in problems(form, context(advance_payment_percent=30))] == ["advance_payment_ceiling"]
