"""Acceptance of every product: paper, 電子保証 per product, rounding per orderer, 中間前払金 against its
前払金, 契約保証予約 (入札ボンド) and the 契約保証 converting it. Each rule passes and fails once."""

import uuid
from datetime import date

from services.issuance.domain.acceptance import review
from services.issuance.domain.links import linked_numbers
from services.issuance.domain.model import Branch, JudgedOn, Orderer
from shared.events import Product, RejectionReason
from tests.unit.issuance.factories import (
    advance,
    application,
    bid_bond,
    bid_bond_application,
    contract_guarantee,
    intermediate,
    linked,
    paper,
)

BRANCH = Branch(code="350", name="神奈川支店", tel="045-662-8203", fax="045-662-8210")
KAWASAKI = Orderer("kawasaki-city", "川崎市", "川崎市長", date(2023, 4, 1), JudgedOn.CONTRACT_DATE, rounding_unit=10_000)
PAPER_ONLY = Orderer("paper-town", "紙町", "紙町長", None, JudgedOn.CONTRACT_DATE)
PARENT = "35026-00001M"
BOND = "35026-00001Y"


def reasons(app, orderer=KAWASAKI, links=None) -> list[tuple[str, str, str]]:
    return [(r.field, r.rule, r.message) for r in review(app, orderer, BRANCH, links)]


# --- paper and 電子保証 per product ---------------------------------------------------------------


def test_paper_needs_no_e_surety():
    for orderer in (KAWASAKI, PAPER_ONLY):
        app = application(products=[paper(advance()), paper(contract_guarantee())], contract_date=date(2020, 1, 1))
        assert reasons(app, orderer) == []


def test_only_the_electronic_products_are_judged():
    early = application(products=[advance(), paper(contract_guarantee())], contract_date=date(2023, 3, 31))
    assert reasons(early) == [(
        "contract.contract_date", "orderer_not_yet_e_surety",
        "川崎市は2023年4月1日（令和5年4月1日）以降に締結する契約から電子保証に対応しています。",
    )]


def test_orderer_without_e_surety_refuses_each_electronic_product():
    app = application(orderer_code="paper-town", products=[advance(), paper(contract_guarantee())])
    assert reasons(app, PAPER_ONLY) == [(
        "products[0].certificate_format", "orderer_no_e_surety",
        "紙町は電子保証に対応していません。前払金保証の保証証書の形式（products[0].certificate_format）は「証書(紙)」を選択してください。",
    )]


def test_contract_data_required_except_for_a_bid_bond_alone():
    assert reasons(application(products=[advance()], contract_amount=None, contract_date=None)) == [
        ("contract.contract_amount", "contract_amount_required",
         "請負金額（contract.contract_amount）を入力してください（契約保証予約のみの申込を除き必須です）。"),
        ("contract.contract_date", "contract_date_required",
         "請負契約日（contract.contract_date）を入力してください（契約保証予約のみの申込を除き必須です）。"),
    ]


# --- rounding per orderer -------------------------------------------------------------------------


def test_rounding_unit_applies_to_advances_only():
    assert reasons(application(products=[advance(guaranteed_amount=20_000_000)])) == []
    assert reasons(application(products=[advance(guaranteed_amount=20_005_000)])) == [(
        "products[0].guaranteed_amount", "rounding_unit",
        "前払金保証の保証金額（products[0].guaranteed_amount）は川崎市の定めにより10,000円未満を切り捨てた額にしてください（例 20,000,000円）。",
    )]
    odd_intermediate = application(products=[intermediate(guaranteed_amount=9_999_999)])
    assert [r[1] for r in reasons(odd_intermediate, links={PARENT: linked()})] == ["rounding_unit"]
    # 契約保証 amounts are not rounded by the orderer's unit.
    assert reasons(application(products=[advance(), contract_guarantee(guaranteed_amount=5_000_001)])) == []
    hundred_thousand = Orderer("nagano-pref", "長野県", "長野県知事", date(2022, 5, 9), JudgedOn.CONTRACT_DATE, rounding_unit=100_000)
    app = application(orderer_code="nagano-pref", products=[advance(guaranteed_amount=19_950_000)])
    assert reasons(app, hundred_thousand)[0][2].endswith("100,000円未満を切り捨てた額にしてください（例 19,900,000円）。")


