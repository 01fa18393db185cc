"""CertificateIssued on the real exchange → one stored version, its arrival time kept, one CertificatePublished;
a tampered certificate lands in the DLQ with its reason and the next good one is still processed."""

import asyncio
import uuid

import aio_pika
import pytest

from shared.bus.topology import find_consumer
from shared.events import CertificateIssued, CertificateIssuedV1, CertificatePublished, CertificatePublishedV1
from tests.conftest import eventually
from tests.integration.platform.conftest import new_contract_number
from tests.unit.platform.samples import certificate, issued_event

pytestmark = pytest.mark.integration


async def publish(channel: aio_pika.abc.AbstractChannel, namespace: str, event: CertificateIssued) -> None:
    exchange = await channel.get_exchange(f"{namespace}.events")
    await exchange.publish(
        aio_pika.Message(
            event.model_dump_json().encode("utf-8"),
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=event.id,
            correlation_id=event.correlationid,
            content_type="application/cloudevents+json",
        ),
        routing_key=event.type,
    )


async def published_queue(channel, namespace: str):
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    await queue.bind(f"{namespace}.events", routing_key=CertificatePublishedV1.event_type)
    return queue


async def drain(queue, subject: str) -> list[CertificatePublished]:
    found = []
    while (message := await queue.get(fail=False, no_ack=True)) is not None:
        event = CertificatePublished.model_validate_json(message.body)
        if event.subject == subject:
            found.append(event)
    return found


async def inbox_has(pool, *event_ids: str) -> bool:
    count = await pool.fetchval(
        "SELECT count(*) FROM inbox WHERE consumer = 'platform' AND event_id = ANY($1::text[])", list(event_ids)
    )
    return count == len(event_ids)


async def test_arrival_is_recorded_once_and_published_once(platform, platform_settings, amqp_channel):
    ns = platform_settings.bus_namespace
    queue = await published_queue(amqp_channel, ns)
    number = new_contract_number()
    event = issued_event(certificate(number), "Z28YUE4J3Bux")

    await publish(amqp_channel, ns, event)
    row = await eventually(
        lambda: platform.pool.fetchrow(
            "SELECT arrived_at, version_label, auth_key_hash, content_digest, obligee_code, content"
            " FROM certificate_versions WHERE contract_number = $1",
            number,
        )
    )
    arrived_at = row["arrived_at"]
    assert row["version_label"] == "新規"
    assert row["auth_key_hash"] == event.data.auth_key_hash
    assert "Z28YUE4J3Bux" not in str(dict(row))
    assert row["content_digest"] == event.data.content_digest
    assert row["obligee_code"] == "kawasaki-city"
    assert row["content"]["construction_name"] == "河川維持（○○）工事"

    first = await eventually(lambda: drain(queue, number))
    assert len(first) == 1
    published = first[0]
    assert published.type == "jp.esurety.certificate.published.v1"
    assert published.source == "/esurety/platform"
    assert published.subject == number
    assert published.correlationid == event.correlationid
    assert published.data.published_at == arrived_at
    assert published.data.application_id == event.data.application_id
    assert published.data.version == 0 and published.data.version_label == "新規"
    assert published.data.content_digest == event.data.content_digest
    assert published.data.construction_name == "河川維持（○○）工事"
    assert published.data.orderer_name == "川崎市長"
    assert published.data.contractor_name == "○○建設 株式会社"

    # The same event again (redelivery), and a re-sent copy under a new id.
    await asyncio.sleep(0.05)
    copy = event.model_copy(update={"id": str(uuid.uuid4())})
    await publish(amqp_channel, ns, event)
    await publish(amqp_channel, ns, copy)
    await eventually(lambda: inbox_has(platform.pool, event.id, copy.id))
    rows = await platform.pool.fetch("SELECT arrived_at FROM certificate_versions WHERE contract_number = $1", number)
    assert [r["arrived_at"] for r in rows] == [arrived_at]
    await asyncio.sleep(1.5)  # give a wrong second CertificatePublished time to show up
    assert await drain(queue, number) == []
    outbox = await platform.pool.fetchval(
        "SELECT count(*) FROM outbox WHERE routing_key = $1 AND convert_from(body, 'UTF8')::jsonb->>'subject' = $2",
        CertificatePublishedV1.event_type,
        number,
    )
    assert outbox == 1


async def test_tampered_certificate_goes_to_the_dead_letter_queue(platform, platform_settings, amqp_channel):
    ns = platform_settings.bus_namespace
    tampered_number, good_number = new_contract_number(), new_contract_number()
    tampered = issued_event(certificate(tampered_number), "Z28YUE4J3Bux", digest="sha256:" + "0" * 64)
    good = issued_event(certificate(good_number), "Z28YUE4J3Bux")

    await publish(amqp_channel, ns, tampered)
    await publish(amqp_channel, ns, good)

    await eventually(
        lambda: platform.pool.fetchval("SELECT 1 FROM certificate_versions WHERE contract_number = $1", good_number)
    )
    queue_name = find_consumer("platform", CertificateIssuedV1.event_type).queue_name(platform_settings)
    dlq = await amqp_channel.get_queue(f"{queue_name}.dlq")
    dead = await eventually(lambda: dlq.get(fail=False))
    await dead.ack()
    assert dead.message_id == tampered.id
    assert CertificateIssued.model_validate_json(dead.body).id == tampered.id
    reason = dead.headers["x-dead-letter-reason"]
    assert reason.startswith("poison: content digest mismatch: event says sha256:0000")
    assert dead.headers["x-original-queue"] == queue_name
    assert await platform.pool.fetchval(
        "SELECT count(*) FROM certificate_versions WHERE contract_number = $1", tampered_number
    ) == 0
    # Rolled back with the rest: the inbox does not remember the poison event.
    assert not await inbox_has(platform.pool, tampered.id)


async def test_a_paper_certificate_is_refused_into_the_dead_letter_queue(platform, platform_settings, amqp_channel):
    ns = platform_settings.bus_namespace
    number = new_contract_number()
    paper = certificate(number).model_copy(update={"electronic": False})
    event = issued_event(paper, "Z28YUE4J3Bux")
    await publish(amqp_channel, ns, event)
    queue_name = find_consumer("platform", CertificateIssuedV1.event_type).queue_name(platform_settings)
    dlq = await amqp_channel.get_queue(f"{queue_name}.dlq")
    dead = await eventually(lambda: dlq.get(fail=False))
    await dead.ack()
    assert dead.message_id == event.id
    assert "paper certificate" in dead.headers["x-dead-letter-reason"]
    assert await platform.pool.fetchval("SELECT count(*) FROM certificate_versions WHERE contract_number = $1", number) == 0
