"""変更申込 against the guarantee it changes (amendments.judge_guarantee), the links a change keeps, and
the review of the new figures (the rules of a new application, the guarantee itself excepted)."""

import uuid
from datetime import date

from services.issuance.domain.acceptance import review
from services.issuance.domain.amendments import (
    amended_application,
    amended_number,
    judge_advances,
    judge_guarantee,
)
from services.issuance.domain.content import build_content
from services.issuance.domain.model import Branch, IssuerCompany
from shared.events import Product, content_digest
from tests.unit.issuance.factories import (
    advance,
    amending,
    application,
    bid_bond,
    bid_bond_application,
    contract_guarantee,
    guarantee,
    intermediate,
    linked,
    paper,
)
from tests.unit.issuance.test_acceptance_products import BRANCH, KAWASAKI

NUMBER = "35026-00001M"
NOT_FOUND = (
    "amendment.contract_number", "amendment_not_found",
    "変更する保証契約の保証契約番号（amendment.contract_number）「35026-00001M」の保証契約が見つかりません。",
)


def judged(app, found) -> list[tuple[str, str, str]]:
    return [(r.field, r.rule, r.message) for r in judge_guarantee(app, found)]


def change(base_version=0, **product_changes):
    """A 変更申込 of the sample 前払金保証: 20,000,000 → 22,000,000 円."""
    return amending(application(products=[advance(guaranteed_amount=22_000_000, **product_changes)]), NUMBER, base_version)


def test_a_change_of_the_latest_version_is_accepted():
    assert amended_number(change()) == NUMBER
    assert amended_number(application()) is None
    assert judged(change(), guarantee()) == []
    assert judged(change(base_version=2), guarantee(version=2)) == []
    assert judged(amending(change(), " 35026-00001M "), guarantee()) == []  # the number as typed, trimmed


def test_an_unknown_number_and_another_company_s_read_the_same():
    assert judged(change(), None) == [NOT_FOUND]
    assert judged(change(), guarantee(contractor_company_id=uuid.uuid4())) == [NOT_FOUND]


def test_a_change_prepared_from_an_older_version_is_outdated():
    assert judged(change(base_version=1), guarantee(version=2)) == [(
        "amendment.base_version", "amendment_outdated",
        "この保証契約には、変更申込の作成後に変更-2が発行されています。最新の内容から変更申込を作り直してください。",
    )]
    assert judged(change(base_version=0), guarantee(version=1))[0][2].startswith("この保証契約には、変更申込の作成後に変更-1が")


def test_a_base_version_the_guarantee_does_not_have():
    assert judged(change(base_version=3), guarantee(version=1)) == [(
        "amendment.base_version", "amendment_base_version_unknown",
        "変更申込の元になった版（amendment.base_version）「変更-3」はこの保証契約にありません（最新は変更-1）。"
        "最新の内容から変更申込を作り直してください。",
    )]


def test_the_same_product_only():
    app = amending(application(products=[contract_guarantee()]), NUMBER)
    assert judged(app, guarantee()) == [(
        "amendment.contract_number", "amendment_other_product",
        "保証契約「35026-00001M」（amendment.contract_number）は前払金保証です。契約保証の変更申込では変更できません。",
    )]
    two = amending(application(products=[advance(), contract_guarantee()]), NUMBER)
    assert judged(two, guarantee()) == [(
        "products", "amendment_one_product",
        "変更申込の保証の申込内容は、変更する保証契約の商品（前払金保証）一つだけにしてください。",
    )]


def test_a_bid_bond_cannot_change():
    """As on Net Desk: a 契約保証予約 in force is converted or lapses, never amended."""
    bond = guarantee("35026-00001Y", product=Product.BID_BOND)
    app = amending(bid_bond_application(products=[bid_bond(guaranteed_amount=5_000_000)]), "35026-00001Y")
    assert judged(app, bond) == [(
        "amendment.contract_number", "amendment_bid_bond",
        "契約保証予約「35026-00001Y」（amendment.contract_number）は変更できません。"
        "落札した場合は入札結果を登録して契約保証に切り替えてください。",
    )]
    assert judged(app, guarantee("35026-00001Y", product=Product.BID_BOND, lapsed=True)) == [(
        "amendment.contract_number", "amendment_bid_bond_lapsed",
        "契約保証予約「35026-00001Y」（amendment.contract_number）は落札できなかったため失効しています。変更できません。",
    )]
    assert judged(app, guarantee("35026-00001Y", product=Product.BID_BOND, converted_to="35026-00002K")) == [(
        "amendment.contract_number", "amendment_bid_bond_converted",
        "契約保証予約「35026-00001Y」（amendment.contract_number）は契約保証「35026-00002K」に移行済みです。"
        "変更は契約保証「35026-00002K」についてお申し込みください。",
    )]


