"""Test rings: unit/ (no I/O), integration/ (real PostgreSQL, RabbitMQ, SMTP), e2e/ (all services through HTTP).

Integration and e2e tests use the database `esurety_test` (recreated per run) and a bus namespace of
their own (`test-<random>`), so they never touch a running development system.
"""

import asyncio
import os
import socket
import uuid

import aio_pika
import asyncpg
import pytest
import structlog

from shared.bus.topology import CONSUMERS
from shared.settings import CommonSettings

# structlog's default console output, but with plain tracebacks: with `rich` installed (the dead-letter CLI
# uses it) the default renders every logged exception as a rich panel, which took seconds per traceback in
# the tests that log many retries.
structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.StackInfoRenderer(),
        structlog.dev.set_exc_info,
        structlog.processors.TimeStamper(fmt="%Y-%m-%d %H:%M:%S", utc=False),
        structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback),
    ]
)

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/esurety_test")
TEST_AMQP_URL = os.environ.get("TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
# The 認証キー's hash secret of issuance and the platform (a test value, long enough for production); also
# for the environment of service processes that tests start.
TEST_AUTH_KEY_ENV = {
    "AUTH_KEY_HMAC_SECRETS": '{"test-1": "test-auth-key-hmac-secret-0123456789abcdef"}',
    "AUTH_KEY_HMAC_KEY_ID": "test-1",
}
SERVICE_SCHEMAS = ("application", "issuance", "platform", "notifier")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def delete_bus_namespace(settings: CommonSettings) -> None:
    """Delete every queue (and its DLQ) and both exchanges of `settings.bus_namespace`."""
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        for consumer in CONSUMERS:
            name = consumer.queue_name(settings)
            for queue in (name, f"{name}.dlq"):
                await channel.queue_delete(queue)
        for exchange in ("events", "dlx"):
            await channel.exchange_delete(f"{settings.bus_namespace}.{exchange}")


def package_bus_fixtures():
    """The bus fixtures of one test package: its own namespace (exchanges and queues), settings and cleanup.

    A package-scoped fixture lives as long as the package that DEFINES it, so fixtures defined here would
    be shared by every package: one package's leftover events would then reach the next package's
    services. Each package that runs services therefore defines its own from this factory:

        bus_namespace, common_env, common_settings, bus_cleanup = package_bus_fixtures()
    """

    @pytest.fixture(scope="package", name="bus_namespace")
    def bus_namespace() -> str:
        return f"test-{uuid.uuid4().hex[:8]}"

    @pytest.fixture(scope="package", name="common_env")
    def common_env(bus_namespace) -> dict[str, str]:
        """Environment-style settings every service under test is built from."""
        return {
            "database_url": TEST_DATABASE_URL,
            "amqp_url": TEST_AMQP_URL,
            "bus_namespace": bus_namespace,
            "delivery_limit": "3",
            **{name.lower(): value for name, value in TEST_AUTH_KEY_ENV.items()},
        }

    @pytest.fixture(scope="package", name="common_settings")
    def common_settings(common_env) -> CommonSettings:
        return CommonSettings(**common_env)

    @pytest.fixture(scope="package", name="bus_cleanup")
    async def bus_cleanup(common_settings):
        """Delete the package's queues and exchanges afterwards."""
        yield
        await delete_bus_namespace(common_settings)

    return bus_namespace, common_env, common_settings, bus_cleanup


# For tests outside a service package (tests/integration/test_bus.py).
bus_namespace, common_env, common_settings, bus_cleanup = package_bus_fixtures()


@pytest.fixture(scope="session")
async def fresh_database():
    """Recreate the test database's service schemas once per run."""
    base, _, name = TEST_DATABASE_URL.rpartition("/")
    admin = await asyncpg.connect(f"{base}/postgres")
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    conn = await asyncpg.connect(TEST_DATABASE_URL)
    try:
        for schema in SERVICE_SCHEMAS:
            await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await conn.close()
    return TEST_DATABASE_URL


@pytest.fixture
async def smtp_server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1; yields (host, port, messages)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message
    from email.message import Message as EmailMessage

    received: list[EmailMessage] = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    port = free_port()
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield "127.0.0.1", port, received
    finally:
        controller.stop()


async def eventually(predicate, *, timeout: float = 20.0, interval: float = 0.1):
    """Poll an async or sync predicate until it returns a truthy value."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)
