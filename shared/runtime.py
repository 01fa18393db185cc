"""What every service process does the same way: refuse unsafe settings (shared.settings), check
that RabbitMQ and PostgreSQL are there,
migrate its schema, open its pool and broker, declare the topology, run the outbox relay, and
optionally serve an HTTP edge with uvicorn until stopped.
"""

import asyncio
import contextlib
import signal
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aio_pika
import asyncpg
import structlog
import uvicorn
from faststream.rabbit import RabbitBroker

from shared.bus.broker import make_broker
from shared.bus.topology import declare_topology
from shared.db.migrate import ensure_database, migrate
from shared.db.outbox import OutboxRelay
from shared.db.pool import create_pool
from shared.health import add_health_routes
from shared.logging import configure_logging
from shared.metrics import ServiceMetrics, service_metrics
from shared.metrics.endpoint import add_metrics
from shared.settings import CommonSettings, UnsafeSettings, refuse_unsafe_settings
from shared.tracing import instrument_http, tracer_provider_for

log = structlog.get_logger()


class InfrastructureMissing(SystemExit):
    pass


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}"


async def require_infrastructure(settings: CommonSettings) -> None:
    """Fail with a message naming what is missing, instead of a stack trace."""
    problems = []
    try:
        await ensure_database(settings.database_url)
        conn = await asyncio.wait_for(asyncpg.connect(settings.database_url), 5)
        await conn.close()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        problems.append(
            f"PostgreSQL is not reachable at {_where(settings.database_url)} (DATABASE_URL): {exc!r}. "
            "Start it, e.g. `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`."
        )
    try:
        connection = await asyncio.wait_for(aio_pika.connect(settings.amqp_url), 5)
        await connection.close()
    except Exception as exc:  # noqa: BLE001
        problems.append(
            f"RabbitMQ is not reachable at {_where(settings.amqp_url)} (AMQP_URL): {exc!r}. "
            "Start it, e.g. `rabbitmq-server -detached`."
        )
    if problems:
        raise InfrastructureMissing("\n".join(problems))


@dataclass
class ServiceContext:
    """The live resources of one service; handlers and HTTP routes get what they need from here."""

    name: str
    settings: CommonSettings
    pool: asyncpg.Pool
    broker: RabbitBroker
    relay: OutboxRelay | None = None
    # The service's FastAPI app, for the services with an HTTP edge.
    http_app: Any = None
    # Started after the broker (e.g. sender loops), in order.
    on_start: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    # Extra resources to close on stop (process pools, HTTP clients, sender loops), in order.
    on_stop: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    background: list[asyncio.Task] = field(default_factory=list)
    # The service's own Prometheus registry and metrics (shared/metrics), served on GET /metrics.
    metrics: ServiceMetrics | None = None
    # The service's OpenTelemetry TracerProvider; None when tracing is off (shared/tracing.py).
    tracer_provider: Any = None

    def __post_init__(self) -> None:
        if self.metrics is None:
            self.metrics = service_metrics(self.name)

    async def start(self) -> None:
        # Subscribers declare their own queues on their own channels (with their prefetch) first;
        # declaring a queue earlier would make FastStream consume from the cached default-channel
        # queue, without any prefetch limit. The rest of the topology follows before anything is relayed.
        if self.http_app is not None:
            add_health_routes(self, self.http_app)  # /healthz and /readyz on the service's own port
            add_metrics(self, self.http_app)  # /metrics beside them, and the request counts of the edge
            instrument_http(self.http_app, self.tracer_provider)  # a server span per request, when tracing is on
        await self.broker.start()
        await declare_topology(self.broker, self.settings)
        if self.relay:
            await self.relay.start()
        for hook in self.on_start:
            await hook()

    def stop_consuming(self) -> Awaitable[None]:
        return _stop_consuming(self.broker)

    async def stop(self, timeout: float | None = None) -> None:
        """Stop taking messages, let in-flight handlers finish, flush the outbox, then close everything.

        The waiting is bounded by `timeout` (SHUTDOWN_TIMEOUT_SECONDS): past it, unfinished messages go
        back to RabbitMQ unacknowledged and unsent events stay in the outbox; nothing is lost."""
        deadline = asyncio.get_running_loop().time() + (
            self.settings.shutdown_timeout_seconds if timeout is None else timeout
        )
        await self.stop_consuming()
        await _within(deadline, _handlers_done(self.broker, deadline), "in-flight messages")
        for task in self.background:
            task.cancel()
        for task in self.background:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self.relay:
            # What the last handlers wrote to the outbox goes out now rather than at the next start.
            await _within(deadline, _flush(self.relay), "outbox flush")
            await _within(deadline, self.relay.stop(), "outbox relay stop", at_least=2.0)
        for close in self.on_stop:
            with contextlib.suppress(Exception):
                await close()
        if self.tracer_provider is not None:
            # The last batch of spans goes out before the process ends.
            with contextlib.suppress(Exception):
                await asyncio.to_thread(self.tracer_provider.shutdown)
        await _within(deadline, self.broker.stop(), "broker close", at_least=2.0)
        if not await _within(deadline, self.pool.close(), "database pool close", at_least=2.0):
            self.pool.terminate()


