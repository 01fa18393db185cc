"""Two replicas of every worker (issuance, platform, notifier) against the real RabbitMQ, PostgreSQL and
SMTP (issue 11, docs/operations.md "Scale"): a burst of applications comes out exactly once — one
certificate per product, one platform arrival and one certificate.issued/published per certificate
version, one completion email per certificate and recipient — nothing is dead-lettered, and each replica
did part of the work (its consumers, PDF workers and email senders), so the test shows sharing and not
one replica idling beside the other.

Each context is told apart by what it handled: a FastStream middleware on each broker counts the
deliveries it consumed, and each background loop's run_once (outbox relay, PDF worker, email sender) is
wrapped to count the rows it handled. (The Prometheus registries are per service name, so both replicas
of a service count into one; they cannot tell the replicas apart.)
"""

import asyncio
import json
from collections import Counter
from datetime import date

import aio_pika
import asyncpg
import pytest
from faststream import BaseMiddleware

from deploy.demo import sample_form
from shared.bus.topology import CONSUMERS
from shared.db.notified_loop import NotifiedLoop
from tests.conftest import eventually
from tests.e2e.test_pipeline import drain, logged_in

pytestmark = pytest.mark.integration

WORKERS = ("issuance", "platform", "notifier")
# The second replicas take fewer deliveries and run fewer loops at once than the first (defaults): the
# shared test PostgreSQL has 100 connections, and seven busy pools at their defaults took 66 of them.
LIGHTER = {
    "issuance": {"consumer_prefetch": 2, "issue_prefetch": 2, "pdf_job_workers": 1},
    "platform": {"consumer_prefetch": 2},
    "notifier": {"consumer_prefetch": 2, "email_concurrency": 2},
}
APPLICATIONS = 30
MARKER = "レプリカ確認工事"


def counting_middleware(counts: Counter):
    """A broker middleware that counts each delivery this broker consumed, by routing key."""

    class Counting(BaseMiddleware):
        async def consume_scope(self, call_next, msg):
            counts[msg.raw_message.routing_key] += 1
            return await call_next(msg)

    return Counting


def loops_of(ctx) -> list[NotifiedLoop]:
    """The context's background loops: its outbox relay and what it starts (PDF worker, email sender)."""
    started = [getattr(hook, "__self__", None) for hook in ctx.on_start]
    return [loop for loop in [ctx.relay, *started] if isinstance(loop, NotifiedLoop)]


def count_batches(loop: NotifiedLoop, counts: Counter) -> None:
    original = loop.run_once

    async def run_once() -> int:
        handled = await original()
        counts[loop.name] += handled
        return handled

    loop.run_once = run_once  # an instance attribute: NotifiedLoop._run looks it up on every batch


@pytest.fixture(scope="module")
async def replicas(system):
    """{label: (context, consumed per routing key, rows per loop)} for two contexts of each worker."""
    contexts = {f"{name}-1": system.contexts[name] for name in WORKERS}
    for name in WORKERS:
        contexts[f"{name}-2"] = await system.start_replica(name, **LIGHTER[name])
    watched = {}
    for label, ctx in contexts.items():
        consumed, batches = Counter(), Counter()
        ctx.broker.add_middleware(counting_middleware(consumed))
        for loop in loops_of(ctx):
            count_batches(loop, batches)
        watched[label] = (ctx, consumed, batches)
    yield watched
    for label, (ctx, consumed, _) in watched.items():
        for loop in loops_of(ctx):
            vars(loop).pop("run_once", None)
        consumed.clear()  # the middleware stays on the first contexts, counting into nothing anyone reads
        if label.endswith("-2"):
            await system.stop_replica(ctx)


async def submitted(client, form: dict) -> str:
    draft = await client.post("/applications", json=form)
    assert draft.status_code == 201, draft.text
    app_id = draft.json()["id"]
    confirmed = (await client.post(f"/applications/{app_id}/confirm")).json()
    assert confirmed["ok"], confirmed["problems"]
    response = await client.post(f"/applications/{app_id}/submit")
    assert response.status_code == 202, response.text
    return app_id


async def dead_lettered(amqp_url: str, settings) -> dict[str, int]:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        counts = {}
        for consumer in CONSUMERS:
            name = f"{consumer.queue_name(settings)}.dlq"
            queue = await channel.declare_queue(name, passive=True)
            if queue.declaration_result.message_count:
                counts[name] = queue.declaration_result.message_count
        return counts


