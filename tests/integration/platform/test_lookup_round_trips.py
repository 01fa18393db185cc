"""A right key on a certificate already in the 保証確認台帳 ends in one statement and one commit (withdraw the
claim, 閲覧履歴, refresh the register) after two reads, the claim commits without waiting for its flush, and the first
opening is still announced exactly once however many users of the organisation open it at once."""

import asyncio
import uuid

import pytest

from shared.events.review import CertificateViewedV1
from shared.db.pool import create_pool
from services.platform.adapters import failure_repository
from services.platform.handlers import lookup
from services.platform.handlers.certificates import record_arrival
from tests.integration.platform.conftest import new_contract_number
from tests.integration.platform.test_lookup_concurrency import KEY, orderer
from tests.unit.platform.samples import certificate, issued_event

pytestmark = pytest.mark.integration


async def issue(platform, number: str, version: int = 0) -> None:
    await record_arrival(platform.pool, issued_event(certificate(number, version=version), KEY))


async def announced(platform, number: str) -> int:
    return await platform.pool.fetchval(
        "SELECT count(*) FROM outbox WHERE routing_key = $1 AND convert_from(body, 'UTF8')::jsonb->>'subject' = $2",
        CertificateViewedV1.event_type, number,
    )


async def test_a_repeat_opening_takes_three_statements_and_one_flushed_commit(platform, platform_settings):
    """Before: claim, counts, SELECT now(), versions, BEGIN, DELETE, INSERT, INSERT … ON CONFLICT, COMMIT.
    Now: the claim with the versions and the ending, the counts, the end (withdraw, 閲覧履歴, register)."""
    user = await orderer(platform)
    number = new_contract_number()
    await issue(platform, number)
    # A pool of its own, one connection: only the lookup's statements are seen (not the outbox relay's).
    pool = await create_pool(platform_settings.database_url, "platform", max_size=1)
    try:
        for _ in range(2):  # the first opening, then a repeat one: every statement prepared (no introspection)
            await lookup.open_certificate(pool, platform_settings, user, contract_number=number, auth_key=KEY)
        await issue(platform, number, version=1)
        statements: list[str] = []
        async with pool.acquire() as conn:
            conn.add_query_logger(lambda q: statements.append(" ".join(q.query.split())[:60]))
        view = await lookup.open_certificate(pool, platform_settings, user, contract_number=number, auth_key=KEY)
    finally:
        await pool.close()
    ran = [s for s in statements if "pg_advisory_unlock_all" not in s]  # the pool's reset on release
    assert len(ran) == 3, ran
    assert not any(s.upper().startswith(("BEGIN", "COMMIT")) for s in ran), ran
    assert view.selected.version == 1
    entry = await platform.pool.fetchrow(
        "SELECT last_viewed_version, last_viewed_by FROM register_entries WHERE contract_number = $1", number
    )
    assert (entry["last_viewed_version"], entry["last_viewed_by"]) == (1, user.id)
    logged = await platform.pool.fetch(
        "SELECT version, succeeded FROM viewing_log WHERE contract_number = $1 ORDER BY viewed_at", number
    )
    assert [(r["version"], r["succeeded"]) for r in logged] == [(0, True), (0, True), (1, True)]
    assert await platform.pool.fetchval("SELECT count(*) FROM lookup_failures WHERE user_id = $1", user.id) == 0
    assert await announced(platform, number) == 1


async def test_concurrent_first_openings_are_announced_once(platform, platform_settings):
    organisation = f"org-{uuid.uuid4().hex[:6]}"
    users = [await orderer(platform, organisation) for _ in range(6)]
    number = new_contract_number()
    await record_arrival(platform.pool, issued_event(certificate(number, obligee_code=organisation), KEY))
    await asyncio.gather(*(
        lookup.open_certificate(platform.pool, platform_settings, u, contract_number=number, auth_key=KEY) for u in users
    ))
    assert await announced(platform, number) == 1
    assert await platform.pool.fetchval("SELECT count(*) FROM register_entries WHERE contract_number = $1", number) == 1
    assert await platform.pool.fetchval(
        "SELECT count(*) FROM viewing_log WHERE contract_number = $1 AND succeeded", number
    ) == 6
    assert await platform.pool.fetchval(
        "SELECT count(*) FROM lookup_failures WHERE contract_number = $1", number
    ) == 0


async def test_the_claims_asynchronous_commit_does_not_stay_on_the_session(platform):
    """Only the claim's own transaction skips the flush wait: the check's end, on the same pooled
    connection, must still commit synchronously (it is what makes a failure durable before it is told)."""
    user = await orderer(platform)
    async with platform.pool.acquire() as conn:
        claim = await failure_repository.claim(conn, user.id, new_contract_number(), user.organisation.id)
        assert await conn.fetchval("SHOW synchronous_commit") == "on"
        assert await conn.fetchval("SELECT in_flight FROM lookup_failures WHERE id = $1", claim) is True
        await failure_repository.withdraw(conn, claim)
