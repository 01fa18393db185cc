"""The issuance service as it runs (bootstrap.build), on the real PostgreSQL and RabbitMQ, plus a test
queue bound to `<ns>.events` that collects what it emits."""

import json
from collections import Counter

import aio_pika
import pytest

from services.issuance.bootstrap import build
from services.issuance.entrypoints import subscribers
from services.issuance.settings import Settings
from shared.events import ApplicationRejectedV1, ApplicationSubmitted, CertificateIssuedV1, PaperCertificateIssuedV1
from tests.samples import bus_message
from tests.conftest import eventually, package_bus_fixtures

# This package's own bus namespace: no other package's leftover events reach its services.
bus_namespace, common_env, common_settings, bus_cleanup = package_bus_fixtures()

INTERNAL_TOKEN = "test-internal-token"


class Handled:
    """Handler calls per event id that returned normally / raised (a redelivery must return normally, doing nothing)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.failures: Counter[str] = Counter()


@pytest.fixture(scope="package")
def handled() -> Handled:
    return Handled()


@pytest.fixture(scope="package")
def issuance_settings(common_env) -> Settings:
    return Settings(**common_env, internal_api_token=INTERNAL_TOKEN, pdf_processes=2)


@pytest.fixture(scope="package")
async def issuance(fresh_database, bus_cleanup, issuance_settings, handled):
    original = subscribers.handle_application_submitted

    async def counted(pool, event: ApplicationSubmitted, **kwargs):
        try:
            await original(pool, event, **kwargs)
        except BaseException:
            handled.failures[event.id] += 1
            raise
        handled.calls[event.id] += 1

    subscribers.handle_application_submitted = counted
    ctx = await build(issuance_settings)
    await ctx.start()
    try:
        yield ctx
    finally:
        await ctx.stop()
        subscribers.handle_application_submitted = original


class Emitted:
    def __init__(self, pool=None) -> None:
        self.pool = pool  # the service's, to wait for PDFs (rendered())
        self.events: list[dict] = []
        self.bodies: list[bytes] = []

    def of(self, event_type: str, application_id) -> list[dict]:
        return [e for e in self.events if e["type"] == event_type and e["data"]["application_id"] == str(application_id)]

    def issued(self, application_id) -> list[dict]:
        return self.of(CertificateIssuedV1.event_type, application_id)

    def rejected(self, application_id) -> list[dict]:
        return self.of(ApplicationRejectedV1.event_type, application_id)

    def paper(self, application_id) -> list[dict]:
        return self.of(PaperCertificateIssuedV1.event_type, application_id)


@pytest.fixture(scope="package")
async def amqp(issuance, issuance_settings):
    connection = await aio_pika.connect(issuance_settings.amqp_url)
    async with connection:
        yield connection


@pytest.fixture(scope="package")
async def emitted(amqp, issuance, issuance_settings) -> Emitted:
    """A queue of our own on the public exchange, as an external subscriber would bind one."""
    found = Emitted(issuance.pool)
    channel = await amqp.channel()
    exchange = await channel.get_exchange(f"{issuance_settings.bus_namespace}.events")
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    for routing_key in (CertificateIssuedV1.event_type, ApplicationRejectedV1.event_type, PaperCertificateIssuedV1.event_type):
        await queue.bind(exchange, routing_key=routing_key)

    async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with message.process():
            found.bodies.append(message.body)
            found.events.append(json.loads(message.body))

    await queue.consume(collect)
    return found


@pytest.fixture(scope="package")
async def publish(amqp, issuance_settings):
    """Publish an ApplicationSubmitted onto `<ns>.events` the way the application service's relay does."""
    channel = await amqp.channel(publisher_confirms=True)
    exchange = await channel.get_exchange(f"{issuance_settings.bus_namespace}.events")

    async def send(event: ApplicationSubmitted) -> None:
        await exchange.publish(
            bus_message(event),
            routing_key=event.type,
            mandatory=True,
        )

    return send


async def rendered(pool, contract_number: str, timeout: float = 30.0) -> None:
    """Wait until every PDF of this guarantee is stored: they are rendered after its event (pdf_jobs)."""

    async def done() -> bool:
        return not await pool.fetchval(
            "SELECT count(*) FROM pdf_jobs WHERE contract_number = $1 AND done_at IS NULL", contract_number
        )

    await eventually(done, timeout=timeout)