# --- 契約保証予約 (入札ボンド) ------------------------------------------------------------------------


def test_bid_bond_alone_without_contract_data():
    assert reasons(bid_bond_application()) == []


def test_bid_bond_needs_bid_date_and_amount():
    app = bid_bond_application(products=[bid_bond(bid_date=None, bid_amount=None)])
    assert reasons(app) == [
        ("products[0].bid_date", "bid_date_required", "契約保証予約には入札日（products[0].bid_date）の入力が必要です。"),
        ("products[0].bid_amount", "bid_amount_required", "契約保証予約には入札金額（products[0].bid_amount）の入力が必要です。"),
    ]


def test_electronic_bid_bond_is_judged_on_its_bid_date():
    early = bid_bond_application(products=[bid_bond(bid_date=date(2023, 3, 31))])
    assert reasons(early) == [(
        "products[0].bid_date", "orderer_not_yet_e_surety",
        "川崎市は2023年4月1日（令和5年4月1日）以降に締結する契約から電子保証に対応しています。契約保証予約は入札日で判定します。",
    )]
    assert reasons(bid_bond_application(products=[paper(bid_bond(bid_date=date(2023, 3, 31)))])) == []


# --- 中間前払金保証 ---------------------------------------------------------------------------------


def test_intermediate_against_its_advance_payment():
    app = application(products=[intermediate()])
    assert linked_numbers(app) == {PARENT}
    assert reasons(app, links={PARENT: linked()}) == []  # 20% alone, 60% with the 前払金: both on the limit


def test_intermediate_needs_the_advance_payment_number():
    assert reasons(application(products=[intermediate(advance_payment_contract_number=None)])) == [(
        "products[0].advance_payment_contract_number", "advance_payment_contract_number_required",
        "中間前払金保証には前払金保証の保証契約番号（products[0].advance_payment_contract_number）の入力が必要です。",
    )]


def test_intermediate_parent_unknown_or_of_another_company_reads_the_same():
    expected = [(
        "products[0].advance_payment_contract_number", "advance_payment_not_found",
        "前払金保証の保証契約番号（products[0].advance_payment_contract_number）「35026-00001M」の保証契約が見つかりません。",
    )]
    app = application(products=[intermediate()])
    assert reasons(app, links={}) == expected
    assert reasons(app, links={PARENT: linked(contractor_company_id=uuid.uuid4())}) == expected


def test_intermediate_parent_must_be_an_advance_payment():
    app = application(products=[intermediate(advance_payment_contract_number="35026-00001K")])
    parent = linked("35026-00001K", product=Product.CONTRACT_GUARANTEE)
    assert reasons(app, links={"35026-00001K": parent}) == [(
        "products[0].advance_payment_contract_number", "not_an_advance_payment",
        "前払金保証の保証契約番号（products[0].advance_payment_contract_number）「35026-00001K」は前払金保証ではありません。",
    )]


def test_intermediate_parent_same_orderer_and_construction():
    app = application(products=[intermediate()])
    assert reasons(app, links={PARENT: linked(obligee_code="nagano-pref", construction_name="別の工事")}) == [
        ("products[0].advance_payment_contract_number", "advance_payment_other_orderer",
         "前払金保証の保証契約番号（products[0].advance_payment_contract_number）「35026-00001M」は発注者が異なります。同じ発注者の前払金保証を指定してください。"),
        ("products[0].advance_payment_contract_number", "advance_payment_other_construction",
         "前払金保証の保証契約番号（products[0].advance_payment_contract_number）「35026-00001M」は工事名が異なります。同じ工事の前払金保証を指定してください。"),
    ]


