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
        await self.broker.start()
        await declare_topology(self.broker, self.settings)
        if self.relay:
            await self.relay.start()
        for hook in self.on_start:
            await hook()

    async def stop(self) -> None:
        for task in self.background:
            task.cancel()
        for task in self.background:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self.relay:
            await self.relay.stop()
        for close in self.on_stop:
            with contextlib.suppress(Exception):
                await close()
        await self.broker.stop()
        await self.pool.close()


async def open_context(
    name: str, settings: CommonSettings, *, migrations: Path, publishes: bool, pool_size: int = 10
) -> ServiceContext:
    """Migrate, open pool and broker (not yet started: register subscribers, then `start()`)."""
    await migrate(settings.database_url, name, migrations)
    pool = await create_pool(settings.database_url, name, max_size=pool_size)
    metrics = service_metrics(name)
    broker = make_broker(settings, metrics=metrics)
    relay = OutboxRelay(pool, broker, settings) if publishes else None
    return ServiceContext(name=name, settings=settings, pool=pool, broker=broker, relay=relay, metrics=metrics)


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
        server = uvicorn.Server(uvicorn.Config(http_app, host=host, port=port, log_config=None, access_log=False))
        server.install_signal_handlers = lambda: None  # we own the signals
        ctx.background.append(asyncio.create_task(server.serve(), name=f"{ctx.name}-http"))
        log.info("http edge listening", url=f"http://{host}:{port}", openapi=f"http://{host}:{port}/docs")
    log.info("service started", service=ctx.name)
    await stop.wait()
    if server:
        # Let uvicorn finish its lifespan and open requests before the rest is torn down.
        server.should_exit = True
        http_task = ctx.background.pop()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(http_task, timeout=10)
    await ctx.stop()
    log.info("service stopped", service=ctx.name)


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
