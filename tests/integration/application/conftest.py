"""Fixtures of the application service's integration tests: the service built by its own bootstrap on
the real PostgreSQL and RabbitMQ, a fake issuance internal API served by uvicorn, two contractor
companies with a user each, and helpers to put events on the bus as the other services would."""

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

import aio_pika
import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Header, HTTPException
from fastapi.responses import Response

from shared.events import CertificateIssued, CertificatePublished, CloudEvent, PaperCertificateIssued, Party, Product
from services.application.bootstrap import build
from services.application.entrypoints.cli import create_company, create_user
from services.application.settings import Settings
from tests.conftest import TEST_DATABASE_URL, free_port
from tests.samples import (
    bus_message,
    sample_certificate_content,
    sample_certificate_issued,
    sample_certificate_published,
    sample_paper_certificate_issued,
)
from tests.conftest import package_bus_fixtures

# This package's own bus namespace: no other package's leftover events reach its services.
bus_namespace, common_env, common_settings, bus_cleanup = package_bus_fixtures()

INTERNAL_TOKEN = "test-internal-token"
PDF_BYTES = {"certificate.pdf": b"%PDF-1.7 certificate " + b"x" * 100_000, "key-notice.pdf": b"%PDF-1.7 key notice"}


def registry_orderers() -> list[dict]:
    """The orderer registry as issuance's GET /internal/orderers answers (test data: 川崎市 from 2022)."""
    return [
        {
            "code": "kawasaki-city",
            "name": "川崎市",
            "certificate_name": "川崎市長",
            "e_surety_from": "2022-04-01",
            "judged_on": "contract_date",
            "rounding_unit": 1,
            "requires_tender_status": False,
            "note": "",
        },
        {
            "code": "yurihonjo-city",
            "name": "由利本荘市",
            "certificate_name": "由利本荘市長",
            "e_surety_from": "2026-04-01",
            "judged_on": "tender_notice_date",
            "rounding_unit": 10000,
            "requires_tender_status": True,
            "note": "",
        },
    ]


@dataclass
class FakeIssuance:
    """Stands in for issuance's internal API: keys per contract number and company, the orderer registry
    (None: the registry answers 503), and what it was asked."""

    url: str
    keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # number -> (company id, key)
    calls: list[tuple[str, str | None]] = field(default_factory=list)  # (path, X-Company-Id)
    orderers: list[dict] | None = field(default_factory=registry_orderers)


def _fake_issuance_app(fake: FakeIssuance) -> FastAPI:
    app = FastAPI()

    def owned(number: str, authorization: str | None, company: str | None, path: str) -> None:
        fake.calls.append((path, company))
        if authorization != f"Bearer {INTERNAL_TOKEN}":
            raise HTTPException(401)
        if number not in fake.keys or fake.keys[number][0] != company:
            raise HTTPException(404)

    @app.get("/internal/orderers")
    async def orderers(authorization: str = Header(None)):
        fake.calls.append(("orderers", None))
        if authorization != f"Bearer {INTERNAL_TOKEN}":
            raise HTTPException(401)
        if fake.orderers is None:
            raise HTTPException(503)
        return fake.orderers

    @app.get("/internal/certificates/{number}/auth-key")
    async def auth_key(number: str, authorization: str = Header(None), x_company_id: str = Header(None)):
        owned(number, authorization, x_company_id, f"{number}/auth-key")
        return {"contract_number": number, "auth_key": fake.keys[number][1]}

    @app.get("/internal/certificates/{number}/documents/{name}")
    async def document(number: str, name: str, authorization: str = Header(None), x_company_id: str = Header(None)):
        owned(number, authorization, x_company_id, f"{number}/{name}")
        if name not in PDF_BYTES:
            raise HTTPException(404)
        return Response(PDF_BYTES[name], media_type="application/pdf")

    return app


@pytest.fixture(scope="package")
async def fake_issuance():
    port = free_port()
    fake = FakeIssuance(url=f"http://127.0.0.1:{port}")
    server = uvicorn.Server(uvicorn.Config(_fake_issuance_app(fake), host="127.0.0.1", port=port, log_level="warning"))
    server.install_signal_handlers = lambda: None
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    yield fake
    server.should_exit = True
    await task


@pytest.fixture(scope="package")
def settings(common_env, fake_issuance) -> Settings:
    return Settings(**common_env, issuance_internal_url=fake_issuance.url, internal_api_token=INTERNAL_TOKEN)


@pytest.fixture(scope="package")
async def service(fresh_database, bus_cleanup, settings):
    ctx = await build(settings)
    await ctx.start()
    yield ctx
    await ctx.stop()


