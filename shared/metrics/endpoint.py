"""`GET /metrics` on each service's own port, beside /healthz and /readyz (Prometheus text format).

The database gauges (and the DLQ depths, dead_letters.py) are read at scrape time, each query within SCRAPE_QUERY_TIMEOUT_SECONDS: a database
that is down or slow makes `esurety_database_up` 0 (and leaves the outbox gauges as last seen), never a
failed or hanging scrape.
"""

import asyncio
from typing import TYPE_CHECKING, Any

import structlog
from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared.metrics.dead_letters import refresh_dead_letter_gauge
from shared.metrics.http import HttpMetricsMiddleware
from shared.metrics.registry import ServiceMetrics

if TYPE_CHECKING:
    from shared.runtime import ServiceContext

log = structlog.get_logger()

SCRAPE_QUERY_TIMEOUT_SECONDS = 1.0
# One query for both gauges; the partial index outbox_unsent (sent_at IS NULL) keeps it cheap.
OUTBOX_QUERY = (
    "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0) FROM outbox WHERE sent_at IS NULL"
)


async def refresh_database_gauges(ctx: "ServiceContext") -> None:
    metrics = ctx.metrics
    try:
        if ctx.relay is None:  # no outbox in this service's schema: only whether the database answers
            await asyncio.wait_for(ctx.pool.fetchval("SELECT 1"), SCRAPE_QUERY_TIMEOUT_SECONDS)
        else:
            unsent, age = await asyncio.wait_for(ctx.pool.fetchrow(OUTBOX_QUERY), SCRAPE_QUERY_TIMEOUT_SECONDS)
            metrics.outbox_unsent.set(unsent)
            metrics.outbox_oldest_unsent_age.set(float(age))
    except Exception as exc:  # noqa: BLE001 - any failure means "not answering"; the scrape still succeeds
        metrics.database_up.set(0)
        log.warning("metrics: database not answering", error=type(exc).__name__)
        return
    metrics.database_up.set(1)


def exposition(metrics: ServiceMetrics) -> Response:
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)


def metrics_router(ctx: "ServiceContext") -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        await asyncio.gather(refresh_database_gauges(ctx), refresh_dead_letter_gauge(ctx))
        return exposition(ctx.metrics)

    return router


def add_metrics(ctx: "ServiceContext", app: Any) -> None:
    """/metrics and the request middleware on the service's app (once; before the app has started)."""
    if getattr(app.state, "metrics_routes", False):
        return
    app.include_router(metrics_router(ctx))
    app.add_middleware(HttpMetricsMiddleware, metrics=ctx.metrics)
    app.state.metrics_routes = True