async def test_two_replicas_of_each_worker_do_a_burst_exactly_once(
    system, accounts, tap, replicas, common_env, common_settings
):
    tap_queue, _ = tap
    await drain(tap_queue)
    contractor = await logged_in(system.urls["application"], accounts["a"])
    form = sample_form(date.today())
    form["contract"]["construction_name"] = MARKER
    app_ids = await asyncio.gather(*(submitted(contractor, form) for _ in range(APPLICATIONS)))
    assert len(set(app_ids)) == APPLICATIONS

    db = await asyncpg.connect(common_env["database_url"])
    try:
        async def all_issued():
            rows = await db.fetch(
                "SELECT application_id::text, product, contract_number FROM issuance.certificates"
                " WHERE application_id = ANY($1::uuid[])", app_ids,
            )
            return rows if len(rows) == 2 * APPLICATIONS else None
        certificates = await eventually(all_issued, timeout=180, interval=0.5)
        numbers = sorted(r["contract_number"] for r in certificates)
        # Exactly one certificate per product of each application, each its own 保証契約番号, version 0 only.
        assert Counter((r["application_id"], r["product"]) for r in certificates).most_common(1)[0][1] == 1
        assert len(set(numbers)) == 2 * APPLICATIONS
        versions = await db.fetch(
            "SELECT contract_number, version FROM issuance.certificate_versions WHERE contract_number = ANY($1)", numbers
        )
        assert sorted((v["contract_number"], v["version"]) for v in versions) == [(n, 0) for n in numbers]

        async def all_arrived():
            rows = await db.fetch(
                "SELECT contract_number, version FROM platform.certificate_versions WHERE contract_number = ANY($1)",
                numbers,
            )
            return rows if len(rows) == len(numbers) else None
        arrived = await eventually(all_arrived, timeout=120, interval=0.5)
        assert sorted((r["contract_number"], r["version"]) for r in arrived) == [(n, 0) for n in numbers]

        def mails_of_burst():
            return [m for m in system.mails if MARKER in m.message.get_body(("plain",)).get_content()]
        await eventually(lambda: len(mails_of_burst()) >= len(numbers), timeout=120, interval=0.5)

        async def pdfs_rendered():
            left = await db.fetchval(
                "SELECT count(*) FROM issuance.pdf_jobs WHERE contract_number = ANY($1) AND done_at IS NULL", numbers
            )
            return left == 0
        await eventually(pdfs_rendered, timeout=300, interval=1.0)
        await asyncio.sleep(2)  # anything sent twice would arrive by now (the relays poll every second)
    finally:
        await db.close()

    # One completion email per certificate and recipient; no Message-ID twice.
    mails = mails_of_burst()
    per_certificate = Counter(
        (next(n for n in numbers if n in m.message.get_body(("plain",)).get_content()), m.message["To"]) for m in mails
    )
    assert len(per_certificate) == len(numbers) and set(per_certificate.values()) == {1}, per_certificate
    message_ids = [m.message["Message-ID"] for m in mails]
    assert len(set(message_ids)) == len(message_ids) == len(numbers)

    # Each certificate's events were published once by one relay or the other (outbox: SKIP LOCKED + lease).
    events = [e for e in await drain(tap_queue) if e.get("subject") in set(numbers)]
    for event_type in ("jp.esurety.certificate.issued.v1", "jp.esurety.certificate.published.v1"):
        of_type = [e for e in events if e["type"] == event_type]
        assert sorted(e["subject"] for e in of_type) == numbers, event_type
        assert len({e["id"] for e in of_type}) == len(of_type), event_type

    assert await dead_lettered(common_env["amqp_url"], common_settings) == {}

    # Both replicas of each worker took part: its consumers (the quorum queues hand deliveries to both
    # in turn), and its PDF workers and email senders (SKIP LOCKED / single-claim lease on shared tables).
    summary = {label: (dict(consumed), dict(batches)) for label, (_, consumed, batches) in replicas.items()}
    print(f"\nper replica (deliveries consumed, rows handled by its loops): {json.dumps(summary, indent=1)}")
    expected_work = {
        "issuance": ("jp.esurety.application.submitted.v1", "pdf-worker"),
        "platform": ("jp.esurety.certificate.issued.v1", None),
        "notifier": ("jp.esurety.certificate.published.v1", "email-sender"),
    }
    for name, (routing_key, loop) in expected_work.items():
        for label in (f"{name}-1", f"{name}-2"):
            consumed, batches = summary[label]
            assert consumed.get(routing_key, 0) > 0, (label, consumed)
            if loop:
                assert batches.get(loop, 0) > 0, (label, batches)
        consumed_by_both = sum(summary[f"{name}-{i}"][0].get(routing_key, 0) for i in (1, 2))
        assert consumed_by_both >= (APPLICATIONS if name == "issuance" else len(numbers))
    await contractor.aclose()