def test_one_intermediate_per_advance_payment():
    app = application(products=[intermediate()])
    assert reasons(app, links={PARENT: linked(intermediate_contract_number="35026-00001C")}) == [(
        "products[0].advance_payment_contract_number", "intermediate_already_issued",
        "前払金保証「35026-00001M」（products[0].advance_payment_contract_number）には中間前払金保証「35026-00001C」が発行済みです。中間前払金保証は一つの前払金保証に一度だけです。",
    )]


def test_intermediate_ceilings():
    over_both = application(products=[intermediate(guaranteed_amount=11_000_000)])  # 22%, 62% with the 前払金
    assert reasons(over_both, links={PARENT: linked()}) == [
        ("products[0].guaranteed_amount", "intermediate_advance_ceiling",
         "中間前払金保証金額（products[0].guaranteed_amount）は請負金額の20%以下にしてください（現在 22.0%）。"),
        ("products[0].guaranteed_amount", "advances_ceiling",
         "前払金と中間前払金の保証金額の合計（products[0].guaranteed_amount）は請負金額の60%以下にしてください（現在 62.0%）。"),
    ]
    over_sixty = application(products=[intermediate(guaranteed_amount=6_000_000)])  # 12%, but 62% with a 50% 前払金
    assert [r[1] for r in reasons(over_sixty, links={PARENT: linked(guaranteed_amount=25_000_000)})] == ["advances_ceiling"]


# --- 契約保証 converting a 契約保証予約 ----------------------------------------------------------------


def converting(**changes):
    return application(products=[advance(), contract_guarantee(bid_bond_contract_number=BOND, **changes)])


def bond(**changes):
    return linked(BOND, product=Product.BID_BOND, guaranteed_amount=4_800_000, **changes)


def test_conversion_of_a_bid_bond():
    app = converting()
    assert linked_numbers(app) == {BOND}
    assert reasons(app, links={BOND: bond()}) == []


def test_conversion_of_an_unknown_or_foreign_bond():
    expected = [(
        "products[1].bid_bond_contract_number", "bid_bond_not_found",
        "契約保証予約の保証契約番号（products[1].bid_bond_contract_number）「35026-00001Y」の保証契約が見つかりません。",
    )]
    assert reasons(converting(), links={}) == expected
    assert reasons(converting(), links={BOND: bond(contractor_company_id=uuid.uuid4())}) == expected


def test_conversion_of_something_else_than_a_bid_bond():
    assert reasons(converting(), links={BOND: linked(BOND)}) == [(
        "products[1].bid_bond_contract_number", "not_a_bid_bond",
        "契約保証予約の保証契約番号（products[1].bid_bond_contract_number）「35026-00001Y」は契約保証予約ではありません。",
    )]


def test_conversion_needs_the_same_orderer_and_happens_once():
    assert reasons(converting(), links={BOND: bond(obligee_code="mishima-city", converted_to="35026-00003K")}) == [
        ("products[1].bid_bond_contract_number", "bid_bond_other_orderer",
         "契約保証予約の保証契約番号（products[1].bid_bond_contract_number）「35026-00001Y」は発注者が異なります。同じ発注者の契約保証予約を指定してください。"),
        ("products[1].bid_bond_contract_number", "bid_bond_already_converted",
         "契約保証予約「35026-00001Y」（products[1].bid_bond_contract_number）は契約保証「35026-00003K」に移行済みです。"),
    ]


def test_a_lapsed_bond_cannot_convert():
    assert reasons(converting(), links={BOND: bond(lapsed=True)}) == [(
        "products[1].bid_bond_contract_number", "bid_bond_lapsed",
        "契約保証予約「35026-00001Y」（products[1].bid_bond_contract_number）は落札できなかったため失効しています。契約保証に移行できません。",
    )]


def test_no_products_names_all_four():
    assert review(application(products=[]), KAWASAKI, BRANCH) == [
        RejectionReason(
            field="products", rule="no_products",
            message="保証の申込内容がありません。前払金保証・中間前払金保証・契約保証・契約保証予約のいずれかを選択してください。",
        )
    ]
