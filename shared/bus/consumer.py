"""Subscribing a service-layer handler to its queue, with the delivery rules of this project:

- a message that is not a valid event, or that the handler declares poison, goes to the consumer's
  dead-letter queue with its reason (published there persistently and confirmed before the ack);
- any other failure is retried after a short pause, and RabbitMQ's delivery limit on the quorum
  queue sends it to the same DLQ once the limit is reached;
- a failure because PostgreSQL is down spends no delivery: the message is held until the database
  answers again and the handler runs again (shared/bus/hold.py);
- the correlation id of the event is bound on every log line of its handling.
"""

import asyncio
from datetime import datetime, timezone
from collections.abc import Awaitable, Callable
from typing import TypeVar

import structlog
from faststream.middlewares import AckPolicy
from faststream.rabbit import Channel, RabbitBroker
from faststream.rabbit.annotations import RabbitMessage
import asyncpg
from pydantic import ValidationError

from shared.bus.hold import DatabaseHold
from shared.db.availability import database_unavailable

from shared.bus.topology import consumer_queue, dead_letter_exchange, event_exchange, find_consumer
from shared.events import CloudEvent
from shared.metrics import consuming_for
from shared.settings import CommonSettings
from shared.tracing import continued

log = structlog.get_logger()

E = TypeVar("E", bound=CloudEvent)


class PoisonMessage(Exception):
    """The event is well-formed but can never be processed; retrying will not help."""


def subscribe(
    broker: RabbitBroker,
    settings: CommonSettings,
    *,
    service: str,
    event_model: type[E],
    handler: Callable[[E], Awaitable[None]],
    database: asyncpg.Pool | None,
    prefetch: int | None = None,
) -> None:
    """`database`: the pool the handler writes to (None for a handler without one), probed while it is down."""
    event_type = event_model.model_fields["data"].annotation.event_type
    consumer = find_consumer(service, event_type)
    queue = consumer_queue(consumer, settings)
    hold = DatabaseHold(database, settings) if database is not None else None

    async def dead_letter(message: RabbitMessage, reason: str) -> None:
        headers = dict(message.headers or {})
        headers.update({
            "x-dead-letter-reason": reason[:2000],
            "x-original-queue": queue.name,
            # Read by `python -m shared.bus.dead_letters` (RabbitMQ's own dead-lettering records x-death's time).
            "x-dead-lettered-at": datetime.now(timezone.utc).isoformat(),
        })
        await broker.publish(
            message.body,
            exchange=dead_letter_exchange(settings),
            routing_key=queue.name,
            persist=True,
            mandatory=True,
            headers=headers,
            message_id=message.message_id,
            correlation_id=message.correlation_id,
            content_type=message.content_type,
        )
        log.error("message dead-lettered", queue=queue.name, reason=reason[:500], message_id=message.message_id)

    @broker.subscriber(
        queue,
        event_exchange(settings),
        channel=Channel(prefetch_count=prefetch or settings.consumer_prefetch),
        ack_policy=AckPolicy.MANUAL,
        no_reply=True,
        include_in_schema=False,
    )
    async def on_message(message: RabbitMessage) -> None:
        try:
            event = event_model.model_validate_json(message.body)
        except ValidationError as exc:
            await dead_letter(message, f"invalid {event_type}: {exc}")
            await message.ack()
            return
        with consuming_for(service), continued(event), structlog.contextvars.bound_contextvars(
            correlation_id=event.correlationid, event_id=event.id, event_type=event.type, subject=event.subject
        ):
            while True:
                try:
                    await handler(event)
                except PoisonMessage as exc:
                    await dead_letter(message, f"poison: {exc}")
                    await message.ack()
                except Exception as exc:
                    if hold is not None and database_unavailable(exc):
                        log.warning("handler waiting for the database", queue=queue.name, error=type(exc).__name__)
                        if await hold.wait_for_database():
                            continue  # it was down and is back: again, without spending a delivery
                    deliveries = int((message.headers or {}).get("x-delivery-count", 0))
                    log.exception("handler failed; will retry", queue=queue.name, deliveries=deliveries)
                    # Back off before handing it back; the queue's delivery limit bounds the retries.
                    backoff = settings.retry_backoff_base_seconds * 2**deliveries
                    await asyncio.sleep(min(backoff, settings.retry_backoff_max_seconds))
                    await message.nack(requeue=True)
                else:
                    await message.ack()
                return
