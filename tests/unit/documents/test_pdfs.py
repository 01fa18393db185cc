"""The two PDFs, checked the way a person would: the text poppler extracts and the embedded fonts."""

import re
import subprocess

from shared.documents.pdf import render_certificate
from shared.events import Product
from tests.unit.documents.conftest import INJECTION, sample_content, sample_notice


def pdftotext(pdf: bytes, *, layout: bool = True) -> str:
    args = ["pdftotext", "-layout", "-", "-"] if layout else ["pdftotext", "-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()


def squashed(text: str) -> str:
    """Without any whitespace: poppler breaks and pads lines as the layout falls."""
    return re.sub(r"\s+", "", text)


def assert_shows(pdf_text: str, expected: list[str]) -> None:
    flat = squashed(pdf_text)
    for item in expected:
        assert squashed(item) in flat, item


def pdffonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout


async def test_certificate_shows_every_field(renderer, tmp_path):
    pdf = await renderer.certificate_pdf(sample_content())
    assert pdf.startswith(b"%PDF-")
    text = pdftotext(pdf)
    assert "20,000,000 円" in text and "50,000,000 円" in text  # amount, space, 円
    assert_shows(text, [
        "保証証書（前払金保証）",
        "令和04年04月27日",
        "保証契約番号",
        "00126-00001M",
        "長野県長野市南石堂町１２３０－６",
        "○○建設 株式会社 様",
        "川崎市長",
        "20,000,000 円",
        "50,000,000 円",
        "令和05年03月31日",
        "令和04年11月02日 ～ 令和05年03月31日",
        "令和04年11月01日",
        "河川維持（○○）工事",
        "○○銀行 ××支店",
        "当会社は、前払金保証約款に基づき上記のとおり保証契約を締結し、その責に任じます。",
        "東京都中央区八丁堀２丁目２７番１０号",
        "東日本建設業保証株式会社",
        "取締役社長 原田 保夫",
        "取扱箇所 営業部",
        "TEL：03-3551-9511",
        "FAX：0120-027-036",
        "保証証書（書面）の発行は行わない",
        "電子的な取扱となります",
        "（注）1.",
        "請負金額のみの変更の場合は",
    ])
    assert "変更-" not in text  # version 0: no 変更-N under the title
    fonts = pdffonts(pdf, tmp_path)
    assert re.search(r"\+IPAexMincho\s+CID TrueType\s+Identity-H\s+yes", fonts), fonts


async def test_contract_guarantee_amended_certificate(renderer):
    content = sample_content(
        title="保証証書（契約保証）", product=Product.CONTRACT_GUARANTEE, contract_number="00126-00007K",
        version=2, guaranteed_amount=5_000_000, depository=None, clause="契約保証約款",
    )
    text = pdftotext(await renderer.certificate_pdf(content))
    assert "保証証書（契約保証）" in text
    assert "変更-2" in text
    assert "00126-00007K" in text
    assert "5,000,000 円" in text
    assert "預託金融機関" not in text
    assert "当会社は、契約保証約款に基づき" in squashed(text)


async def test_key_notice_as_in_the_seeds(renderer, tmp_path):
    pdf = await renderer.key_notice_pdf(sample_notice())
    text = pdftotext(pdf)
    assert_shows(text, [
        "電子保証にかかる「認証キー」のお知らせ",
        "電子証書を「保証確認サービス（D-Sure）」に掲載しましたので、お知らせします。",
        "①電子契約システムへのアップロード",
        "又は",
        "②電子メールに添付して送信",
        "「保証契約番号」と「認証キー」のご提出をもって、前払金請求手続（前払金保証）が完了いたします。",
        "記",
        "河川維持（○○）工事",
        "（JVの場合代表者）",
        "○○建設 株式会社",
        "前払金保証",
        "00126-00001M",
        "Z28YUE4J3Bux",
        "【発注者様へお願い】",
        "「保証確認サービス（D-Sure）」にログインし、上記の「保証契約番号」と「認証キー」をもって電子証書を閲覧ください。",
    ])
    assert "Z28YUE4J3Bux" in text
    assert re.search(r"\+IPAexGothic\s+CID TrueType\s+Identity-H\s+yes", pdffonts(pdf, tmp_path))


async def test_key_notice_names_contract_guarantee(renderer):
    text = pdftotext(await renderer.key_notice_pdf(sample_notice(product=Product.CONTRACT_GUARANTEE)))
    assert "商品（保証区分）：契約保証" in squashed(text)


async def test_user_text_is_escaped_and_never_fetched(renderer, monkeypatch):
    # Through the pool: the markup comes out as text.
    content = sample_content(construction_name="工事" + INJECTION, contractor=sample_content().contractor.model_copy(update={"name": INJECTION}))
    text = pdftotext(await renderer.certificate_pdf(content))
    assert INJECTION in text
    notice_text = pdftotext(await renderer.key_notice_pdf(sample_notice(construction_name=INJECTION)))
    assert INJECTION in notice_text

    # In process, watching every URL WeasyPrint asks for: none (the stylesheet was parsed at warm-up).
    from shared.documents import fetcher, pdf

    pdf.warm_up()
    asked: list[str] = []
    original = fetcher.TemplateOnlyFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(fetcher.TemplateOnlyFetcher, "fetch", spy)
    render_certificate(content)
    assert asked == []
