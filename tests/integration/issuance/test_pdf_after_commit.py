"""PDFs leave the issuing transaction (issue 12, docs/pdf-rendering.md).

A second issuance service, built by bootstrap.build with PDF_JOB_WORKERS=0 and a renderer the tests hold
(a real DocumentRenderer behind a gate that counts every render), on a database and a bus namespace of
its own. The tests run PdfWorker loops themselves when they want one.
"""

import asyncio
import json
import time
import uuid
from collections import Counter

import aio_pika
import httpx
import pytest
import structlog

from services.issuance import bootstrap
from services.issuance.adapters import pdf_jobs
from services.issuance.handlers.render_documents import PdfWorker
from shared.documents import DocumentRenderer, RenderTimeout
from shared.events import CertificateContent, CertificateIssuedV1, PaperCertificateIssuedV1
from tests.conftest import TEST_DATABASE_URL, delete_bus_namespace, eventually
from tests.integration.issuance.conftest import INTERNAL_TOKEN
from tests.integration.issuance.test_render_timeout import fresh_issuance_schema
from tests.samples import bus_message
from tests.unit.issuance.factories import COMPANY_ID, PAPER_DELIVERY, advance, application, contract_guarantee, paper, submitted

pytestmark = pytest.mark.integration

DATABASE_URL = f"{TEST_DATABASE_URL}_pdf_after_commit"
AUTH = {"Authorization": f"Bearer {INTERNAL_TOKEN}", "X-Company-Id": str(COMPANY_ID)}


class GatedRenderer:
    """The real renderer behind a gate; counts renders started and finished per (保証契約番号, document)."""

    def __init__(self, real: DocumentRenderer) -> None:
        self.real = real
        self.timeout_seconds = real.timeout_seconds
        self.gate = asyncio.Event()
        self.gate.set()
        self.started: Counter = Counter()
        self.finished: Counter = Counter()
        self.fail: set[str] = set()  # 保証契約番号 whose renders raise RenderTimeout

    async def _through(self, key, render):
        self.started[key] += 1
        await self.gate.wait()
        if key[0] in self.fail:
            raise RenderTimeout(key[1], self.timeout_seconds)
        pdf = await render()
        self.finished[key] += 1
        return pdf

    async def certificate_pdf(self, content):
        return await self._through((content.contract_number, "certificate"), lambda: self.real.certificate_pdf(content))

    async def key_notice_pdf(self, notice):
        return await self._through((notice.contract_number, "key_notice"), lambda: self.real.key_notice_pdf(notice))

    async def close(self) -> None:
        await self.real.close()


@pytest.fixture(scope="module")
async def service(issuance_settings):
    """(ctx, renderer, publish, arrivals)."""
    await fresh_issuance_schema(DATABASE_URL)
    settings = issuance_settings.model_copy(update={
        "bus_namespace": f"test-{uuid.uuid4().hex[:8]}", "database_url": DATABASE_URL, "pdf_job_workers": 0,
    })
    holder: list[GatedRenderer] = []
    real_class = bootstrap.DocumentRenderer

    def gated(**kwargs):
        holder.append(GatedRenderer(real_class(**kwargs)))
        return holder[0]

    bootstrap.DocumentRenderer = gated
    try:
        ctx = await bootstrap.build(settings)
    finally:
        bootstrap.DocumentRenderer = real_class
    await ctx.start()
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(f"{settings.bus_namespace}.events")
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        for routing_key in (CertificateIssuedV1.event_type, PaperCertificateIssuedV1.event_type):
            await queue.bind(exchange, routing_key=routing_key)
        arrivals: list[dict] = []

        async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                arrivals.append(json.loads(message.body))

        await queue.consume(collect)

        async def publish(event) -> None:
            await exchange.publish(bus_message(event), routing_key=event.type, mandatory=True)

        yield ctx, holder[0], publish, arrivals
    finally:
        await ctx.stop()
        await connection.close()
        await delete_bus_namespace(settings)


