"""The email sender killed (`kill -9`) mid-send, as a subprocess, against a real aiosmtpd server (issue 11 defect 1).

- Killed after the server stored the message, before it answered 250: restarted, it does not send it again
  (not before EMAIL_UNKNOWN_RESEND_AFTER_SECONDS), and the emails that were in flight with it are delivered
  after the short lease, not two minutes later.
- After the quiet period the unknown one is sent again, with the same Message-ID.
- Killed before DATA: sent again as soon as the short lease runs out, once.
- One hanging email does not hold the others back; on SIGTERM an email in flight is finished, not dropped.
"""

import asyncio
import time
import uuid

import pytest

from services.notifier.bootstrap import build
from services.notifier.settings import Settings
from tests.conftest import TEST_DATABASE_URL, eventually, free_port
from tests.integration.notifier.crash_rig import HangingSmtp, SenderProcess, queue_email, start_smtp

pytestmark = pytest.mark.integration


@pytest.fixture
async def pool(fresh_database, bus_cleanup, common_env):
    ctx = await build(Settings(**common_env))  # migrated, not started: the sender runs in a subprocess
    yield ctx.pool
    await ctx.stop()


@pytest.fixture
async def domain(pool):
    """This test's recipients' domain; whatever of theirs is still unsent afterwards is failed, so no later
    sender picks it up."""
    name = f"crash-{uuid.uuid4().hex[:8]}.example.jp"
    yield name
    await pool.execute(
        "UPDATE email_outbox SET status = 'failed', lease_token = NULL WHERE recipient LIKE $1"
        " AND status NOT IN ('sent', 'failed', 'skipped')",
        f"%@{name}",
    )


@pytest.fixture
def smtp():
    servers = []

    def start(**kwargs) -> tuple[HangingSmtp, int]:
        handler, port = HangingSmtp(**kwargs), free_port()
        servers.append(start_smtp(handler, port))
        return handler, port

    yield start
    for controller in servers:
        controller.stop()


@pytest.fixture
def sender(tmp_path):
    """sender(port, **EMAIL_settings) -> a started SenderProcess; every one still running is stopped afterwards."""
    processes = []

    async def start(port: int, **settings: str) -> SenderProcess:
        env = {
            "DATABASE_URL": TEST_DATABASE_URL,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(port),
            "SMTP_TIMEOUT": "60",  # a hanging server is killed, not timed out (unless a test says so)
            "EMAIL_POLL_INTERVAL": "0.2",
            "ESURETY_ENVIRONMENT": "development",
            **{k.upper(): v for k, v in settings.items()},
        }
        process = SenderProcess(env, tmp_path / "sender.log")
        await process.start()
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.stop()


async def row(pool, message_id: str):
    return await pool.fetchrow("SELECT * FROM email_outbox WHERE message_id = $1", message_id)


async def test_killed_between_data_and_250_sends_once_and_holds_no_other_email_back(pool, domain, smtp, sender):
    server, port = smtp()
    stored, slow1, slow2 = (f"{name}@{domain}" for name in ("stored", "slow1", "slow2"))
    server.hang_after_store[stored] = 1  # stored, then no 250 before the kill
    server.hang_at_rcpt[slow1] = server.hang_at_rcpt[slow2] = 1  # in flight, before DATA, at the kill
    message_id = await queue_email(pool, stored)
    await queue_email(pool, slow1)
    await queue_email(pool, slow2)

    first = await sender(port)  # the shipped lease and quiet period
    await eventually(lambda: server.copies(stored) and {slow1, slow2} <= set(server.waiting_at_rcpt))
    first.kill()
    killed_at = time.monotonic()
    await sender(port)

    # The two that had not reached DATA: sent again once the short lease ran out (before: 120 s).
    await eventually(lambda: len(server.copies(slow1)) == 1 and len(server.copies(slow2)) == 1, timeout=30)
    assert time.monotonic() - killed_at < 30

    # The stored one: its lease has long run out, yet it is not sent again (before: sent again after the lease).
    await asyncio.sleep(max(0.0, killed_at + 15 + 3 - time.monotonic()))
    assert server.copies(stored) == [message_id]
    in_doubt = await row(pool, message_id)
    assert in_doubt["status"] == "sending"
    assert in_doubt["data_started_at"] is not None
    assert in_doubt["attempts"] == 1


