"""Prometheus metrics of the services (issue 11; docs/operations-metrics.md): one registry per service
(registry.py), the HTTP request middleware (http.py) and the /metrics endpoint (endpoint.py)."""

from shared.metrics.registry import ServiceMetrics, consuming_for, record_inbox_duplicate, service_metrics

__all__ = ["ServiceMetrics", "consuming_for", "record_inbox_duplicate", "service_metrics"]
