"""A PDF that cannot be rendered within PDF_RENDER_TIMEOUT_SECONDS rejects its application, and only it.

A second issuance service, built by bootstrap.build like the package's own but with a limit of a few
seconds, runs on a bus namespace and a database of its own (sharing the package's database would let the
package's outbox relay publish this service's events on the other namespace). The slow document is a real one: a 3,000-character 工事名
takes about 17 s to lay out on the development machines (issue 10: 5,000 characters took 79 s).
"""

import json
import time
import uuid

import aio_pika
import asyncpg
import pytest
import structlog

from services.issuance.bootstrap import build
from services.issuance.handlers.issue_certificates import handle_application_submitted
from shared.db.migrate import ensure_database
from shared.documents import RenderTimeout
from shared.events import ApplicationRejectedV1, CertificateIssuedV1
from tests.conftest import TEST_DATABASE_URL, delete_bus_namespace, eventually
from tests.samples import bus_message
from tests.unit.issuance.factories import advance, application, contract_guarantee, submitted

pytestmark = pytest.mark.integration

LIMIT = 3.0
DATABASE_URL = f"{TEST_DATABASE_URL}_render_limit"
SLOW_NAME = "河川維持工事" * 500
NOT_RENDERED = (
    "前払金保証の保証証書を作成できませんでした（記載内容が証書に収まりません）。"
    "お手数ですが当社窓口にお問い合わせください。"
)


class Arrivals:
    """What the limited service emits, with the time each event arrived."""

    def __init__(self) -> None:
        self.events: list[tuple[float, dict]] = []

    def of(self, event_type: str, application_id) -> list[tuple[float, dict]]:
        return [(t, e) for t, e in self.events if e["type"] == event_type and e["data"]["application_id"] == str(application_id)]

    def issued(self, application_id) -> list[tuple[float, dict]]:
        return self.of(CertificateIssuedV1.event_type, application_id)

    def rejected(self, application_id) -> list[tuple[float, dict]]:
        return self.of(ApplicationRejectedV1.event_type, application_id)


async def fresh_issuance_schema(database_url: str) -> None:
    await ensure_database(database_url)
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("DROP SCHEMA IF EXISTS issuance CASCADE")
    finally:
        await conn.close()


