"""One Prometheus registry per service (issue 11), never prometheus-client's global default: the
end-to-end tests run all four services in one process, and each must show only its own numbers.

`service_metrics(name)` returns that service's registry and the metrics every service has; a service's
own metrics are declared against it in its package (e.g. services/notifier/adapters/metrics.py), once
per process, so the composition root and the code that counts reach the same object by the service's name.
"""

import contextlib
import contextvars
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Request latency on a FastAPI edge: most answers take milliseconds, a PDF or a login (Argon2) up to a second.
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass
class ServiceMetrics:
    service: str
    registry: CollectorRegistry = field(default_factory=lambda: CollectorRegistry(auto_describe=True))
    _metrics: dict[str, Counter | Gauge | Histogram] = field(default_factory=dict, repr=False)

    def counter(self, name: str, documentation: str, labels: Sequence[str] = ()) -> Counter:
        return self._get(Counter, name, documentation, labels)

    def gauge(self, name: str, documentation: str, labels: Sequence[str] = ()) -> Gauge:
        return self._get(Gauge, name, documentation, labels)

    def histogram(
        self, name: str, documentation: str, labels: Sequence[str] = (), buckets: Sequence[float] = HTTP_BUCKETS
    ) -> Histogram:
        return self._get(Histogram, name, documentation, labels, buckets=tuple(buckets))

    def _get(self, kind, name: str, documentation: str, labels: Sequence[str], **extra):
        # Declared once: a module imported again (or a service built twice in one test process) gets the same one.
        found = self._metrics.get(name)
        if found is None:
            found = kind(name, documentation, labelnames=tuple(labels), registry=self.registry, **extra)
            self._metrics[name] = found
        return found

    # The metrics of every service.
    @property
    def http_requests(self) -> Counter:
        return self.counter(
            "esurety_http_requests_total",
            "HTTP requests answered, by method, route template and status class",
            ("method", "route", "status_class"),
        )

    @property
    def http_duration(self) -> Histogram:
        return self.histogram(
            "esurety_http_request_duration_seconds",
            "HTTP request latency until the response is complete, by method and route template",
            ("method", "route"),
        )

    @property
    def inbox_duplicates(self) -> Counter:
        return self.counter(
            "esurety_inbox_duplicates_total",
            "Deliveries of an event this consumer had already recorded in its inbox (ignored)",
            ("consumer",),
        )

    @property
    def database_up(self) -> Gauge:
        return self.gauge("esurety_database_up", "1 when the service's PostgreSQL answered at the last scrape, else 0")

    @property
    def outbox_unsent(self) -> Gauge:
        return self.gauge("esurety_outbox_unsent", "Outbox rows not yet published (at the last scrape)")

    @property
    def outbox_oldest_unsent_age(self) -> Gauge:
        return self.gauge(
            "esurety_outbox_oldest_unsent_age_seconds", "Age of the oldest unpublished outbox row; 0 when none"
        )


_SERVICES: dict[str, ServiceMetrics] = {}


def service_metrics(service: str) -> ServiceMetrics:
    """The metrics of this service in this process (made on first use)."""
    found = _SERVICES.get(service)
    if found is None:
        found = _SERVICES[service] = ServiceMetrics(service)
    return found


# The service whose consumer is handling the current message (set by shared/bus/consumer.py): lets code
# deep in a handler (the inbox) count for the right service without every call site passing it along.
_consuming_for: contextvars.ContextVar[str | None] = contextvars.ContextVar("esurety_consuming_for", default=None)


@contextlib.contextmanager
def consuming_for(service: str) -> Iterator[None]:
    token = _consuming_for.set(service)
    try:
        yield
    finally:
        _consuming_for.reset(token)


def record_inbox_duplicate(consumer: str) -> None:
    service = _consuming_for.get()
    if service is not None:  # outside a subscriber (a CLI, a unit test) nobody scrapes it
        service_metrics(service).inbox_duplicates.labels(consumer=consumer).inc()