async def test_an_email_whose_outcome_is_unknown_is_sent_again_after_the_quiet_period_with_the_same_message_id(
    pool, domain, smtp, sender
):
    server, port = smtp()
    to = f"unknown@{domain}"
    server.hang_after_store[to] = 1
    message_id = await queue_email(pool, to)
    quiet = 6.0
    first = await sender(port, email_lease_seconds="2", email_unknown_resend_after_seconds=str(quiet))
    await eventually(lambda: server.copies(to))
    first.kill()
    await sender(port, email_lease_seconds="2", email_unknown_resend_after_seconds=str(quiet))

    await asyncio.sleep(4)  # the lease (2 s) is over, the quiet period is not
    assert server.copies(to) == [message_id]
    await eventually(lambda: len(server.copies(to)) == 2, timeout=20)
    assert server.copies(to) == [message_id, message_id]  # the same message: a client can tell it is one
    (_, _, stored_first), (_, _, stored_again) = [s for s in server.stored if s[0] == to]
    assert stored_again - stored_first >= quiet - 0.5
    settled = await eventually(lambda: _with_status(pool, message_id, "sent"))
    assert settled["attempts"] == 2


async def test_killed_before_data_is_sent_again_as_soon_as_the_short_lease_runs_out(pool, domain, smtp, sender):
    server, port = smtp()
    to = f"before-data@{domain}"
    server.hang_at_rcpt[to] = 1
    message_id = await queue_email(pool, to)
    first = await sender(port, email_lease_seconds="2")
    await eventually(lambda: to in server.waiting_at_rcpt)
    first.kill()
    killed_at = time.monotonic()
    await sender(port, email_lease_seconds="2")
    await eventually(lambda: server.copies(to), timeout=10)
    assert time.monotonic() - killed_at < 2 + 3  # the lease, the poll, a start-up
    await asyncio.sleep(1)
    assert server.copies(to) == [message_id]
    assert (await eventually(lambda: _with_status(pool, message_id, "sent")))["attempts"] == 2


async def test_one_hanging_email_does_not_hold_back_an_email_queued_after_it(pool, domain, smtp, sender):
    server, port = smtp(hang_seconds=20)
    hanging, other = f"hanging@{domain}", f"other@{domain}"
    server.hang_at_rcpt[hanging] = 1
    await queue_email(pool, hanging)
    await sender(port)
    await eventually(lambda: hanging in server.waiting_at_rcpt)
    queued_at = time.monotonic()
    await queue_email(pool, other)
    await eventually(lambda: server.copies(other), timeout=10)
    assert time.monotonic() - queued_at < 3  # before: it waited behind the hanging one's batch (up to SMTP_TIMEOUT)


async def test_sigterm_finishes_the_email_in_flight(pool, domain, smtp, sender):
    server, port = smtp(hang_seconds=2)  # stored, then 250 two seconds later
    to = f"draining@{domain}"
    server.hang_after_store[to] = 1
    message_id = await queue_email(pool, to)
    process = await sender(port)
    await eventually(lambda: server.copies(to))
    process.stop()  # SIGTERM while the server has not answered yet
    assert process.process.returncode == 0
    settled = await row(pool, message_id)
    assert settled["status"] == "sent"  # before: cancelled mid-send, left to be sent a second time
    assert settled["smtp_response"] == "2.0.0 OK queued"


async def _with_status(pool, message_id, status):
    found = await row(pool, message_id)
    return found if found and found["status"] == status else None


async def test_no_reply_to_data_within_the_timeout_is_unknown_too(pool, domain, smtp, sender):
    server, port = smtp(hang_seconds=10)
    to = f"no-reply@{domain}"
    server.hang_after_store[to] = 1
    message_id = await queue_email(pool, to)
    await sender(port, smtp_timeout="1", email_lease_seconds="2")
    in_doubt = await eventually(lambda: _with_last_error(pool, message_id))
    assert in_doubt["status"] == "sending"
    assert in_doubt["lease_token"] is None  # released at once: nobody sends it before the quiet period
    await asyncio.sleep(3)
    assert server.copies(to) == [message_id]


async def _with_last_error(pool, message_id):
    found = await row(pool, message_id)
    return found if found and found["last_error"] else None