def of(arrivals, application_id) -> list[dict]:
    return [e for e in arrivals if e["data"]["application_id"] == str(application_id)]


async def issue(service, *products, **fields) -> list[str]:
    _, _, publish, arrivals = service
    data = application(products=list(products), **fields)
    await publish(submitted(data))
    events = await eventually(lambda: len(of(arrivals, data.application_id)) == len(products) and of(arrivals, data.application_id), timeout=15)
    return [e["data"]["contract_number"] for e in events]


@pytest.fixture
async def client(service):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=service[0].http_app), base_url="http://issuance") as c:
        yield c


async def test_certificate_issued_while_the_renderer_hangs_and_a_redelivery_adds_no_job(service):
    ctx, renderer, publish, arrivals = service
    renderer.gate.clear()  # every render hangs
    try:
        data = application(products=[advance(), paper(contract_guarantee())], paper_delivery=PAPER_DELIVERY)
        event = submitted(data)
        await publish(event)
        # Before issue 12 the handler waited for WeasyPrint inside its transaction: nothing came out.
        events = await eventually(lambda: len(of(arrivals, data.application_id)) == 2 and of(arrivals, data.application_id), timeout=15)
        assert sum(renderer.finished.values()) == 0
        numbers = sorted(e["data"]["contract_number"] for e in events)
        pool = ctx.pool
        jobs = await pool.fetch("SELECT contract_number, document, done_at FROM pdf_jobs WHERE contract_number = ANY($1)", numbers)
        [on_paper] = [e["data"]["contract_number"] for e in events if e["type"] == PaperCertificateIssuedV1.event_type]
        [electronic] = [n for n in numbers if n != on_paper]
        assert sorted((j["contract_number"], j["document"]) for j in jobs) == sorted(
            [(electronic, "certificate"), (electronic, "key_notice"), (on_paper, "certificate")]
        )
        assert all(j["done_at"] is None for j in jobs)
        assert await pool.fetchval(
            "SELECT count(*) FROM certificate_versions WHERE contract_number = ANY($1) AND certificate_pdf IS NULL", numbers
        ) == 2

        # The same event again, and the same application under another event id: no second job.
        other = submitted(data)
        await publish(event)
        await publish(other)
        await eventually(lambda: pool.fetchval("SELECT count(*) = 1 FROM inbox WHERE event_id = $1", other.id))
        await asyncio.sleep(0.5)  # the redelivery of `event` too
        assert await pool.fetchval("SELECT count(*) FROM pdf_jobs WHERE contract_number = ANY($1)", numbers) == 3
        assert len(of(arrivals, data.application_id)) == 2
    finally:
        renderer.gate.set()


async def test_a_download_before_the_render_is_rendered_once_and_is_the_stored_bytes(service, client):
    ctx, renderer, _, _ = service
    [number] = await issue(service, advance())
    started = time.perf_counter()
    r = await client.get(f"/internal/certificates/{number}/documents/certificate.pdf", headers=AUTH)
    elapsed = time.perf_counter() - started
    assert r.status_code == 200 and r.content.startswith(b"%PDF-"), r.text
    stored = await ctx.pool.fetchval("SELECT certificate_pdf FROM certificate_versions WHERE contract_number = $1", number)
    assert bytes(stored) == r.content
    again = await client.get(f"/internal/certificates/{number}/documents/certificate.pdf", headers=AUTH)
    assert again.content == r.content
    assert renderer.started[(number, "certificate")] == 1

    # The worker then renders only what is still missing (the key notice), once.
    worker = PdfWorker(ctx.pool, renderer, workers=1, poll_interval=0.2)
    await worker.start()
    try:
        await eventually(lambda: ctx.pool.fetchval(
            "SELECT count(*) = 0 FROM pdf_jobs WHERE contract_number = $1 AND done_at IS NULL", number))
    finally:
        await worker.stop()
    assert (renderer.started[(number, "certificate")], renderer.started[(number, "key_notice")]) == (1, 1)
    guarantee = await ctx.pool.fetchrow("SELECT certificate_pdf, key_notice_pdf, content FROM certificates WHERE contract_number = $1", number)
    assert bytes(guarantee["certificate_pdf"]) == r.content and guarantee["key_notice_pdf"].startswith(b"%PDF-")
    # Same content, same bytes (what the platform renders for the orderer from the same content).
    assert await renderer.real.certificate_pdf(CertificateContent.model_validate(guarantee["content"])) == r.content
    print(f"first download rendering on demand: {elapsed * 1000:.0f} ms")


