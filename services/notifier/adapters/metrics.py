"""The notifier's own metrics (docs/operations-metrics.md), in its registry (shared/metrics)."""

from typing import Literal

from shared.metrics import service_metrics

EmailOutcome = Literal["sent", "deferred", "failed", "in_doubt"]

EMAILS = service_metrics("notifier").counter(
    "esurety_emails_total",
    "Email send attempts by outcome: sent (SMTP accepted), deferred (will be retried), failed (given up for good), in_doubt (DATA sent, no answer: resent after the quiet period)",
    ("outcome",),
)


def record_email_outcome(outcome: EmailOutcome) -> None:
    """Called once per attempt, where the sender loop has settled it."""
    EMAILS.labels(outcome=outcome).inc()