async def _stop_consuming(broker: RabbitBroker) -> None:
    """basic.cancel every subscriber's consumer: RabbitMQ delivers nothing new, in-flight handlers go on
    (and can still ack). FastStream 0.7 has no public way: its subscriber.stop() waits for the handlers
    first and cancels after, leaving what arrives meanwhile unacked; hence its private queue and tag."""
    for subscriber in broker.subscribers:
        queue, tag = getattr(subscriber, "_queue_obj", None), getattr(subscriber, "_consumer_tag", None)
        if queue is None or tag is None:
            continue
        with contextlib.suppress(Exception):
            if not queue.channel.is_closed:
                await queue.cancel(tag)
        subscriber._consumer_tag = None  # so that subscriber.stop() does not cancel it again


async def _handlers_done(broker: RabbitBroker, deadline: float) -> None:
    # Each running subscriber counts its handlers at work in `lock` (a MultiLock; wait_release needs a timeout).
    timeout = max(deadline - asyncio.get_running_loop().time(), 0.01)
    await asyncio.gather(*(s.lock.wait_release(timeout) for s in broker.subscribers if hasattr(s.lock, "wait_release")))


async def _flush(relay: OutboxRelay) -> None:
    while await relay.relay_once():
        pass


async def _within(deadline: float, work: Awaitable[Any], what: str, *, at_least: float = 0.0) -> bool:
    """Await `work` until the shutdown deadline (or `at_least` seconds); False, logged, when it ran out."""
    remaining = max(deadline - asyncio.get_running_loop().time(), at_least)
    try:
        await asyncio.wait_for(work, remaining)
        return True
    except TimeoutError:
        log.warning("shutdown: gave up waiting", waiting_for=what, seconds=round(remaining, 1))
    except Exception as exc:  # noqa: BLE001 - a failing close must not stop the rest from closing
        log.warning("shutdown: failed", waiting_for=what, error=repr(exc))
    return False


async def open_context(
    name: str, settings: CommonSettings, *, migrations: Path, publishes: bool, pool_size: int = 10
) -> ServiceContext:
    """Migrate, open pool and broker (not yet started: register subscribers, then `start()`)."""
    await migrate(settings.database_url, name, migrations)
    pool = await create_pool(settings.database_url, name, max_size=pool_size)
    metrics = service_metrics(name)
    tracer_provider = tracer_provider_for(name, settings)
    broker = make_broker(settings, metrics=metrics, tracer_provider=tracer_provider)
    relay = OutboxRelay(pool, broker, settings) if publishes else None
    return ServiceContext(
        name=name, settings=settings, pool=pool, broker=broker, relay=relay, metrics=metrics,
        tracer_provider=tracer_provider,
    )


def http_config(app, host: str, port: int, *, graceful_seconds: float | None = None) -> uvicorn.Config:
    """How every HTTP edge is served. The parser is h11 by name: it refuses a request head that grows past
    16 KiB unfinished (400, or the connection closed). uvicorn would take httptools instead wherever that is
    installed (uvicorn[standard]), about a third less CPU per lookup here, but it accepted a 2 MB header and
    answered 200 (docs/benchmarks.md, docs/security.md)."""
    return uvicorn.Config(
        app, host=host, port=port, http="h11", log_config=None, access_log=False,
        timeout_graceful_shutdown=None if graceful_seconds is None else int(graceful_seconds),
    )


async def serve_until_stopped(ctx: ServiceContext, *, host: str = "127.0.0.1", port: int | None = None) -> None:
    """Start, then run until SIGINT/SIGTERM; with an HTTP app (ctx.http_app), uvicorn serves it meanwhile."""
    await ctx.start()
    http_app = ctx.http_app
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server = None
    if http_app is not None:
        server = uvicorn.Server(http_config(http_app, host, port, graceful_seconds=ctx.settings.shutdown_timeout_seconds))
        server.install_signal_handlers = lambda: None  # we own the signals
        ctx.background.append(asyncio.create_task(server.serve(), name=f"{ctx.name}-http"))
        log.info("http edge listening", url=f"http://{host}:{port}", openapi=f"http://{host}:{port}/docs")
    log.info("service started", service=ctx.name)
    await stop.wait()
    # SIGTERM: stop taking messages first, then let requests and handlers finish, within the timeout.
    started = loop.time()
    timeout = ctx.settings.shutdown_timeout_seconds
    log.info("service stopping", service=ctx.name, timeout_seconds=timeout)
    await ctx.stop_consuming()
    if server:
        server.should_exit = True  # uvicorn stops accepting, finishes open requests and its lifespan
        http_task = ctx.background.pop()
        await _within(started + timeout, http_task, "open HTTP requests")
    await ctx.stop(timeout=max(started + timeout - loop.time(), 0.0))
    log.info("service stopped", service=ctx.name, seconds=round(loop.time() - started, 2))


def run_service(
    name: str,
    settings: CommonSettings,
    build: Callable[[Any], Awaitable[ServiceContext]],
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
) -> None:
    """Every service's `python -m services.<name>`: the settings check (exit 2 with a message, before
    anything connects: e.g. a default INTERNAL_API_TOKEN outside development), JSON logs, the
    infrastructure check (exit 2 with a message naming what is missing), build, then serve until
    SIGINT/SIGTERM."""
    try:
        refuse_unsafe_settings(settings)
    except UnsafeSettings as exc:
        print(f"{name}: refusing to start: {exc.code}", file=sys.stderr)
        sys.exit(2)

    async def main() -> None:
        configure_logging(name, settings.log_level)
        await require_infrastructure(settings)
        await serve_until_stopped(await build(settings), host=host, port=port)

    try:
        asyncio.run(main())
    except InfrastructureMissing as exc:
        print(exc.code, file=sys.stderr)
        sys.exit(2)