async def test_two_concurrent_first_downloads_render_once(service, client):
    _, renderer, _, _ = service
    [number] = await issue(service, advance())
    renderer.gate.clear()
    try:
        path = f"/internal/certificates/{number}/documents/key-notice.pdf"
        both = asyncio.gather(client.get(path, headers=AUTH), client.get(path, headers=AUTH))
        await eventually(lambda: renderer.started[(number, "key_notice")] == 1, interval=0.02)
        await asyncio.sleep(0.3)  # the second download waits for the first's render, it does not start its own
        assert renderer.started[(number, "key_notice")] == 1
    finally:
        renderer.gate.set()
    first, second = await both
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and first.content.startswith(b"%PDF-")
    assert renderer.started[(number, "key_notice")] == 1


async def test_two_workers_render_each_document_once(service):
    ctx, renderer, _, _ = service
    numbers = [n for _ in range(3) for n in await issue(service, advance())]
    workers = [PdfWorker(ctx.pool, renderer, workers=2, poll_interval=0.2) for _ in range(2)]
    for worker in workers:
        await worker.start()
    try:
        await eventually(lambda: ctx.pool.fetchval(
            "SELECT count(*) = 0 FROM pdf_jobs WHERE contract_number = ANY($1) AND done_at IS NULL", numbers), timeout=30)
    finally:
        for worker in workers:
            await worker.stop()
    assert {(n, d): renderer.started[(n, d)] for n in numbers for d in ("certificate", "key_notice")} == {
        (n, d): 1 for n in numbers for d in ("certificate", "key_notice")
    }


async def test_a_failed_render_is_retried_with_a_backoff_and_a_download_meanwhile_answers_503(service, client):
    ctx, renderer, _, _ = service
    [number] = await issue(service, advance())
    renderer.fail.add(number)
    worker = PdfWorker(ctx.pool, renderer, workers=1, poll_interval=0.2)
    with structlog.testing.capture_logs() as logs:
        await worker.start()
        try:
            await eventually(lambda: ctx.pool.fetchval(
                "SELECT count(*) = 2 FROM pdf_jobs WHERE contract_number = $1 AND attempts = 1 AND not_before > now()", number))
        finally:
            await worker.stop()
    failures = [e for e in logs if e["event"] == "pdf render failed; will retry"]
    assert {(e["contract_number"], e["document"], e["log_level"]) for e in failures} == {
        (number, "certificate", "error"), (number, "key_notice", "error")
    }
    auth_key = await ctx.pool.fetchval("SELECT auth_key FROM certificates WHERE contract_number = $1", number)
    assert not any(auth_key in repr(e) for e in logs)
    assert await ctx.pool.fetchval("SELECT count(*) FROM certificates WHERE contract_number = $1", number) == 1  # still issued

    r = await client.get(f"/internal/certificates/{number}/documents/certificate.pdf", headers=AUTH)
    assert r.status_code == 503
    assert r.json()["detail"] == "保証証書PDFを作成中です。しばらくしてから再度お試しください。"
    assert 1 <= int(r.headers["Retry-After"]) <= 6

    # The backoff is over and the renderer works again: the next try stores it.
    renderer.fail.discard(number)
    await ctx.pool.execute("UPDATE pdf_jobs SET not_before = now() WHERE contract_number = $1", number)
    r = await client.get(f"/internal/certificates/{number}/documents/certificate.pdf", headers=AUTH)
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    assert await pdf_jobs.backlog(ctx.pool) >= 1  # the key notice waits for the worker
