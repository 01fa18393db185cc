"""Fixtures for the notifier on the real PostgreSQL, RabbitMQ and aiosmtpd: events as upstream publishes them,
a notifier factory, and an SMTP server whose answers a test can script (451 once, 550…)."""

import email
import itertools
import email.policy
import uuid
from datetime import date, datetime, timezone

import aio_pika
import pytest
from aiosmtpd.controller import Controller

from services.notifier.bootstrap import build
from services.notifier.settings import Settings
from shared.bus.broker import CLOUDEVENTS_JSON
from shared.events import (
    ApplicationSubmitted,
    ApplicationSubmittedV1,
    CertificateFormat,
    CertificatePublished,
    CertificatePublishedV1,
    CloudEvent,
    ConstructionContract,
    Contractor,
    Notification,
    Product,
    ProductRequest,
)
from tests.conftest import free_port

CONTRACTOR = "○○建設 株式会社"
CONSTRUCTION = "河川維持（○○）工事"
ORDERER = "川崎市長"


def application_submitted(app_id: uuid.UUID, *, wanted: bool = True, email_to: str | None = None) -> ApplicationSubmitted:
    data = ApplicationSubmittedV1(
        application_id=app_id,
        submitted_at=datetime.now(timezone.utc),
        branch="神奈川支店",
        contractor=Contractor(company_id=uuid.uuid4(), name=CONTRACTOR, address="神奈川県横浜市中区尾上町1-6"),
        contract=ConstructionContract(
            construction_name=CONSTRUCTION,
            orderer_code="kawasaki-city",
            orderer_name=ORDERER,
            contract_amount=50_000_000,
            period_start=date(2023, 4, 10),
            period_end=date(2024, 3, 15),
            contract_date=date(2023, 4, 5),
        ),
        products=[
            ProductRequest(
                product=Product.ADVANCE_PAYMENT,
                certificate_format=CertificateFormat.ELECTRONIC,
                guaranteed_amount=20_000_000,
                depository="○○銀行　××支店",
                fee_payment_method="一括納付",
                fee_billing_to=CONTRACTOR,
                fee_statement_paper=False,
            )
        ],
        notification=Notification(wanted=wanted, email=email_to if wanted else None),
    )
    return ApplicationSubmitted.wrap(
        data, source="/esurety/application", subject=str(app_id), correlation_id=f"corr-{app_id}"
    )


def certificate_published(
    app_id: uuid.UUID, contract_number: str, *, product: Product = Product.ADVANCE_PAYMENT
) -> CertificatePublished:
    data = CertificatePublishedV1(
        application_id=app_id,
        contract_number=contract_number,
        product=product,
        version=0,
        version_label="新規",
        published_at=datetime(2022, 11, 1, 6, 0, tzinfo=timezone.utc),
        content_digest="sha256:" + "0" * 64,
        construction_name=CONSTRUCTION,
        orderer_name=ORDERER,
        contractor_name=CONTRACTOR,
    )
    return CertificatePublished.wrap(
        data, source="/esurety/platform", subject=contract_number, correlation_id=f"corr-{app_id}"
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
            aio_pika.Message(
                event.model_dump_json().encode(),
                message_id=event.id,
                correlation_id=event.correlationid,
                content_type=CLOUDEVENTS_JSON,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
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
