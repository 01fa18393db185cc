"""The certificate and key notice of every product, and the paper original, read back through pdftotext."""

from datetime import date

import pytest

from shared.events import Product
from tests.unit.documents.conftest import sample_content, sample_notice
from tests.unit.documents.test_pdfs import assert_shows, pdftotext, squashed

ELECTRONIC_MARK = ["保証証書（書面）の発行は行わない", "電子的な取扱となります"]
PAPER_MARK = "保証証書（原本）"

INTERMEDIATE = dict(
    title="保証証書（中間前払金保証）", product=Product.INTERMEDIATE_ADVANCE_PAYMENT, contract_number="00126-00001C",
    guaranteed_amount=10_000_000, advance_payment_contract_number="00126-00001M",
)
CONVERTED = dict(
    title="保証証書（契約保証）", product=Product.CONTRACT_GUARANTEE, contract_number="00126-00002K",
    guaranteed_amount=5_000_000, depository=None, clause="契約保証約款", bid_bond_contract_number="00126-00001Y",
)
BID_BOND = dict(
    title="保証証書（契約保証予約）", product=Product.BID_BOND, contract_number="00126-00001Y", guaranteed_amount=4_800_000,
    depository=None, clause="契約保証予約約款", contract_amount=None, contract_date=None, bid_date=date(2022, 10, 20),
    bid_amount=48_000_000, guarantee_expiry=date(2022, 11, 2),
)


async def test_intermediate_advance_payment_names_its_advance_payment(renderer):
    text = pdftotext(await renderer.certificate_pdf(sample_content(**INTERMEDIATE)))
    assert_shows(text, [
        "保証証書（中間前払金保証）", "00126-00001C", "10,000,000 円", "50,000,000 円", "○○銀行 ××支店",
        "前払金保証の", "保証契約番号", "00126-00001M",
        "当会社は、前払金保証約款に基づき上記のとおり保証契約を締結し、その責に任じます。", *ELECTRONIC_MARK,
    ])
    assert "契約保証予約" not in text


async def test_contract_guarantee_converted_from_a_bid_bond(renderer):
    text = pdftotext(await renderer.certificate_pdf(sample_content(**CONVERTED)))
    assert_shows(text, ["保証証書（契約保証）", "00126-00002K", "契約保証予約の", "00126-00001Y", "当会社は、契約保証約款に基づき"])
    assert "預託金融機関" not in text


async def test_bid_bond_shows_the_bid_and_no_contract(renderer):
    text = pdftotext(await renderer.certificate_pdf(sample_content(**BID_BOND)))
    assert_shows(text, [
        "保証証書（契約保証予約）", "00126-00001Y", "4,800,000 円", "保証期限", "令和04年11月02日",
        "入札日", "令和04年10月20日", "入札金額", "48,000,000 円", "令和04年11月02日 ～ 令和05年03月31日",
        "当会社は、契約保証予約約款に基づき上記のとおり保証契約を締結し、その責に任じます。",
    ])
    for absent in ("請負金額（総額）", "請負契約日", "50,000,000", "預託金融機関", "前払金保証の"):
        assert absent not in squashed(text), absent


@pytest.mark.parametrize("product", [None, "intermediate", "converted", "bid_bond"])
async def test_paper_original_is_marked_as_such(renderer, product):
    changes = {None: {}, "intermediate": INTERMEDIATE, "converted": CONVERTED, "bid_bond": BID_BOND}[product]
    text = pdftotext(await renderer.certificate_pdf(sample_content(**changes, electronic=False)))
    flat = squashed(text)
    assert PAPER_MARK in flat
    for mark in ELECTRONIC_MARK:
        assert mark not in flat
    assert "認証キー" not in flat  # a paper original carries no key
    assert "保証契約番号" in flat and "取扱箇所" in flat


async def test_electronic_certificate_has_no_paper_mark(renderer):
    assert PAPER_MARK not in squashed(pdftotext(await renderer.certificate_pdf(sample_content())))


@pytest.mark.parametrize(
    ("product", "label", "completes"),
    [
        (Product.ADVANCE_PAYMENT, "前払金保証", "前払金請求手続（前払金保証）"),
        (Product.INTERMEDIATE_ADVANCE_PAYMENT, "中間前払金保証", "中間前払金請求手続（中間前払金保証）"),
        (Product.CONTRACT_GUARANTEE, "契約保証", "請負契約締結手続（契約保証）"),
        (Product.BID_BOND, "契約保証予約（入札ボンド）", "入札手続（契約保証予約）"),
    ],
)
async def test_key_notice_per_product(renderer, product, label, completes):
    text = squashed(pdftotext(await renderer.key_notice_pdf(sample_notice(product=product))))
    assert f"商品（保証区分）：{label}" in text
    assert f"「保証契約番号」と「認証キー」のご提出をもって、{completes}が完了いたします。" in text
    others = {"前払金請求手続（前払金保証）", "中間前払金請求手続（中間前払金保証）", "請負契約締結手続（契約保証）", "入札手続（契約保証予約）"}
    for other in others - {completes}:
        assert other not in text
