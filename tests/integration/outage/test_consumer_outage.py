"""A PostgreSQL outage longer than the consumers' retry budget dead-letters nothing (issue 11, defect 3):
messages that arrive while the database is down are held (no delivery spent) and processed once it
is back — certificate issued, completion email sent — without anyone touching anything.

The package runs with a delivery limit of 3 and backoff capped at 2 s (conftest): without the hold,
the budget is spent in about 3.5 s. OUTAGE_SECONDS (default 30) sets the outage; run the 3-minute
version by hand with OUTAGE_SECONDS=180.
"""

import asyncio
import os
import time
from datetime import date

import aio_pika
import pytest

from deploy.demo import sample_form
from shared.bus.topology import CONSUMERS
from shared.events import ApplicationSubmittedV1
from tests.conftest import eventually
from tests.integration.outage.test_http_outage import api_login

pytestmark = pytest.mark.integration

OUTAGE_SECONDS = float(os.environ.get("OUTAGE_SECONDS", "30"))


def submitted_subscribers(system):
    """Every service's subscriber to application.submitted (issuance, notifier)."""
    found = []
    for ctx in system.contexts.values():
        for subscriber in ctx.broker.subscribers:
            if subscriber.queue.routing_key == ApplicationSubmittedV1.event_type:
                found.append(subscriber)
    return found


async def message_counts(amqp_url: str, names: list[str]) -> dict[str, int]:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        counts = {}
        for name in names:
            queue = await channel.declare_queue(name, passive=True)
            counts[name] = queue.declaration_result.message_count
        return counts


async def test_messages_wait_out_an_outage_longer_than_the_retry_budget(system, accounts, postgres, common_settings):
    contractor = await api_login(system.urls["application"], accounts["contractor"])
    draft = await contractor.post("/applications", json=sample_form(date.today()))
    assert draft.status_code == 201, draft.text
    app_id = draft.json()["id"]
    confirmed = (await contractor.post(f"/applications/{app_id}/confirm")).json()
    assert confirmed["ok"], confirmed["problems"]

    # The submission waits in issuance's and the notifier's queues, to arrive there during the outage.
    held_back = submitted_subscribers(system)
    assert len(held_back) == 2
    for subscriber in held_back:
        await subscriber.stop()
    assert (await contractor.post(f"/applications/{app_id}/submit")).status_code == 202
    queues = [s.queue.name for s in held_back]

    async def queued() -> bool:
        return all(count == 1 for count in (await message_counts(common_settings.amqp_url, queues)).values())
    await eventually(queued, timeout=30)

    postgres.stop()
    down_at = time.perf_counter()
    try:
        for subscriber in held_back:
            await subscriber.start()  # delivered now, while the database is down
        await asyncio.sleep(OUTAGE_SECONDS)
    finally:
        postgres.start()
    back_at = time.perf_counter()

    async def issued():
        app = (await contractor.get(f"/applications/{app_id}")).json()
        certificates = app.get("certificates") or []
        done = app.get("status") == "issued" and certificates and all(c.get("published_at") for c in certificates)
        return certificates if done else None
    certificates = await eventually(issued, timeout=120, interval=0.5)
    numbers = [c["contract_number"] for c in certificates]

    async def emailed():
        mine = [m for m in system.mails
                if any(n in m.message.get_body(("plain",)).get_content() for n in numbers)]
        return mine if len(mine) >= len(numbers) else None
    mails = await eventually(emailed, timeout=120, interval=0.5)
    last_mail = max(m.received_at for m in mails)

    dlqs = [f"{c.queue_name(common_settings)}.dlq" for c in CONSUMERS]
    dead = {name: n for name, n in (await message_counts(common_settings.amqp_url, dlqs)).items() if n}
    print(f"\noutage {back_at - down_at:.1f} s; dead-lettered {sum(dead.values())}; "
          f"recovery → last completion email {last_mail - back_at:.1f} s; emails {len(mails)}")
    assert dead == {}
    assert len(numbers) == 2 and len(mails) == 2
    await contractor.aclose()