def test_format_orderer_and_links_are_fixed():
    paper_change = amending(application(products=[paper(advance())]), NUMBER)
    assert judged(paper_change, guarantee()) == [(
        "products[0].certificate_format", "amendment_format_fixed",
        "この保証契約は「電子保証(認証キーを含む)」で発行されています。変更後も同じ形式です。"
        "保証証書の形式（products[0].certificate_format）は「電子保証(認証キーを含む)」を選択してください。",
    )]
    assert judged(change(), guarantee(electronic=False))[0][2].startswith("この保証契約は「証書(紙)」で発行されています。")
    assert judged(paper_change, guarantee(electronic=False, auth_key=None, auth_key_hash=None)) == []
    other_orderer = amending(application(orderer_code="mishima-city", products=[advance()]), NUMBER)
    assert judged(other_orderer, guarantee()) == [(
        "contract.orderer_code", "amendment_orderer_fixed",
        "変更申込では発注者（contract.orderer_code）を変更できません。発注者が異なる場合は、新たに保証をお申し込みください。",
    )]
    c = guarantee("35026-00001C", product=Product.INTERMEDIATE_ADVANCE_PAYMENT, advance_payment_contract_number=NUMBER)
    same = amending(application(products=[intermediate(advance_payment_contract_number=NUMBER)]), "35026-00001C")
    assert judged(same, c) == []
    moved = amending(application(products=[intermediate(advance_payment_contract_number="35026-00009M")]), "35026-00001C")
    assert judged(moved, c) == [(
        "products[0].advance_payment_contract_number", "amendment_link_fixed",
        "変更申込では前払金保証の保証契約番号（products[0].advance_payment_contract_number）を変更できません"
        "（この保証契約では「35026-00001M」です）。",
    )]
    k = guarantee("35026-00001K", product=Product.CONTRACT_GUARANTEE)
    named = amending(application(products=[contract_guarantee(bid_bond_contract_number="35026-00001Y")]), "35026-00001K")
    assert judged(named, k)[0][2].endswith("（この保証契約には契約保証予約の保証契約番号がありません）。")


def test_the_change_keeps_the_guarantee_s_links():
    c = guarantee("35026-00001C", product=Product.INTERMEDIATE_ADVANCE_PAYMENT, advance_payment_contract_number=NUMBER)
    app = amending(application(products=[intermediate(advance_payment_contract_number=None)]), "35026-00001C")
    amended = amended_application(app, c)
    assert amended.products[0].advance_payment_contract_number == NUMBER
    assert amended.products[0].guaranteed_amount == app.products[0].guaranteed_amount
    assert amended.amendment == app.amendment and amended.application_id == app.application_id
    k = guarantee("35026-00001K", product=Product.CONTRACT_GUARANTEE, bid_bond_contract_number="35026-00001Y")
    converted = amended_application(amending(application(products=[contract_guarantee()]), "35026-00001K"), k)
    assert converted.products[0].bid_bond_contract_number == "35026-00001Y"


def test_review_of_a_change_excepts_the_guarantee_itself():
    """The 前払金 already has a 中間前払金 (this one) and the bond was already converted (into this one):
    neither stops the change; the ceilings still apply."""
    c = guarantee("35026-00001C", product=Product.INTERMEDIATE_ADVANCE_PAYMENT, advance_payment_contract_number=NUMBER)
    parent = linked(NUMBER, intermediate_contract_number="35026-00001C")
    app = amended_application(amending(application(products=[intermediate(guaranteed_amount=9_000_000)]), "35026-00001C"), c)
    assert review(app, KAWASAKI, BRANCH, {NUMBER: parent}) == []
    over = amended_application(amending(application(products=[intermediate(guaranteed_amount=11_000_000)]), "35026-00001C"), c)
    assert [r.rule for r in review(over, KAWASAKI, BRANCH, {NUMBER: parent})] == ["intermediate_advance_ceiling", "advances_ceiling"]
    renamed = amended_application(
        amending(application(construction_name="河川維持（○○）工事（その2）", products=[intermediate()]), "35026-00001C"), c
    )
    assert review(renamed, KAWASAKI, BRANCH, {NUMBER: parent}) == []  # the 工事名 of a change may lead its 前払金's
    # A new 中間前払金 on the same 前払金 is still refused.
    assert [r.rule for r in review(application(products=[intermediate()]), KAWASAKI, BRANCH, {NUMBER: parent})] == [
        "intermediate_already_issued"
    ]

    k = guarantee("35026-00001K", product=Product.CONTRACT_GUARANTEE, bid_bond_contract_number="35026-00001Y")
    bond = linked("35026-00001Y", product=Product.BID_BOND, guaranteed_amount=4_800_000, converted_to="35026-00001K")
    changed_k = amended_application(amending(application(products=[contract_guarantee(guaranteed_amount=6_000_000)]), "35026-00001K"), k)
    assert review(changed_k, KAWASAKI, BRANCH, {"35026-00001Y": bond}) == []


def test_a_changed_advance_payment_stays_within_sixty_percent_with_its_intermediate():
    m = guarantee(intermediate_guaranteed_amount=10_000_000)
    on_the_limit = amending(application(products=[advance(guaranteed_amount=20_000_000)]), NUMBER)
    assert judge_advances(on_the_limit, m) == []  # 20,000,000 + 10,000,000 of 50,000,000 = 60%
    raised = amending(application(products=[advance(guaranteed_amount=21_000_000)]), NUMBER)
    assert [(r.field, r.rule, r.message) for r in judge_advances(raised, m)] == [(
        "products[0].guaranteed_amount", "advances_ceiling",
        "前払金と中間前払金の保証金額の合計（products[0].guaranteed_amount）は請負金額の60%以下にしてください（現在 62.0%）。",
    )]
    assert judge_advances(raised, guarantee()) == []  # no 中間前払金


def test_the_content_of_a_change_is_version_n_of_the_same_number():
    issuer = IssuerCompany("東日本建設業保証株式会社", "東京都中央区八丁堀２丁目２７番１０号", "原田　保夫")
    branch = Branch(code="350", name="神奈川支店", tel="045-662-8203", fax="045-662-8210")
    app = change()
    first = build_content(app, advance(), contract_number=NUMBER, orderer=KAWASAKI, issuer=issuer, branch=branch,
                          certificate_date=date(2026, 7, 1))
    second = build_content(app, app.products[0], contract_number=NUMBER, orderer=KAWASAKI, issuer=issuer, branch=branch,
                           certificate_date=date(2026, 9, 1), version=1)
    assert (second.contract_number, second.version, second.guaranteed_amount) == (NUMBER, 1, 22_000_000)
    assert content_digest(first) != content_digest(second)
