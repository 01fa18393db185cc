"""The platform's own metrics (docs/operations-metrics.md), in its registry (shared/metrics)."""

from typing import Literal

from shared.metrics import service_metrics

LookupOutcome = Literal["opened", "failed", "throttled"]

LOOKUPS = service_metrics("platform").counter(
    "esurety_certificate_lookups_total",
    "Certificate lookups with 保証契約番号 + 認証キー by outcome: opened, failed (wrong key, unknown number or "
    "another orderer's: indistinguishable on purpose), throttled (refused after too many failures)",
    ("outcome",),
)


def record_lookup(outcome: LookupOutcome) -> None:
    LOOKUPS.labels(outcome=outcome).inc()