@pytest.fixture(scope="module")
async def limited(issuance_settings):
    """(service, publish, arrivals): issuance with a LIMIT-second render limit, on its own namespace and database."""
    await fresh_issuance_schema(DATABASE_URL)
    settings = issuance_settings.model_copy(update={
        "bus_namespace": f"test-{uuid.uuid4().hex[:8]}",
        "database_url": DATABASE_URL,
        "pdf_render_timeout_seconds": LIMIT,
    })
    ctx = await build(settings)
    await ctx.start()
    connection = await aio_pika.connect(settings.amqp_url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(f"{settings.bus_namespace}.events")
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        for routing_key in (CertificateIssuedV1.event_type, ApplicationRejectedV1.event_type):
            await queue.bind(exchange, routing_key=routing_key)
        arrivals = Arrivals()

        async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                arrivals.events.append((time.monotonic(), json.loads(message.body)))

        await queue.consume(collect)

        async def publish(event) -> None:
            await exchange.publish(bus_message(event), routing_key=event.type, mandatory=True)

        yield ctx, publish, arrivals
    finally:
        await ctx.stop()
        await connection.close()
        await delete_bus_namespace(settings)


async def test_a_document_past_the_limit_rejects_its_application_and_the_next_one_is_issued(limited):
    ctx, publish, arrivals = limited
    data = application(products=[advance()], construction_name=SLOW_NAME)
    event = submitted(data)
    with structlog.testing.capture_logs() as logs:
        await publish(event)
        rejected = await eventually(lambda: arrivals.rejected(data.application_id), timeout=LIMIT + 20)
    (_, rejection), = rejected
    assert rejection["correlationid"] == event.correlationid
    assert rejection["data"]["reasons"] == [
        {"field": "products[0]", "rule": "document_not_rendered", "message": NOT_RENDERED}
    ]
    pool = ctx.pool
    assert await pool.fetchval("SELECT count(*) FROM certificates WHERE application_id = $1", data.application_id) == 0
    assert await pool.fetchval("SELECT count(*) FROM rejections WHERE application_id = $1", data.application_id) == 1
    # Handled once: rejected, acknowledged, never retried nor dead-lettered.
    assert await pool.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", event.id) == 1
    (line,) = [entry for entry in logs if entry["log_level"] == "error"]
    assert line["event"] == "document not rendered within the time limit; application rejected"
    assert line["application_id"] == str(data.application_id)
    assert (line["product"], line["document"], line["timeout_seconds"]) == ("advance_payment", "certificate", LIMIT)
    skipped = line["skipped_contract_number"]
    assert await pool.fetchval("SELECT count(*) FROM certificates WHERE contract_number = $1", skipped) == 0
    assert not [entry for entry in logs if "handler failed" in entry["event"]]

    # The worker that was stopped has been replaced: the next application is issued as usual.
    after = application(products=[advance()])
    await publish(submitted(after))
    (_, issued), = await eventually(lambda: arrivals.issued(after.application_id), timeout=20)
    assert issued["data"]["contract_number"] != skipped


async def test_other_applications_are_issued_while_one_document_is_stuck(limited):
    _, publish, arrivals = limited
    warm = [application(products=[advance()]) for _ in range(2)]
    for data in warm:
        await publish(submitted(data))
    await eventually(lambda: all(arrivals.issued(d.application_id) for d in warm), timeout=20)

    slow = application(products=[advance()], construction_name=SLOW_NAME)
    others = [application(products=[advance()]) for _ in range(2)]
    started = time.monotonic()
    for data in (slow, *others):
        await publish(submitted(data))
    (rejected_at, _), = await eventually(lambda: arrivals.rejected(slow.application_id), timeout=LIMIT + 20)
    issued_at = [arrivals.issued(d.application_id)[0][0] for d in others]  # issued before the slow one's end

    # The slow application holds one worker (its documents render one after the other) until its limit;
    # the others go through the other worker meanwhile, long before the slow one is rejected.
    assert max(issued_at) < rejected_at
    assert rejected_at - started >= LIMIT
    assert max(issued_at) - started < LIMIT


async def test_a_key_notice_past_the_limit_undoes_the_products_issued_before_it(issuance):
    """The handler against a renderer whose key notice of the second product times out: the first
    product's certificate is undone with it, and the log names the document, never the 認証キー."""
    notices = []

    class SlowSecondNotice:
        async def certificate_pdf(self, content):
            return b"%PDF-certificate"

        async def key_notice_pdf(self, notice):
            notices.append(notice)
            if len(notices) == 2:
                raise RenderTimeout("key_notice", 20.0)
            return b"%PDF-notice"

    data = application(products=[advance(), contract_guarantee()])
    event = submitted(data)
    with structlog.testing.capture_logs() as logs:
        await handle_application_submitted(issuance.pool, SlowSecondNotice(), event)
    pool = issuance.pool
    assert await pool.fetchval("SELECT count(*) FROM certificates WHERE application_id = $1", data.application_id) == 0
    reasons = await pool.fetchval("SELECT reasons FROM rejections WHERE application_id = $1", data.application_id)
    assert reasons == [{
        "field": "products[1]",
        "rule": "document_not_rendered",
        "message": "契約保証の「認証キー」のお知らせを作成できませんでした（記載内容が書面に収まりません）。"
        "お手数ですが当社窓口にお問い合わせください。",
    }]
    outbox = await pool.fetch("SELECT * FROM outbox WHERE correlation_id = $1", event.correlationid)
    assert [row["routing_key"] for row in outbox] == [ApplicationRejectedV1.event_type]
    (line,) = [entry for entry in logs if entry["log_level"] == "error"]
    assert (line["product"], line["document"]) == ("contract_guarantee", "key_notice")
    assert notices and not any(n.auth_key in repr(entry) for n in notices for entry in logs)
