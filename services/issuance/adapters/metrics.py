"""Issuance's own metrics (docs/operations-metrics.md), in its registry (shared/metrics)."""

from collections.abc import Iterable

from shared.events import Product
from shared.metrics import service_metrics

CERTIFICATES_ISSUED = service_metrics("issuance").counter(
    "esurety_certificates_issued_total",
    "Certificates (保証証書) issued for a new application and committed, by product",
    ("product",),
)

PDF_JOB_RETRIES = service_metrics("issuance").counter(
    "esurety_pdf_job_retries_total",
    "PDF jobs (rendered after the certificate committed) that failed and were put back for a retry, by document",
    ("document",),
)


def record_certificates_issued(products: Iterable[Product]) -> None:
    """After the transaction that issued them has committed."""
    for product in products:
        CERTIFICATES_ISSUED.labels(product=product.value).inc()
