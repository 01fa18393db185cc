"""The shared bus machinery against the real RabbitMQ and PostgreSQL: outbox relay → topic exchange →
quorum queue consumer with inbox; a malformed message goes to the DLQ and the next good one is still processed."""

import asyncio
import uuid
from datetime import datetime, timezone
from pathlib import Path

import aio_pika
import pytest

from shared.bus.consumer import subscribe
from shared.bus.topology import find_consumer
from shared.db.inbox import first_delivery
from shared.db.outbox import enqueue
from shared.events import ApplicationRejected, ApplicationRejectedV1, RejectionReason
from shared.runtime import open_context
from tests.conftest import eventually

pytestmark = pytest.mark.integration


def rejected_event(app_id: uuid.UUID) -> ApplicationRejected:
    data = ApplicationRejectedV1(
        application_id=app_id,
        rejected_at=datetime.now(timezone.utc),
        reasons=[RejectionReason(field="contract.orderer_code", rule="x", message="テスト")],
    )
    return ApplicationRejected.wrap(data, source="/test", subject=str(app_id), correlation_id=str(app_id))


@pytest.fixture
async def bus_context(fresh_database, bus_cleanup, common_settings, tmp_path: Path):
    # The "application" schema stands in for any service: only the shared tables are needed here.
    ctx = await open_context("application", common_settings, migrations=tmp_path, publishes=True)
    yield ctx
    await ctx.stop()


async def test_outbox_to_consumer_with_dead_letter(bus_context, common_settings):
    ctx = bus_context
    seen: list[str] = []

    async def handle(event: ApplicationRejected) -> None:
        async with ctx.pool.acquire() as conn, conn.transaction():
            if await first_delivery(conn, "test", event.id):
                seen.append(event.id)

    subscribe(ctx.broker, common_settings, service="application", event_model=ApplicationRejected, handler=handle,
              database=ctx.pool)
    await ctx.start()

    queue_name = find_consumer("application", ApplicationRejectedV1.event_type).queue_name(common_settings)
    # A malformed message straight onto the exchange, then a good one through the outbox.
    connection = await aio_pika.connect(common_settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(f"{common_settings.bus_namespace}.events")
        await exchange.publish(
            aio_pika.Message(b'{"not": "an event"}', delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
            routing_key=ApplicationRejectedV1.event_type,
        )
        good = rejected_event(uuid.uuid4())
        async with ctx.pool.acquire() as conn, conn.transaction():
            await enqueue(conn, good)

        await eventually(lambda: good.id in seen)
        dlq = await channel.get_queue(f"{queue_name}.dlq")
        dead = await eventually(lambda: dlq.get(fail=False))
        assert dead.body == b'{"not": "an event"}'
        assert "invalid jp.esurety.application.rejected.v1" in dead.headers["x-dead-letter-reason"]
        await dead.ack()

        # A redelivered event (same id) is not processed twice.
        async with ctx.pool.acquire() as conn, conn.transaction():
            await conn.execute("UPDATE outbox SET sent_at = NULL WHERE id = $1", uuid.UUID(good.id))
        await eventually(lambda: ctx.pool.fetchval("SELECT sent_at IS NOT NULL FROM outbox WHERE id = $1", uuid.UUID(good.id)))
        assert seen.count(good.id) == 1
        sent = await ctx.pool.fetchval("SELECT attempts FROM outbox WHERE id = $1", uuid.UUID(good.id))
        assert sent == 2  # relayed twice (the reset above), consumed once


async def test_prefetch_bounds_concurrent_handling(fresh_database, bus_cleanup, common_settings, tmp_path: Path):
    """A consumer never holds more deliveries than its prefetch (unbounded prefetch once exhausted the DB pool)."""
    ctx = await open_context("application", common_settings, migrations=tmp_path, publishes=True)
    running, most = 0, 0
    handled: list[str] = []

    async def slow(event: ApplicationRejected) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.2)
        running -= 1
        handled.append(event.id)

    subscribe(ctx.broker, common_settings, service="application", event_model=ApplicationRejected, handler=slow, database=ctx.pool, prefetch=2)
    await ctx.start()
    try:
        events = [rejected_event(uuid.uuid4()) for _ in range(8)]
        async with ctx.pool.acquire() as conn, conn.transaction():
            for event in events:
                await enqueue(conn, event)
        await eventually(lambda: len(handled) == 8, timeout=30)
        assert most == 2
    finally:
        await ctx.stop()


async def test_unroutable_event_stays_in_the_outbox_with_the_error(fresh_database, bus_cleanup, common_settings, tmp_path: Path):
    """RabbitMQ returning a message (no queue bound) is a failure: the row stays unsent and says why."""
    from typing import ClassVar

    from shared.events import CloudEvent, EventData

    class Unrouted(EventData):
        event_type: ClassVar[str] = "jp.esurety.test.unrouted.v1"

    ctx = await open_context("application", common_settings, migrations=tmp_path, publishes=True)
    await ctx.broker.start()
    from shared.bus.topology import declare_topology

    await declare_topology(ctx.broker, common_settings)
    try:
        event = CloudEvent[Unrouted].wrap(Unrouted(), source="/test", subject="s", correlation_id="c")
        async with ctx.pool.acquire() as conn, conn.transaction():
            await enqueue(conn, event)
        assert await ctx.relay.relay_once() == 0
        row = await ctx.pool.fetchrow("SELECT sent_at, last_error FROM outbox WHERE id = $1", uuid.UUID(event.id))
        assert row["sent_at"] is None
        assert "NO_ROUTE" in row["last_error"]
    finally:
        await ctx.pool.execute("DELETE FROM outbox WHERE routing_key = $1", Unrouted.event_type)
        await ctx.stop()
