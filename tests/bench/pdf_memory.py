"""Benchmark: the memory and time of one PDF worker over many documents, against a bare page.

    python -m tests.bench.pdf_memory [--documents 5000] [--same-content] [--fresh-font-config]

Renders certificates and key notices alternately in this process, as a renderer worker does, and after
each pair the anchor: a bare one-page Japanese PDF (one line of IPAexMincho, no stylesheet) through the
same html_to_pdf. Prints JSON lines: RSS every 500 documents, then the median and p99 render times, each
template's median ÷ the bare page's median (issue 12: at most 1.5), and the RSS growth. A second anchor
per template, a bare page holding that document's whole text (bare_text_page), tells the cost of the
text itself from the cost of the template around it.

Each document carries different user text by default (工事名, 受注者, 被保証者, numbers), as in production:
the glyphs a PDF embeds then differ from one document to the next, which costs what the same document
rendered again never shows. --same-content renders one content over and over (the runs before
2026-12-03). With --fresh-font-config each document gets a new WeasyPrint FontConfiguration (what
write_pdf() does when it is given none: the behaviour before issue 12), for comparison.
"""

import argparse
import html
import json
import random
import re
import resource
import statistics
import time
from datetime import date

from shared.documents import pdf
from shared.documents.models import KeyNotice
from shared.events import Party
from tests.samples import sample_certificate_content

BARE_PAGE = (
    '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"></head>'
    '<body style="font-family: IPAexMincho">保証証書</body></html>'
)


def bare_text_page(document_html: str, family: str) -> str:
    """A bare page holding the document's whole text (tags stripped) in one paragraph of its font: the second
    anchor, what the same glyphs cost without the template (tables, borders, float, sizes, a second face)."""
    body = document_html.split("<body", 1)[1].split(">", 1)[1]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
    return BARE_PAGE.replace("IPAexMincho", family).replace("保証証書", html.escape(text))


# Kanji of place, company and works names, drawn from for the user text of each document.
KANJI = (
    "北海道青森岩手宮城秋田山形福島茨城栃木群馬埼玉千葉東京神奈川新潟富山石川井梨長野岐阜静岡愛知三重滋賀"
    "京都大阪兵庫奈良和歌鳥取島根岡広口徳香媛高知佐賀崎熊本分鹿児沖縄市町村区郡丁目番地号上下中央南西"
    "建設工業土木組興産開発電気設備管理舗装橋梁河川道路改良維持補修耕地整備水路護岸堤防砂防港湾下水処理"
    "株式会社有限合同協会事業団林田森松竹梅桜藤原佐々木鈴渡辺伊達加小野寺斎清水池谷沢浜野坂村瀬戸内海"
)


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def varied_documents(rng: random.Random, i: int):
    def words(low: int, high: int) -> str:
        return "".join(rng.choice(KANJI) for _ in range(rng.randint(low, high)))

    content = sample_certificate_content(
        certificate_date=date(2026, 12, 1),
        contract_number=f"{rng.randint(10000, 99999)}-{i % 100000:05d}M",
        construction_name=words(6, 30) + "工事",
        contractor=Party(name=words(2, 6) + "建設　株式会社", address=words(8, 16) + f"{rng.randint(1, 30)}番地"),
        obligee=Party(name=words(2, 4) + "市長"),
        guaranteed_amount=rng.randint(1, 900) * 100_000,
        contract_amount=rng.randint(1000, 9000) * 100_000,
    )
    return content, notice_of(content)


def notice_of(content) -> KeyNotice:
    return KeyNotice(
        construction_name=content.construction_name, contractor_name=content.contractor.name, product=content.product,
        contract_number=content.contract_number, auth_key="Z28YUE4J3Bux", issuer_name=content.issuer.name,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--same-content", action="store_true")
    parser.add_argument("--fresh-font-config", action="store_true")
    args = parser.parse_args()
    if args.fresh_font_config:
        from weasyprint.text.fonts import FontConfiguration

        pdf.font_configuration = lambda: FontConfiguration()  # a new one per document, as before
    pdf.warm_up()
    rng = random.Random(12)
    same = sample_certificate_content(certificate_date=date(2026, 12, 1))
    same = (same, notice_of(same))
    documents = (lambda i: same) if args.same_content else (lambda i: varied_documents(rng, i))
    for i in range(10):  # warm caches before the first reading
        content, notice = documents(i)
        pdf.render_certificate(content)
        pdf.render_key_notice(notice)
        pdf.html_to_pdf(BARE_PAGE, styled=False)
    start = rss_mib()
    times = {"certificate": [], "key_notice": [], "bare": [], "certificate_text": [], "key_notice_text": []}
    for i in range(args.documents):
        if i % 2 == 0:
            content, notice = documents(i)
            t = time.perf_counter()
            pdf.render_certificate(content)
            times["certificate"].append(time.perf_counter() - t)
        else:
            t = time.perf_counter()
            pdf.render_key_notice(notice)
            times["key_notice"].append(time.perf_counter() - t)
            anchors = (
                ("bare", BARE_PAGE),
                ("certificate_text", bare_text_page(pdf.certificate_html(content), "IPAexMincho")),
                ("key_notice_text", bare_text_page(pdf.key_notice_html(notice), "IPAexGothic")),
            )
            for name, page in anchors:
                t = time.perf_counter()
                pdf.html_to_pdf(page, styled=False)
                times[name].append(time.perf_counter() - t)
        if (i + 1) % 500 == 0:
            print(json.dumps({"documents": i + 1, "rss_mib": round(rss_mib(), 1)}), flush=True)
    end = rss_mib()
    summary = {
        "documents": args.documents,
        "content": "the same" if args.same_content else "different per document",
        "font_config": "fresh per document" if args.fresh_font_config else "shared per worker",
        "rss_start_mib": round(start, 1),
        "rss_end_mib": round(end, 1),
        "rss_growth_percent": round(100 * (end - start) / start, 1),
    }
    medians = {}
    for name, values in times.items():
        values.sort()
        medians[name] = statistics.median(values)
        summary[f"{name}_median_ms"] = round(1000 * medians[name], 1)
        summary[f"{name}_p99_ms"] = round(1000 * values[int(len(values) * 0.99) - 1], 1)
    for name in ("certificate", "key_notice"):
        summary[f"{name}_per_bare"] = round(medians[name] / medians["bare"], 2)
        summary[f"{name}_per_bare_text"] = round(medians[name] / medians[f"{name}_text"], 2)
    print(json.dumps(summary, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
