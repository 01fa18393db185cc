"""The transactional outbox and its relay.

`enqueue` writes the event in the caller's transaction. The relay claims unsent rows by state
(FOR UPDATE SKIP LOCKED, never by `id > last`: ids commit out of order) under a lease token,
publishes them persistently with publisher confirms, and marks them sent only while it still holds
the lease. LISTEN/NOTIFY only wakes it up; a timed poll catches any lost notification.
"""

import asyncio
import contextlib
import uuid

import asyncpg
import structlog
from faststream.rabbit import RabbitBroker

from shared.bus.broker import publish_event
from shared.db.notified_loop import NotifiedLoop
from shared.events import CloudEvent
from shared.settings import CommonSettings
from shared.tracing import current_trace_fields, publishing

log = structlog.get_logger()

NOTIFY_CHANNEL = "outbox"


async def enqueue(conn: asyncpg.Connection, event: CloudEvent) -> None:
    if event.traceparent is None and (trace_fields := current_trace_fields()):
        # The writer's trace travels in the event: the relay publishes it later, outside this request.
        event = event.model_copy(update=trace_fields)
    await conn.execute(
        "INSERT INTO outbox (id, routing_key, correlation_id, body) VALUES ($1, $2, $3, $4)",
        uuid.UUID(event.id),
        event.type,
        event.correlationid,
        event.model_dump_json().encode("utf-8"),
    )
    await conn.execute("SELECT pg_notify($1, '')", NOTIFY_CHANNEL)


class OutboxRelay(NotifiedLoop):
    name = "outbox-relay"

    def __init__(
        self,
        pool: asyncpg.Pool,
        broker: RabbitBroker,
        settings: CommonSettings,
        *,
        batch_size: int = 100,
        poll_interval: float = 1.0,
        lease_seconds: float = 30.0,
    ) -> None:
        super().__init__(pool, channel=NOTIFY_CHANNEL, batch_size=batch_size, poll_interval=poll_interval)
        self._broker = broker
        self._settings = settings
        self._lease_seconds = lease_seconds
        self._batch: asyncio.Future[int] | None = None

    async def run_once(self) -> int:
        # Shielded: stop() cancels the loop, and a batch cut between publish and "sent" would stay leased
        # and go out twice; stop() lets it finish instead.
        self._batch = asyncio.ensure_future(self.relay_once())
        return await asyncio.shield(self._batch)

    async def stop(self) -> None:
        await super().stop()
        if self._batch is not None and not self._batch.done():
            with contextlib.suppress(Exception):
                await self._batch

    async def relay_once(self) -> int:
        """Claim, publish and mark one batch; returns how many were published."""
        lease = uuid.uuid4()
        rows = await self._pool.fetch(
            """
            UPDATE outbox SET lease_token = $1, lease_until = now() + make_interval(secs => $2), attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM outbox
                WHERE sent_at IS NULL AND (lease_until IS NULL OR lease_until < now())
                ORDER BY created_at LIMIT $3
                FOR UPDATE SKIP LOCKED)
            RETURNING id, routing_key, correlation_id, body
            """,
            lease,
            self._lease_seconds,
            self._batch_size,
        )
        if not rows:
            return 0
        results = await asyncio.gather(*(self._publish(row) for row in rows), return_exceptions=True)
        sent = [row["id"] for row, result in zip(rows, results, strict=True) if not isinstance(result, BaseException)]
        for row, result in zip(rows, results, strict=True):
            if isinstance(result, BaseException):
                log.error(
                    "outbox publish failed; will retry",
                    outbox_id=str(row["id"]),
                    routing_key=row["routing_key"],
                    correlation_id=row["correlation_id"],
                    error=repr(result),
                )
                await self._pool.execute(
                    "UPDATE outbox SET last_error = $3, lease_until = now() + interval '2 seconds'"
                    " WHERE id = $1 AND lease_token = $2",
                    row["id"],
                    lease,
                    repr(result)[:2000],
                )
        if sent:
            await self._pool.execute(
                "UPDATE outbox SET sent_at = now(), lease_token = NULL, lease_until = NULL"
                " WHERE id = ANY($1::uuid[]) AND lease_token = $2",
                sent,
                lease,
            )
        return len(sent)

    async def _publish(self, row: asyncpg.Record) -> None:
        body = bytes(row["body"])
        with publishing(body):  # under the trace of the handler that wrote the row
            await publish_event(
                self._broker,
                self._settings,
                routing_key=row["routing_key"],
                body=body,
                message_id=str(row["id"]),
                correlation_id=row["correlation_id"],
            )
