from datetime import date

from services.issuance.domain.content import build_content, version_label
from services.issuance.domain.model import Branch, IssuerCompany, JudgedOn, Orderer
from shared.events import Product, content_digest
from tests.unit.issuance.factories import (
    advance,
    application,
    bid_bond_application,
    contract_guarantee,
    intermediate,
    paper,
)

ISSUER = IssuerCompany(name="東日本建設業保証株式会社", address="東京都中央区八丁堀２丁目２７番１０号", president="原田　保夫")
BRANCH = Branch(code="350", name="神奈川支店", tel="045-662-8203", fax="045-662-8210")
KAWASAKI = Orderer("kawasaki-city", "川崎市", "川崎市長", date(2023, 4, 1), JudgedOn.CONTRACT_DATE)


def build(app, index: int, number: str):
    return build_content(
        app, app.products[index], contract_number=number, orderer=KAWASAKI, issuer=ISSUER, branch=BRANCH,
        certificate_date=date(2026, 7, 3),
    )


def test_advance_payment_certificate():
    app = application(jv_name="○○・△△特定建設工事共同企業体")
    content = build(app, 0, "35026-00001M")
    assert content.title == "保証証書（前払金保証）"
    assert content.product is Product.ADVANCE_PAYMENT
    assert content.contract_number == "35026-00001M"
    assert content.version == 0
    assert content.certificate_date == date(2026, 7, 3)
    assert content.contractor.name == "○○建設　株式会社"
    assert content.contractor.address == "神奈川県横浜市中区１－２－３"
    assert content.obligee.name == "川崎市長"
    assert content.obligee_code == "kawasaki-city"
    assert content.guaranteed_amount == 20_000_000
    assert content.guarantee_expiry == date(2027, 3, 31)  # 工期末
    assert content.contract_amount == 50_000_000
    assert (content.period_start, content.period_end, content.contract_date) == (date(2026, 7, 2), date(2027, 3, 31), date(2026, 7, 1))
    assert content.depository == "○○銀行　××支店"
    assert content.jv_name == "○○・△△特定建設工事共同企業体"
    assert content.clause == "前払金保証約款"
    assert content.issuer.name == "東日本建設業保証株式会社"
    assert content.issuer.president == "原田　保夫"
    assert (content.issuer.branch.name, content.issuer.branch.tel, content.issuer.branch.fax) == ("神奈川支店", "045-662-8203", "045-662-8210")
    assert content.electronic is True


def test_contract_guarantee_certificate_has_no_depository():
    content = build(application(), 1, "35026-00001K")
    assert content.title == "保証証書（契約保証）"
    assert content.guaranteed_amount == 5_000_000
    assert content.depository is None
    assert content.clause == "契約保証約款"


def test_registry_name_when_the_application_gives_none():
    content = build(application(orderer_name=" "), 0, "35026-00002M")
    assert content.obligee.name == "川崎市長"


def test_digest_is_stable_and_content_sensitive():
    app = application()
    a, b = build(app, 0, "35026-00001M"), build(app, 0, "35026-00001M")
    assert content_digest(a) == content_digest(b)
    assert content_digest(a).startswith("sha256:") and len(content_digest(a)) == 7 + 64
    assert content_digest(a) != content_digest(a.model_copy(update={"guaranteed_amount": 20_000_001}))


def test_version_labels():
    assert version_label(0) == "新規"
    assert version_label(2) == "変更-2"


def test_every_product_has_its_title_and_clause():
    expected = {
        Product.ADVANCE_PAYMENT: ("保証証書（前払金保証）", "前払金保証約款"),
        Product.INTERMEDIATE_ADVANCE_PAYMENT: ("保証証書（中間前払金保証）", "前払金保証約款"),
        Product.CONTRACT_GUARANTEE: ("保証証書（契約保証）", "契約保証約款"),
        Product.BID_BOND: ("保証証書（契約保証予約）", "契約保証予約約款"),
    }
    for product, (title, clause) in expected.items():
        app = application(products=[advance(product=product)])
        content = build(app, 0, "35026-00001M")
        assert (content.title, content.clause) == (title, clause)


def test_intermediate_advance_payment_links_its_advance_payment():
    content = build(application(products=[intermediate(advance_payment_contract_number=" 35026-00001M ")]), 0, "35026-00001C")
    assert content.product is Product.INTERMEDIATE_ADVANCE_PAYMENT
    assert content.advance_payment_contract_number == "35026-00001M"
    assert content.depository == "○○銀行　××支店"  # deposited like the 前払金
    assert content.guaranteed_amount == 10_000_000
    assert content.bid_bond_contract_number is None


def test_contract_guarantee_converted_from_a_bid_bond():
    app = application(products=[advance(), contract_guarantee(bid_bond_contract_number="35026-00001Y")])
    content = build(app, 1, "35026-00002K")
    assert content.bid_bond_contract_number == "35026-00001Y"
    assert content.advance_payment_contract_number is None


def test_bid_bond_without_contract_data():
    content = build(bid_bond_application(), 0, "35026-00001Y")
    assert content.title == "保証証書（契約保証予約）"
    assert (content.contract_amount, content.contract_date) == (None, None)
    assert (content.bid_date, content.bid_amount) == (date(2026, 6, 1), 48_000_000)
    assert content.guaranteed_amount == 4_800_000
    assert content.guarantee_expiry == date(2026, 7, 2)  # the request's 保証期限 (工期 start), not 工期末
    assert content.depository is None


def test_expiry_from_the_request_else_the_end_of_the_period():
    assert build(application(products=[advance(guarantee_expiry=date(2027, 3, 31))]), 0, "x").guarantee_expiry == date(2027, 3, 31)
    fiscal_year_end = date(2027, 3, 31)
    multi_year = application(products=[advance(guarantee_expiry=fiscal_year_end)], period_end=date(2028, 9, 30))
    assert build(multi_year, 0, "x").guarantee_expiry == fiscal_year_end
    assert build(application(products=[advance()], period_end=date(2028, 9, 30)), 0, "x").guarantee_expiry == date(2028, 9, 30)


def test_paper_product_is_not_electronic():
    app = application(products=[paper(advance()), contract_guarantee()])
    assert build(app, 0, "35026-00003M").electronic is False
    assert build(app, 1, "35026-00003K").electronic is True
