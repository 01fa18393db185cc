"""The email outbox lease: a sender whose lease ran out cannot settle a row another sender re-claimed,
and the re-claimed email carries the same Message-ID (a re-send after a crash is the same message)."""

import uuid
from datetime import datetime, timezone

import pytest

from services.notifier.adapters import email_outbox, repository
from services.notifier.bootstrap import build
from services.notifier.domain.model import ComposedEmail, Publication
from services.notifier.settings import Settings
from tests.integration.notifier.conftest import new_contract_number

pytestmark = pytest.mark.integration


@pytest.fixture
async def pool(fresh_database, bus_cleanup, common_env):
    ctx = await build(Settings(**common_env))  # not started: no consumers, no sender loop
    yield ctx.pool
    await ctx.stop()


async def test_expired_lease_is_reclaimed_with_the_same_message_id(pool):
    number = new_contract_number()
    publication = Publication(
        application_id=uuid.uuid4(),
        contract_number=number,
        version=0,
        version_label="新規",
        product="advance_payment",
        published_at=datetime(2022, 11, 1, 6, 0, tzinfo=timezone.utc),
        construction_name="工事",
        orderer_name="川崎市長",
        contractor_name="○○建設 株式会社",
    )
    mail = ComposedEmail(recipient="a@example.jp", subject="件名", body="本文", message_id=f"<{uuid.uuid4().hex}@example.jp>")
    async with pool.acquire() as conn, conn.transaction():
        assert await repository.add_pending_email(conn, publication, mail, "corr")
        assert not await repository.add_pending_email(conn, publication, mail, "corr")  # one per (number, version)

    first, second = uuid.uuid4(), uuid.uuid4()
    async def claim(lease):
        """Claim until this test's email or nothing comes back (other tests' leftovers are claimed meanwhile)."""
        while (email := await email_outbox.claim_one(pool, lease, lease_seconds=60, unknown_resend_after=600)):
            if email.contract_number == number:
                return [email]
        return []

    [claimed] = await claim(first)
    assert claimed.attempts == 1
    assert await claim(second) == []  # leased: nobody else gets it

    # The first sender stalls past its lease; another claims the row.
    await pool.execute("UPDATE email_outbox SET lease_until = now() - interval '1 second' WHERE id = $1", claimed.id)
    [again] = await claim(second)
    assert again.id == claimed.id
    assert again.message_id == mail.message_id
    assert again.attempts == 2

    assert not await email_outbox.mark_sent(pool, claimed.id, first, "250 late")
    assert await email_outbox.mark_sent(pool, again.id, second, "250 OK")
    row = await pool.fetchrow("SELECT status, smtp_response, lease_token FROM email_outbox WHERE id = $1", claimed.id)
    assert (row["status"], row["smtp_response"], row["lease_token"]) == ("sent", "250 OK", None)
    assert not await email_outbox.mark_failed(pool, claimed.id, second, "too late")  # settled rows stay settled
