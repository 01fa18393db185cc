"""The request middleware labels by route template and status class (shared/metrics/http.py): never by
the raw path, which carries application ids and 保証契約番号."""

import asyncio
from types import SimpleNamespace

import httpx
import pytest
from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.responses import PlainTextResponse
from starlette.staticfiles import StaticFiles

from shared.metrics.endpoint import SCRAPE_QUERY_TIMEOUT_SECONDS, add_metrics, refresh_database_gauges
from shared.metrics.registry import ServiceMetrics

CONTRACT_NUMBER = "0101-2026-000123"


def app_with_metrics(tmp_path) -> tuple[FastAPI, ServiceMetrics]:
    app = FastAPI()

    @app.post("/applications/{app_id}/submit", status_code=202)
    async def submit(app_id: str) -> dict:
        return {"id": app_id}

    @app.get("/certificates/{contract_number}")
    async def certificate(contract_number: str) -> dict:
        raise HTTPException(404, "見つかりません")

    @app.get("/boom")
    async def boom() -> dict:
        raise RuntimeError("a bug")

    included = APIRouter()

    @included.get("/orders/{order_id}")
    async def order(order_id: str) -> dict:
        return {}

    app.include_router(included, prefix="/v1")
    portal = FastAPI()

    @portal.get("/contracts/{contract_number}", response_class=PlainTextResponse)
    async def contract_page(contract_number: str) -> str:
        return "契約"

    (tmp_path / "site.css").write_text("body {}")
    portal.mount("/static", StaticFiles(directory=tmp_path), name="static")
    app.mount("/portal", portal)
    metrics = ServiceMetrics("test")
    ctx = SimpleNamespace(name="test", metrics=metrics, relay=None, pool=None, broker=None, settings=None)
    add_metrics(ctx, app)
    return app, metrics


def count(metrics: ServiceMetrics, method: str, route: str, status_class: str) -> float:
    value = metrics.registry.get_sample_value(
        "esurety_http_requests_total", {"method": method, "route": route, "status_class": status_class}
    )
    return value or 0.0


def label_values(metrics: ServiceMetrics) -> set[str]:
    return {
        value
        for family in metrics.registry.collect()
        for sample in family.samples
        for value in sample.labels.values()
    }


async def test_requests_are_counted_by_route_template_not_raw_path(tmp_path):
    app, metrics = app_with_metrics(tmp_path)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://edge") as client:
        assert (await client.post("/applications/5f1c/submit")).status_code == 202
        assert (await client.post("/applications/77aa/submit")).status_code == 202
        assert (await client.get(f"/certificates/{CONTRACT_NUMBER}")).status_code == 404
        assert (await client.get(f"/portal/contracts/{CONTRACT_NUMBER}")).status_code == 200
        assert (await client.get("/portal/static/site.css")).status_code == 200
        assert (await client.get(f"/portal/nothing/{CONTRACT_NUMBER}")).status_code == 404
        assert (await client.get("/v1/orders/88bb")).status_code == 200
        assert (await client.get(f"/no/such/{CONTRACT_NUMBER}")).status_code == 404
        assert (await client.request("BREW", "/applications/5f1c/submit")).status_code == 405
        assert (await client.get("/boom")).status_code == 500

    assert count(metrics, "POST", "/applications/{app_id}/submit", "2xx") == 2
    assert count(metrics, "GET", "/certificates/{contract_number}", "4xx") == 1
    assert count(metrics, "GET", "/portal/contracts/{contract_number}", "2xx") == 1
    assert count(metrics, "GET", "/portal/static/{path}", "2xx") == 1
    assert count(metrics, "GET", "/portal/{path}", "4xx") == 1
    assert count(metrics, "GET", "/v1/orders/{order_id}", "2xx") == 1
    assert count(metrics, "GET", "<unmatched>", "4xx") == 1
    assert count(metrics, "other", "/applications/{app_id}/submit", "4xx") == 1
    assert count(metrics, "GET", "/boom", "5xx") == 1
    latency = metrics.registry.get_sample_value(
        "esurety_http_request_duration_seconds_count", {"method": "POST", "route": "/applications/{app_id}/submit"}
    )
    assert latency == 2
    labels = label_values(metrics)
    assert not [v for v in labels if CONTRACT_NUMBER in v or "5f1c" in v or "77aa" in v or "88bb" in v or "site.css" in v]


async def test_metrics_endpoint_serves_prometheus_text(tmp_path):
    app, metrics = app_with_metrics(tmp_path)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://edge") as client:
        await client.post("/applications/5f1c/submit")
        scraped = await client.get("/metrics")
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    assert (
        'esurety_http_requests_total{method="POST",route="/applications/{app_id}/submit",status_class="2xx"} 1.0'
        in scraped.text
    )
    assert "esurety_database_up 0.0" in scraped.text  # the fake context has no pool: reported, not raised


class _HangingPool:
    async def fetchrow(self, *args):
        await asyncio.sleep(30)

    async def fetchval(self, *args):
        await asyncio.sleep(30)


class _Pool:
    async def fetchrow(self, *args):
        return (3, 75.5)


@pytest.mark.parametrize("relay", [None, object()])
async def test_a_database_that_hangs_is_reported_down_within_the_timeout(relay):
    metrics = ServiceMetrics("test")
    metrics.database_up.set(1)
    ctx = SimpleNamespace(metrics=metrics, relay=relay, pool=_HangingPool())
    started = asyncio.get_running_loop().time()
    await refresh_database_gauges(ctx)
    assert asyncio.get_running_loop().time() - started < SCRAPE_QUERY_TIMEOUT_SECONDS + 0.5
    assert metrics.registry.get_sample_value("esurety_database_up") == 0


async def test_the_outbox_gauges_come_from_the_query():
    metrics = ServiceMetrics("test")
    await refresh_database_gauges(SimpleNamespace(metrics=metrics, relay=object(), pool=_Pool()))
    assert metrics.registry.get_sample_value("esurety_outbox_unsent") == 3
    assert metrics.registry.get_sample_value("esurety_outbox_oldest_unsent_age_seconds") == 75.5
    assert metrics.registry.get_sample_value("esurety_database_up") == 1
