"""/healthz and /readyz (shared.health) of services built as they run, on the real PostgreSQL and RabbitMQ:
ready when everything answers; 503 with Retry-After and the failed check named when the outbox is stuck,
a consumer is detached, or the database is gone — while /healthz still answers."""

import httpx
import pytest

from services.notifier.bootstrap import build as build_notifier
from services.notifier.settings import Settings as NotifierSettings
from services.platform.bootstrap import build as build_platform
from services.platform.settings import Settings as PlatformSettings

pytestmark = pytest.mark.integration


async def get(app, path: str) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        return await client.get(path)


@pytest.fixture
async def platform(fresh_database, bus_cleanup, common_env):
    ctx = await build_platform(PlatformSettings(**common_env, pdf_processes=1))
    await ctx.start()
    yield ctx
    await ctx.stop()


@pytest.fixture
async def notifier(fresh_database, bus_cleanup, common_env):
    ctx = await build_notifier(NotifierSettings(**common_env, smtp_port=1))
    await ctx.start()
    yield ctx
    await ctx.stop()


async def test_a_running_service_is_live_and_ready(platform):
    live = await get(platform.http_app, "/healthz")
    assert (live.status_code, live.json()) == (200, {"status": "ok", "service": "platform"})
    ready = await get(platform.http_app, "/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {
        "status": "ready", "service": "platform",
        "checks": {"database": "ok", "broker": "ok", "consumers": "ok", "outbox": "ok"},
    }
    paths = (await get(platform.http_app, "/openapi.json")).json()["paths"]
    assert "503" in paths["/readyz"]["get"]["responses"]


async def test_a_stuck_outbox_makes_it_not_ready(platform):
    await platform.relay.stop()  # the relay is what sends the outbox
    await platform.pool.execute(
        "INSERT INTO outbox (id, routing_key, correlation_id, body, created_at)"
        " VALUES (gen_random_uuid(), 'jp.esurety.test', 'c', '\\x00', now() - interval '5 minutes')"
    )
    ready = await get(platform.http_app, "/readyz")
    assert ready.status_code == 503 and ready.headers["retry-after"] == "10"
    checks = ready.json()["checks"]
    assert checks["outbox"].startswith("stuck: oldest unsent event is 30") and checks["database"] == "ok"
    await platform.pool.execute("DELETE FROM outbox WHERE routing_key = 'jp.esurety.test'")


async def test_the_notifier_serves_health_alone_and_names_what_failed(notifier):
    assert (await get(notifier.http_app, "/healthz")).status_code == 200
    assert (await get(notifier.http_app, "/readyz")).json()["checks"]["consumers"] == "ok"
    paths = (await get(notifier.http_app, "/openapi.json")).json()["paths"]
    assert sorted(paths) == ["/healthz", "/readyz"]

    subscriber = notifier.broker.subscribers[0]
    await subscriber.stop()  # a consumer detached (its channel closed)
    detached = await get(notifier.http_app, "/readyz")
    total = len(notifier.broker.subscribers)
    assert detached.status_code == 503
    assert detached.json()["checks"]["consumers"] == f"{total - 1} of {total} attached"

    notifier.pool.terminate()  # the database is gone for this process (close() would wait for the sender's LISTEN)
    gone = await get(notifier.http_app, "/readyz")
    assert gone.status_code == 503 and gone.json()["checks"]["database"].startswith("not answering (")
    assert (await get(notifier.http_app, "/healthz")).status_code == 200  # alive all the same
