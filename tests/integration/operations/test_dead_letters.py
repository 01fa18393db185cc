"""`python -m shared.bus.dead_letters` against a live issuance service: a poisoned queue is listed with its
reason, the cause is fixed, the message replayed and issued exactly once (twice replayed: still once);
invalid bodies are listed and dropped; a dry run changes nothing."""

import json
import uuid
from collections import Counter

import aio_pika
import pytest

from services.issuance.bootstrap import build
from services.issuance.entrypoints import subscribers
from services.issuance.settings import Settings
from shared.events import ApplicationSubmittedV1, CertificateIssuedV1
from tests.conftest import eventually
from tests.integration.operations.conftest import INTERNAL_TOKEN, dead_letters, dead_letters_json, depth_is, queue_depth
from tests.samples import bus_message, sample_submitted, sample_submitted_data

pytestmark = pytest.mark.integration

QUEUE = "issuance.application-submitted"  # as an operator types it: without namespace and .dlq


@pytest.fixture(scope="module")
async def handled():
    """Calls of issuance's ApplicationSubmitted handler per event id that returned normally."""
    calls: Counter[str] = Counter()
    original = subscribers.handle_application_submitted

    async def counted(pool, event, **kwargs):
        await original(pool, event, **kwargs)
        calls[event.id] += 1

    subscribers.handle_application_submitted = counted
    yield calls
    subscribers.handle_application_submitted = original


@pytest.fixture(scope="module")
async def issuance(fresh_database, bus_cleanup, common_env, handled):
    ctx = await build(Settings(**common_env, internal_api_token=INTERNAL_TOKEN, expiry_check_seconds=0))
    await ctx.start()
    yield ctx
    await ctx.stop()


@pytest.fixture(scope="module")
async def exchange(amqp, issuance, common_settings):
    channel = await amqp.channel(publisher_confirms=True)
    return await channel.get_exchange(f"{common_settings.bus_namespace}.events")


@pytest.fixture(scope="module")
async def issued(amqp, exchange):
    """CertificateIssued bodies seen on the exchange, as an external subscriber binds them."""
    seen: list[dict] = []
    channel = await amqp.channel()
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    await queue.bind(exchange, routing_key=CertificateIssuedV1.event_type)

    async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with message.process():
            seen.append(json.loads(message.body))

    await queue.consume(collect)
    return seen


def dlq(settings) -> str:
    return f"{settings.bus_namespace}.{QUEUE}.dlq"


def messages(listing: dict) -> list[dict]:
    return [m for q in listing["queues"] for m in q["messages"]]


async def test_poisoned_message_is_listed_replayed_after_the_fix_and_issued_once(
    issuance, exchange, issued, handled, amqp, common_settings
):
    # The cause: no issuer configured, so every delivery fails until the delivery limit dead-letters it.
    saved = await issuance.pool.fetchrow("SELECT name, address, president FROM issuer WHERE id = 1")
    await issuance.pool.execute("DELETE FROM issuer")
    data = sample_submitted_data()
    event = sample_submitted(data)
    try:
        for _ in range(2):  # the same event twice: two dead letters of one event
            await exchange.publish(bus_message(event), routing_key=event.type, mandatory=True)
        await eventually(depth_is(amqp, dlq(common_settings), 2), timeout=60, interval=0.5)

        listing = dead_letters_json(common_settings, "list")
        mine = [m for m in messages(listing) if m["id"] == event.id]
        assert len(mine) == 2
        for letter in mine:
            assert letter["queue"] == dlq(common_settings)
            assert letter["reason"].startswith("delivery_limit")
            assert letter["dead_lettered_by"] == "broker"
            assert letter["original_queue"] == f"{common_settings.bus_namespace}.{QUEUE}"
            assert letter["dead_lettered_at"] is not None
            assert letter["event_id"] == event.id and letter["event_type"] == ApplicationSubmittedV1.event_type
            assert letter["subject"] == str(data.application_id) and letter["body_error"] is None

        table = dead_letters(common_settings, "list", QUEUE)
        assert table.returncode == 0, table.stderr
        assert event.id in table.stdout and "delivery_limit" in table.stdout and str(data.application_id) in table.stdout

        shown = dead_letters(common_settings, "show", QUEUE, event.id, "--json")
        assert shown.returncode == 0, shown.stderr
        first = json.loads(shown.stdout)[0]
        assert json.loads(first["body"])["id"] == event.id
        assert first["headers"]["x-death"][0]["reason"] == "delivery_limit"

        # A dry run says what it would do and does nothing.
        dry = dead_letters_json(common_settings, "replay", QUEUE, "--all", "--dry-run")
        assert dry["counts"] == {"would-replay": 2} and dry["dry_run"] is True
        assert await queue_depth(amqp, dlq(common_settings)) == 2
        assert handled[event.id] == 0
    finally:
        await issuance.pool.execute(
            "INSERT INTO issuer (name, address, president) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", *saved
        )

    # Fixed: replay one copy; the other stays in the DLQ.
    once = dead_letters_json(common_settings, "replay", QUEUE, "--id", event.id, "--limit", "1")
    assert once["counts"] == {"replayed": 1, "kept": 1}
    await eventually(lambda: handled[event.id] == 1, timeout=30)
    await eventually(lambda: len([e for e in issued if e["data"]["application_id"] == str(data.application_id)]) == 1)
    assert await queue_depth(amqp, dlq(common_settings)) == 1

    # Replayed again (the second copy): handled, and the inbox makes it do nothing.
    twice = dead_letters_json(common_settings, "replay", "--id", event.id)
    assert twice["counts"] == {"replayed": 1}
    await eventually(lambda: handled[event.id] == 2, timeout=30)
    assert await queue_depth(amqp, dlq(common_settings)) == 0
    rows = await issuance.pool.fetchval("SELECT count(*) FROM certificates WHERE application_id = $1", data.application_id)
    assert rows == 1
    await eventually(depth_is(amqp, f"{common_settings.bus_namespace}.{QUEUE}", 0))
    assert len([e for e in issued if e["data"]["application_id"] == str(data.application_id)]) == 1


