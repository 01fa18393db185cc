from datetime import date

from services.issuance.domain.content import build_content, version_label
from services.issuance.domain.model import Branch, IssuerCompany, JudgedOn, Orderer
from shared.events import Product, content_digest
from tests.unit.issuance.factories import application

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
