"""Benchmark: the memory and time of one PDF worker over many documents.

    python -m tests.bench.pdf_memory [--documents 5000] [--fresh-font-config]

Renders certificates and key notices alternately in this process, as a renderer worker does, and prints
JSON lines: RSS every 500 documents, then the median and p99 render time and the RSS growth. With
--fresh-font-config each document gets a new WeasyPrint FontConfiguration (what write_pdf() does when it
is given none: the behaviour before issue 12), for comparison.
"""

import argparse
import json
import resource
import statistics
import time
from datetime import date

from shared.documents import pdf
from shared.documents.models import KeyNotice
from tests.samples import sample_certificate_content


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--fresh-font-config", action="store_true")
    args = parser.parse_args()
    if args.fresh_font_config:
        from weasyprint.text.fonts import FontConfiguration

        pdf.font_configuration = lambda: FontConfiguration()  # a new one per document, as before
    pdf.warm_up()
    content = sample_certificate_content(certificate_date=date(2026, 12, 1))
    notice = KeyNotice(
        construction_name=content.construction_name, contractor_name=content.contractor.name, product=content.product,
        contract_number=content.contract_number, auth_key="Z28YUE4J3Bux", issuer_name=content.issuer.name,
    )
    for _ in range(10):  # warm caches before the first reading
        pdf.render_certificate(content)
        pdf.render_key_notice(notice)
    start = rss_mib()
    times = {"certificate": [], "key_notice": []}
    for i in range(args.documents):
        t = time.perf_counter()
        if i % 2 == 0:
            pdf.render_certificate(content)
            times["certificate"].append(time.perf_counter() - t)
        else:
            pdf.render_key_notice(notice)
            times["key_notice"].append(time.perf_counter() - t)
        if (i + 1) % 500 == 0:
            print(json.dumps({"documents": i + 1, "rss_mib": round(rss_mib(), 1)}), flush=True)
    end = rss_mib()
    summary = {
        "documents": args.documents,
        "font_config": "fresh per document" if args.fresh_font_config else "shared per worker",
        "rss_start_mib": round(start, 1),
        "rss_end_mib": round(end, 1),
        "rss_growth_percent": round(100 * (end - start) / start, 1),
    }
    for name, values in times.items():
        values.sort()
        summary[f"{name}_median_ms"] = round(1000 * statistics.median(values), 1)
        summary[f"{name}_p99_ms"] = round(1000 * values[int(len(values) * 0.99) - 1], 1)
    print(json.dumps(summary, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