async def test_invalid_bodies_are_listed_dropped_and_a_dry_run_changes_nothing(issuance, exchange, amqp, common_settings):
    garbage = [f"garbage-{uuid.uuid4().hex[:8]}" for _ in range(2)]
    for message_id in garbage:
        await exchange.publish(
            aio_pika.Message(b"\xff not json", message_id=message_id, delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
            routing_key=ApplicationSubmittedV1.event_type,
            mandatory=True,
        )
    # An event that is a CloudEvent but not an ApplicationSubmitted: invalid too, though its id is readable.
    other = {"specversion": "1.0", "id": str(uuid.uuid4()), "type": ApplicationSubmittedV1.event_type,
             "source": "/elsewhere", "subject": "s-1", "data": {"nothing": True}}
    await exchange.publish(aio_pika.Message(json.dumps(other).encode()), routing_key=other["type"], mandatory=True)
    await eventually(depth_is(amqp, dlq(common_settings), 3))

    before = messages(dead_letters_json(common_settings, "list", QUEUE))
    by_id = {m["id"]: m for m in before}
    # Published without a message id, its dead letter has one FastStream made up; its event id still finds it.
    [found] = [m for m in before if m["event_id"] == other["id"]]
    by_id[other["id"]] = by_id.pop(found["id"])
    assert set(by_id) == {*garbage, other["id"]}
    for message_id in garbage:
        letter = by_id[message_id]
        assert letter["reason"].startswith(f"invalid {ApplicationSubmittedV1.event_type}")
        assert letter["dead_lettered_by"] == "consumer"
        assert letter["dead_lettered_at"] is not None  # x-dead-lettered-at, set by the consumer
        assert letter["body_error"].startswith("not JSON") and letter["event_id"] is None
    assert by_id[other["id"]]["event_id"] == other["id"] and by_id[other["id"]]["subject"] == "s-1"
    assert by_id[other["id"]]["body_error"] is None  # a CloudEvent, whose data did not validate

    dry = dead_letters_json(common_settings, "drop", QUEUE, "--reason", "INVALID", "--dry-run")
    assert dry["counts"] == {"would-drop": 3}
    assert messages(dead_letters_json(common_settings, "list", QUEUE)) == before  # same letters, same order

    dropped = dead_letters_json(common_settings, "drop", QUEUE, "--id", garbage[0], "--id", other["id"])
    assert dropped["counts"] == {"dropped": 2, "kept": 1}
    missing = dead_letters(common_settings, "drop", QUEUE, "--id", "no-such-id")
    assert missing.returncode == 1 and "no-such-id" in missing.stderr
    left = {m["id"] for m in messages(dead_letters_json(common_settings, "list", QUEUE))}
    assert left == {garbage[1]}

    everything = dead_letters_json(common_settings, "drop", QUEUE, "--all")
    assert everything["counts"] == {"dropped": 1}
    assert await queue_depth(amqp, dlq(common_settings)) == 0
    wrong = dead_letters(common_settings, "list", "no-such-queue")
    assert wrong.returncode == 2 and "DLQ ではありません" in wrong.stderr
