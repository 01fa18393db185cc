"""Fixtures for the notifier on the real PostgreSQL, RabbitMQ and aiosmtpd: events as upstream publishes them,
a notifier factory, and an SMTP server whose answers a test can script (451 once, 550…)."""

import email
import itertools
import email.policy
import uuid

import aio_pika
import pytest
from aiosmtpd.controller import Controller

from services.notifier.bootstrap import build
from services.notifier.settings import Settings
from shared.events import ApplicationSubmitted, CertificatePublished, CloudEvent, Notification, Product
from tests.conftest import free_port
from tests.samples import bus_message, sample_certificate_published, sample_submitted, sample_submitted_data
from tests.conftest import package_bus_fixtures

# This package's own bus namespace: no other package's leftover events reach its services.
bus_namespace, common_env, common_settings, bus_cleanup = package_bus_fixtures()


def application_submitted(app_id: uuid.UUID, *, wanted: bool = True, email_to: str | None = None) -> ApplicationSubmitted:
    data = sample_submitted_data(
        application_id=app_id, notification=Notification(wanted=wanted, email=email_to if wanted else None)
    )
    return sample_submitted(data, correlation_id=f"corr-{app_id}")


def certificate_published(
    app_id: uuid.UUID, contract_number: str, *, product: Product = Product.ADVANCE_PAYMENT
) -> CertificatePublished:
    return sample_certificate_published(
        application_id=app_id, contract_number=contract_number, product=product, correlation_id=f"corr-{app_id}"
    )


_serials = itertools.count(1)


def new_contract_number(letter: str = "M") -> str:
    """Unique within a test run (the schemas are recreated per run)."""
    return f"35072-{next(_serials):05d}{letter}"


async def publish(settings: Settings, event: CloudEvent) -> None:
    """Onto `<ns>.events` with aio-pika, persistent and confirmed, as an upstream outbox relay would."""
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        exchange = await channel.get_exchange(f"{settings.bus_namespace}.events")
        await exchange.publish(
            bus_message(event),
            routing_key=event.type,
            mandatory=True,
        )


def parsed(message) -> email.message.EmailMessage:
    """What aiosmtpd received, parsed again with the modern policy (decodes RFC 2047 and base64)."""
    raw = message if isinstance(message, bytes) else message.as_bytes()
    return email.message_from_bytes(raw, policy=email.policy.default)


def addressed_to(messages, address: str) -> list[email.message.EmailMessage]:
    return [m for m in map(parsed, messages) if m["To"] == address]


@pytest.fixture
async def start_notifier(fresh_database, bus_cleanup, common_env):
    """start_notifier(smtp_host, smtp_port) -> a started notifier context; all stopped at teardown."""
    started = []

    async def start(smtp_host: str, smtp_port: int):
        settings = Settings(
            **common_env,
            smtp_host=smtp_host,
            smtp_port=smtp_port,
            portal_url="https://netdesk.example.jp/",
            email_poll_interval=0.2,
            email_retry_base_seconds=0.3,
            email_retry_max_seconds=1.0,
        )
        ctx = await build(settings)
        await ctx.start()
        started.append(ctx)
        return ctx

    yield start
    for ctx in started:
        await ctx.stop()


class ScriptedSmtp:
    """aiosmtpd handler: answers DATA from a per-recipient script ("451 …", "550 …"), then accepts."""

    def __init__(self) -> None:
        self.script: dict[str, list[str]] = {}
        self.accepted: list[bytes] = []
        self.attempts: dict[str, int] = {}

    async def handle_DATA(self, server, session, envelope):
        to = envelope.rcpt_tos[0]
        self.attempts[to] = self.attempts.get(to, 0) + 1
        answers = self.script.get(to)
        if answers:
            return answers.pop(0)
        self.accepted.append(envelope.original_content or envelope.content)
        return "250 2.0.0 OK queued"


@pytest.fixture
def scripted_smtp():
    handler = ScriptedSmtp()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield "127.0.0.1", port, handler
    finally:
        controller.stop()
