"""SMTP answers 451 (try again) or 550 (never): retried with backoff, or failed and kept, and the sender goes on."""

import uuid

import pytest

from tests.conftest import eventually
from tests.integration.notifier.conftest import (
    application_submitted,
    certificate_published,
    new_contract_number,
    parsed,
    publish,
)

pytestmark = pytest.mark.integration


async def email_row(ctx, number):
    return await ctx.pool.fetchrow(
        "SELECT status, attempts, last_error, smtp_response, message_id, sent_at FROM email_outbox WHERE contract_number = $1",
        number,
    )


async def send_one(ctx, to: str) -> str:
    app_id = uuid.uuid4()
    number = new_contract_number()
    await publish(ctx.settings, application_submitted(app_id, email_to=to))
    await publish(ctx.settings, certificate_published(app_id, number))
    return number


async def test_451_once_then_delivered_once_on_retry(start_notifier, scripted_smtp):
    host, port, smtp = scripted_smtp
    ctx = await start_notifier(host, port)
    to = f"busy-{uuid.uuid4().hex[:8]}@example.jp"
    smtp.script[to] = ["451 4.3.0 Try again later"]
    number = await send_one(ctx, to)

    row = await eventually(lambda: _status(ctx, number, "sent"))
    assert row["attempts"] == 2
    assert smtp.attempts[to] == 2
    assert row["last_error"] == "451: 4.3.0 Try again later"  # kept: why it took two attempts
    assert row["smtp_response"] == "2.0.0 OK queued"
    delivered = [parsed(raw) for raw in smtp.accepted if parsed(raw)["To"] == to]
    assert len(delivered) == 1
    assert delivered[0]["Message-ID"] == row["message_id"]
    assert delivered[0]["Subject"] == "【Net Desk】電子保証（認証キー）発行完了のお知らせ"


async def test_550_marks_failed_and_the_next_email_is_still_delivered(start_notifier, scripted_smtp):
    host, port, smtp = scripted_smtp
    ctx = await start_notifier(host, port)
    bad = f"nobody-{uuid.uuid4().hex[:8]}@example.jp"
    good = f"somebody-{uuid.uuid4().hex[:8]}@example.jp"
    smtp.script[bad] = ["550 5.1.1 No such user"]
    bad_number = await send_one(ctx, bad)
    row = await eventually(lambda: _status(ctx, bad_number, "failed"))
    assert row["attempts"] == 1
    assert row["last_error"] == "550: 5.1.1 No such user"
    assert row["sent_at"] is None

    good_number = await send_one(ctx, good)
    await eventually(lambda: _status(ctx, good_number, "sent"))
    assert [parsed(raw)["To"] for raw in smtp.accepted].count(good) == 1
    assert smtp.attempts[bad] == 1  # never retried
    assert (await email_row(ctx, bad_number))["status"] == "failed"


async def test_smtp_down_is_retried_until_it_comes_back(start_notifier, scripted_smtp):
    host, port, smtp = scripted_smtp
    from tests.conftest import free_port

    ctx = await start_notifier(host, free_port())  # nothing listens there
    to = f"later-{uuid.uuid4().hex[:8]}@example.jp"
    number = await send_one(ctx, to)
    row = await eventually(lambda: _attempted(ctx, number, 2))
    assert row["status"] == "pending"
    assert row["last_error"].startswith("no reply: ")
    # Leave nothing pending for the notifiers of later tests.
    await ctx.pool.execute("UPDATE email_outbox SET status = 'failed' WHERE contract_number = $1", number)


async def _status(ctx, number, status):
    row = await email_row(ctx, number)
    return row if row and row["status"] == status else None


async def _attempted(ctx, number, attempts):
    row = await email_row(ctx, number)
    return row if row and row["attempts"] >= attempts and row["last_error"] else None
