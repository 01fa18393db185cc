"""GET /metrics of services built as they run (real PostgreSQL and RabbitMQ): each service's own registry,
the outbox gauges read at scrape time, and a database that is gone reported as esurety_database_up 0 in a
scrape that still succeeds."""

import httpx
import pytest
from faststream.rabbit import RabbitBroker
from prometheus_client.parser import text_string_to_metric_families

from services.notifier.bootstrap import build as build_notifier
from services.notifier.settings import Settings as NotifierSettings
from services.platform.bootstrap import build as build_platform
from services.platform.settings import Settings as PlatformSettings
from shared.bus.topology import CONSUMERS, dead_letter_exchange
from tests.conftest import eventually

pytestmark = pytest.mark.integration


async def scrape(ctx) -> dict[str, float]:
    transport = httpx.ASGITransport(app=ctx.http_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    return {
        s.name + (str(sorted(s.labels.items())) if s.labels else ""): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


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


async def test_the_outbox_backlog_and_its_age_are_read_at_scrape_time(platform):
    await platform.relay.stop()  # nothing sends the outbox meanwhile
    empty = await scrape(platform)
    assert empty["esurety_outbox_unsent"] == 0 and empty["esurety_outbox_oldest_unsent_age_seconds"] == 0
    assert empty["esurety_database_up"] == 1
    await platform.pool.execute(
        "INSERT INTO outbox (id, routing_key, correlation_id, body, created_at) VALUES"
        " (gen_random_uuid(), 'jp.esurety.test', 'c', '\\x00', now() - interval '90 seconds'),"
        " (gen_random_uuid(), 'jp.esurety.test', 'c', '\\x00', now())"
    )
    backlog = await scrape(platform)
    assert backlog["esurety_outbox_unsent"] == 2
    assert 90 <= backlog["esurety_outbox_oldest_unsent_age_seconds"] < 120
    await platform.pool.execute("DELETE FROM outbox WHERE routing_key = 'jp.esurety.test'")


async def test_each_service_shows_its_own_metrics(platform, notifier):
    seen_platform, seen_notifier = await scrape(platform), await scrape(notifier)
    assert platform.metrics.registry is not notifier.metrics.registry
    assert not any("emails" in name for name in seen_platform)
    assert "esurety_outbox_unsent" not in seen_notifier  # the notifier has no event outbox
    assert seen_notifier["esurety_database_up"] == 1


async def test_a_database_that_is_gone_makes_database_up_0_not_a_failed_scrape(notifier):
    assert (await scrape(notifier))["esurety_database_up"] == 1
    notifier.pool.terminate()  # as in the health test: close() would wait for the sender's LISTEN
    assert (await scrape(notifier))["esurety_database_up"] == 0


async def test_the_depth_of_the_services_own_dead_letter_queues(notifier, common_settings):
    mine = [c for c in CONSUMERS if c.service == "notifier"]
    empty = await scrape(notifier)
    dlq = f"{mine[0].queue_name(common_settings)}.dlq"
    assert empty[f"esurety_dead_letter_messages[('queue', '{dlq}')]"] == 0
    assert len([k for k in empty if k.startswith("esurety_dead_letter_messages")]) == len(mine)
    async with RabbitBroker(common_settings.amqp_url) as publisher:
        for _ in range(2):
            await publisher.publish(b"{}", exchange=dead_letter_exchange(common_settings), routing_key=mine[0].queue_name(common_settings))

    async def two() -> bool:
        return (await scrape(notifier))[f"esurety_dead_letter_messages[('queue', '{dlq}')]"] == 2

    await eventually(two, timeout=10)
    await notifier.broker.stop()  # RabbitMQ unreachable for this process: the samples go, the scrape stays
    assert not [k for k in await scrape(notifier) if k.startswith("esurety_dead_letter_messages")]