@pytest.fixture(scope="package")
async def api(service):
    transport = httpx.ASGITransport(app=service.http_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://netdesk") as client:
        yield client


@dataclass
class Contractor:
    company_id: uuid.UUID
    name: str
    headers: dict[str, str]


async def _contractor(api: httpx.AsyncClient, name: str, login_id: str) -> Contractor:
    company_id = await create_company(name, "神奈川県川崎市川崎区宮本町1", database_url=TEST_DATABASE_URL)
    await create_user(name, login_id, "pass-" + login_id, "山田 太郎", database_url=TEST_DATABASE_URL)
    response = await api.post("/auth/login", json={"login_id": login_id, "password": "pass-" + login_id})
    assert response.status_code == 200, response.text
    return Contractor(company_id, name, {"Authorization": f"Bearer {response.json()['access_token']}"})


@pytest.fixture(scope="package")
async def contractor_a(api) -> Contractor:
    return await _contractor(api, "○○建設 株式会社", "maru-a")


@pytest.fixture(scope="package")
async def contractor_b(api) -> Contractor:
    return await _contractor(api, "△△工業 株式会社", "sankaku-b")


@pytest.fixture
async def amqp(settings):
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        yield await connection.channel()


async def publish(channel: aio_pika.abc.AbstractChannel, settings: Settings, event: CloudEvent) -> None:
    """As another service's outbox relay would: persistent, on the topic exchange, routed by type."""
    exchange = await channel.get_exchange(f"{settings.bus_namespace}.events")
    await exchange.publish(
        bus_message(event),
        routing_key=event.type,
    )


_serial = iter(range(1, 100_000))


def contract_number(product: Product) -> str:
    letter = {
        Product.ADVANCE_PAYMENT: "M",
        Product.INTERMEDIATE_ADVANCE_PAYMENT: "C",
        Product.CONTRACT_GUARANTEE: "K",
        Product.BID_BOND: "Y",
    }[product]
    return f"35072-{next(_serial) + uuid.uuid4().int % 90000:05d}{letter}"


def certificate_issued(
    *,
    application_id: uuid.UUID,
    company: Contractor,
    product: Product,
    number: str,
    construction_name: str = "河川維持（○○）工事",
    guaranteed_amount: int = 20_000_000,
    issued_at: datetime = datetime(2022, 11, 1, 5, 59, tzinfo=timezone.utc),
    correlation_id: str = "corr",
    paper: bool = False,
    **content_changes,
) -> CertificateIssued | PaperCertificateIssued:
    """CertificateIssued, or PaperCertificateIssued when `paper`; `content_changes` override the certificate."""
    advance = product in (Product.ADVANCE_PAYMENT, Product.INTERMEDIATE_ADVANCE_PAYMENT)
    content = sample_certificate_content(**{
        "title": TITLES[product],
        "product": product,
        "contract_number": number,
        "contractor": Party(name=company.name, address="神奈川県川崎市川崎区宮本町1"),
        "guaranteed_amount": guaranteed_amount,
        "construction_name": construction_name,
        "depository": "ミズホ銀行　シブヤ支店" if advance else None,
        **content_changes,
    })
    build = sample_paper_certificate_issued if paper else sample_certificate_issued
    return build(
        content, correlation_id=correlation_id, application_id=application_id, contractor_company_id=company.company_id,
        issued_at=issued_at,
    )


TITLES = {
    Product.ADVANCE_PAYMENT: "保証証書（前払金保証）",
    Product.INTERMEDIATE_ADVANCE_PAYMENT: "保証証書（中間前払金保証）",
    Product.CONTRACT_GUARANTEE: "保証証書（契約保証）",
    Product.BID_BOND: "保証証書（契約保証予約）",
}


def certificate_published(
    issued: CertificateIssued, published_at: datetime = datetime(2022, 11, 1, 6, 0, tzinfo=timezone.utc)
) -> CertificatePublished:
    e = issued.data
    return sample_certificate_published(
        correlation_id=issued.correlationid,
        application_id=e.application_id,
        contract_number=e.contract_number,
        product=e.product,
        version=e.version,
        version_label=e.version_label,
        published_at=published_at,
        content_digest=e.content_digest,
        construction_name=e.certificate.construction_name,
        orderer_name=e.certificate.obligee.name,
        contractor_name=e.certificate.contractor.name,
    )


async def submitted_application(api: httpx.AsyncClient, contractor: Contractor, form: dict) -> dict:
    """Draft -> submit through the API; returns the submit body."""
    created = await api.post("/applications", json=form, headers=contractor.headers)
    assert created.status_code == 201, created.text
    sent = await api.post(f"/applications/{created.json()['id']}/submit", headers=contractor.headers)
    assert sent.status_code == 202, sent.text
    return sent.json()
