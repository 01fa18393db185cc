"""ApplicationSubmitted + CertificatePublished on the real broker, in either order, twice each -> one email."""

import asyncio
import uuid

import pytest

from shared.events import Product
from tests.conftest import eventually
from tests.integration.notifier.conftest import (
    addressed_to,
    application_submitted,
    certificate_published,
    new_contract_number,
    parsed,
    publish,
)

pytestmark = pytest.mark.integration

SUBJECT = "【Net Desk】電子保証（認証キー）発行完了のお知らせ"


async def outbox_rows(ctx, app_id):
    return await ctx.pool.fetch(
        "SELECT contract_number, status, skip_reason, recipient, message_id, attempts FROM email_outbox"
        " WHERE application_id = $1 ORDER BY contract_number",
        app_id,
    )


async def email_status(ctx, number, status):
    return await ctx.pool.fetchval("SELECT status FROM email_outbox WHERE contract_number = $1", number) == status


async def settle(ctx):
    """Publish one sentinel per queue and wait until both are handled, then a moment for concurrent deliveries."""
    sentinel = uuid.uuid4()
    events = [application_submitted(sentinel, wanted=False), certificate_published(sentinel, new_contract_number())]
    for event in events:
        await publish(ctx.settings, event)

    async def handled():
        ids = [event.id for event in events]
        return await ctx.pool.fetchval("SELECT count(*) FROM inbox WHERE event_id = ANY($1)", ids) == 2

    await eventually(handled)
    await asyncio.sleep(0.5)


def assert_completion_email(message, *, to: str, contract_number: str, product_label: str = "前払金保証"):
    assert message["To"] == to
    assert message["Subject"] == SUBJECT
    assert message["From"].addresses[0].addr_spec == "netdesk@example.jp"
    assert message["Date"] is not None
    assert message["Message-ID"].endswith("@example.jp>")
    assert message.get_content_charset() == "utf-8"
    lines = message.get_content().splitlines()
    assert lines[0] == "○○建設 株式会社 様"
    for line in (
        "　工事名　　　　　：河川維持（○○）工事",
        "　発注者名　　　　：川崎市長",
        f"　商品（保証区分）：{product_label}",
        f"　保証契約番号　　：{contract_number}",
        "　電子保証発行日時：2022/11/01 15:00",
        "　対象　　　　　　：新規",
        "　Net Desk：https://netdesk.example.jp/",
    ):
        assert line in lines


@pytest.mark.parametrize("order", ["application_first", "certificate_first"])
async def test_one_email_in_either_order_even_when_each_event_arrives_twice(start_notifier, smtp_server, order):
    host, port, received = smtp_server
    ctx = await start_notifier(host, port)
    app_id = uuid.uuid4()
    to = f"soumu-{app_id.hex[:8]}@example.jp"
    number = new_contract_number()
    submitted = application_submitted(app_id, email_to=to)
    published = certificate_published(app_id, number)
    events = [submitted, published] if order == "application_first" else [published, submitted]

    for event in events + events:  # each event delivered twice (same id)
        await publish(ctx.settings, event)

    await eventually(lambda: addressed_to(received, to))
    [row] = await eventually(lambda: outbox_rows(ctx, app_id))
    # The duplicates were queued before these sentinels on each queue: once the sentinels are in, so are they.
    await settle(ctx)
    await eventually(lambda: email_status(ctx, number, "sent"))
    messages = addressed_to(received, to)
    assert len(messages) == 1
    assert_completion_email(messages[0], to=to, contract_number=number)
    assert messages[0]["Message-ID"] == row["message_id"]
    assert "Z28YUE4J3Bux" not in messages[0].get_content()


async def test_a_second_publication_event_for_the_same_certificate_sends_nothing_more(start_notifier, smtp_server):
    """A re-emitted CertificatePublished (new event id, same contract number and version) is still one email."""
    host, port, received = smtp_server
    ctx = await start_notifier(host, port)
    app_id = uuid.uuid4()
    to = f"dup-{app_id.hex[:8]}@example.jp"
    number = new_contract_number()
    await publish(ctx.settings, application_submitted(app_id, email_to=to))
    await publish(ctx.settings, certificate_published(app_id, number))
    await eventually(lambda: addressed_to(received, to))
    again = certificate_published(app_id, number)
    await publish(ctx.settings, again)
    await settle(ctx)
    assert len(await outbox_rows(ctx, app_id)) == 1
    assert len(addressed_to(received, to)) == 1


async def test_two_products_two_emails(start_notifier, smtp_server):
    host, port, received = smtp_server
    ctx = await start_notifier(host, port)
    app_id = uuid.uuid4()
    to = f"two-{app_id.hex[:8]}@example.jp"
    advance, contract = new_contract_number("M"), new_contract_number("K")
    await publish(ctx.settings, certificate_published(app_id, advance))
    await publish(ctx.settings, certificate_published(app_id, contract, product=Product.CONTRACT_GUARANTEE))
    await publish(ctx.settings, application_submitted(app_id, email_to=to))
    messages = await eventually(lambda: len(addressed_to(received, to)) == 2 and addressed_to(received, to))
    by_number = {}
    for message in messages:
        for number in (advance, contract):
            if f"　保証契約番号　　：{number}" in message.get_content().splitlines():
                by_number[number] = message
    assert_completion_email(by_number[advance], to=to, contract_number=advance)
    assert_completion_email(by_number[contract], to=to, contract_number=contract, product_label="契約保証")
    assert by_number[advance]["Message-ID"] != by_number[contract]["Message-ID"]


async def test_not_wanted_records_a_skip_and_sends_nothing(start_notifier, smtp_server):
    host, port, received = smtp_server
    ctx = await start_notifier(host, port)
    app_id = uuid.uuid4()
    number = new_contract_number()
    await publish(ctx.settings, application_submitted(app_id, wanted=False))
    await publish(ctx.settings, certificate_published(app_id, number))
    [row] = await eventually(lambda: outbox_rows(ctx, app_id))
    assert row["status"] == "skipped"
    assert row["skip_reason"] == "not_wanted"
    assert row["recipient"] is None
    # A wanted email sent afterwards arrives, and nothing was ever sent for the skipped one.
    other = uuid.uuid4()
    to = f"after-skip-{other.hex[:8]}@example.jp"
    await publish(ctx.settings, application_submitted(other, email_to=to))
    await publish(ctx.settings, certificate_published(other, new_contract_number()))
    [message] = await eventually(lambda: addressed_to(received, to))
    assert number not in message.get_content()
    assert all(number not in m.get_content() for m in map(parsed, received))
    assert await ctx.pool.fetchval("SELECT status FROM email_outbox WHERE contract_number = $1", number) == "skipped"


async def test_both_halves_arriving_at_once_still_join(start_notifier, smtp_server):
    """ApplicationSubmitted and CertificatePublished handled concurrently on their two queues: no lost join."""
    host, port, received = smtp_server
    ctx = await start_notifier(host, port)
    apps = [uuid.uuid4() for _ in range(20)]
    addresses = {app_id: f"race-{app_id.hex[:8]}@example.jp" for app_id in apps}
    events = []
    for app_id in apps:
        events += [application_submitted(app_id, email_to=addresses[app_id]), certificate_published(app_id, new_contract_number())]
    await asyncio.gather(*(publish(ctx.settings, event) for event in events))

    async def all_sent():
        return await ctx.pool.fetchval(
            "SELECT count(*) FROM email_outbox WHERE application_id = ANY($1) AND status = 'sent'", apps
        ) == len(apps)

    await eventually(all_sent)
    for app_id in apps:
        assert len(addressed_to(received, addresses[app_id])) == 1
