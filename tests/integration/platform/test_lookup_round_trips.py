"""A right key on a certificate already in the 保証確認台帳 ends in one statement and one commit (withdraw the
claim, 閲覧履歴, refresh the register) after two reads, the claim commits without waiting for its flush, and the first
opening is still announced exactly once however many users of the organisation open it at once."""

import asyncio
import json
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
    ran = statements  # and no reset query on release (shared/db/pool.py)
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


async def test_the_counts_skip_withdrawn_claims_once_seen(platform, platform_settings):
    """Every successful lookup deletes its claim; the counts must not re-read those rows on every later check.
    Plain index scans mark the deleted entries dead the first time they pass them (migration 009); a bitmap
    scan, which the planner took for one OR over the three throttles and at times for a branch, never does, so
    each count read every claim of the window again."""
    user = await orderer(platform, f"counts-{uuid.uuid4().hex[:8]}")  # its own organisation: others' checks stay
    number = new_contract_number()
    org = user.organisation.id
    async with platform.pool.acquire() as conn:
        # Not vacuumed meanwhile: that would remove the dead rows the counts are to skip.
        await conn.execute("ALTER TABLE lookup_failures SET (autovacuum_enabled = false)")
        try:
            await conn.execute(
                "INSERT INTO lookup_failures (user_id, contract_number, organisation_id, in_flight)"
                " SELECT $1, $2, $3, true FROM generate_series(1, 20000)",
                user.id, number, org,
            )
            await conn.execute("DELETE FROM lookup_failures WHERE organisation_id = $1", org)  # 20,000 withdrawn claims
            await conn.execute("ANALYZE lookup_failures")
            first, second, found = await two_counts(conn, user, number, org)
        finally:
            await conn.execute("ALTER TABLE lookup_failures RESET (autovacuum_enabled)")
    assert first > 200, first  # the withdrawn claims were there to be read
    assert second * 2 < first, (first, second)  # …and the second count read the index only
    assert all(found[scope].failures == [] and found[scope].in_flight == [] for scope in found)


async def two_counts(conn, user, number: str, org) -> tuple[int, int, dict]:
    """The buffers two counts in a row read (the function's queries included), and what the counts found."""

    async def buffers_of_a_count() -> int:
        explained = await conn.fetchval(
            f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {failure_repository.RECENT_CHECKS}", user.id, number, org, 900.0, 0
        )
        plan = (explained if isinstance(explained, list) else json.loads(explained))[0]["Plan"]
        return plan["Shared Hit Blocks"] + plan["Shared Read Blocks"]

    first = await buffers_of_a_count()  # passes the dead entries and their heap rows (and marks them)
    second = await buffers_of_a_count()
    found, _ = await failure_repository.recent_checks(conn, user.id, number, org, 900, excluding=0)
    return first, second, found


async def test_the_counts_tell_the_three_throttles_apart(platform, platform_settings):
    """A failure and a claim in flight, each under the scopes it belongs to (a row of this user on this number
    counts for the user, the number and the organisation; another user's on another number only for the
    organisation), and the caller's own claim under none."""
    user = await orderer(platform, f"counts-{uuid.uuid4().hex[:8]}")
    other = await orderer(platform, user.organisation.code)
    number, elsewhere = new_contract_number(), new_contract_number()
    org = user.organisation.id
    async with platform.pool.acquire() as conn:
        failed = await conn.fetchval(
            "INSERT INTO lookup_failures (user_id, contract_number, organisation_id, in_flight) VALUES ($1, $2, $3, false) RETURNING id",
            user.id, number, org,
        )
        flying = await conn.fetchval(
            "INSERT INTO lookup_failures (user_id, contract_number, organisation_id, in_flight) VALUES ($1, $2, $3, true) RETURNING id",
            other.id, elsewhere, org,
        )
        own = await failure_repository.claim(conn, user.id, number, org)
        found, now = await failure_repository.recent_checks(conn, user.id, number, org, 900, excluding=own)
    assert len(found["user"].failures) == 1 and found["user"].in_flight == []
    assert len(found["number"].failures) == 1 and found["number"].in_flight == []
    assert len(found["organisation"].failures) == 1
    assert [claim_id for claim_id, _ in found["organisation"].in_flight] == [flying]
    assert failed != own and now is not None
