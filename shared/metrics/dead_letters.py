"""`esurety_dead_letter_messages{queue}`: how many messages wait in each of this service's DLQs, read at
scrape time (docs/operations-metrics.md). A dead letter is an event this service gave up on; any is worth a look.

Re-declaring the DLQ (same arguments as shared/bus/topology.py, so RabbitMQ only answers) returns its
message count; FastStream caches the queue object, so this costs one round trip per DLQ. If RabbitMQ does
not answer in time the samples are dropped rather than left stale (`absent(...)` shows it; /readyz says why).
"""

import asyncio
from typing import TYPE_CHECKING

import structlog

from shared.bus.topology import CONSUMERS, dead_letter_queue

if TYPE_CHECKING:
    from shared.runtime import ServiceContext

log = structlog.get_logger()

DLQ_TIMEOUT_SECONDS = 1.0


async def refresh_dead_letter_gauge(ctx: "ServiceContext") -> None:
    gauge = ctx.metrics.gauge(
        "esurety_dead_letter_messages", "Messages waiting in this service's dead-letter queues", ("queue",)
    )
    mine = [consumer for consumer in CONSUMERS if consumer.service == ctx.name]

    async def counts() -> dict[str, int]:
        found = {}
        for consumer in mine:
            queue = await ctx.broker.declare_queue(dead_letter_queue(consumer, ctx.settings))
            found[queue.name] = (await queue.declare()).message_count
        return found

    try:
        found = await asyncio.wait_for(counts(), DLQ_TIMEOUT_SECONDS)
    except Exception as exc:  # noqa: BLE001 - the scrape still succeeds
        gauge.clear()
        log.warning("metrics: dead-letter queues not readable", error=type(exc).__name__)
        return
    # Only the queues read now: a queue this process no longer consumes (another namespace) drops out.
    gauge.clear()
    for name, count in found.items():
        gauge.labels(queue=name).set(count)
