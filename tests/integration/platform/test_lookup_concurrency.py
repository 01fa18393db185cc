"""Lookups without a lock (services/platform/handlers/lookup.py): right keys of one user run side by side,
concurrent wrong keys are still counted exactly (per user and per 保証契約番号, across users), and a
certificate hashed with Argon2 before the keyed hash still opens."""

import asyncio
import uuid

import pytest
from argon2 import PasswordHasher

from services.platform.adapters import account_repository
from services.platform.domain.accounts import LookupFailed, LookupThrottled
from services.platform.handlers import accounts, lookup
from services.platform.handlers.certificates import record_arrival
from tests.integration.platform.conftest import PASSWORD, new_contract_number
from tests.unit.platform.samples import certificate, issued_event

pytestmark = pytest.mark.integration

KEY = "Z28YUE4J3Bux"
WRONG = "WRONGKEY2345"


async def orderer(platform, organisation: str = "kawasaki-city"):
    await accounts.create_organisation(platform.pool, organisation, "川崎市")
    login_id = f"user-{uuid.uuid4().hex[:8]}"
    await accounts.create_user(platform.pool, organisation, login_id, PASSWORD)
    token = await accounts.login(platform.pool, login_id, PASSWORD, ttl_seconds=3600)
    return await accounts.authenticate(platform.pool, token)


async def issue(platform, *, key_hash: str | None = None) -> str:
    content = certificate(new_contract_number())
    await record_arrival(platform.pool, issued_event(content, KEY, key_hash=key_hash))
    return content.contract_number


async def attempt(platform, settings, user, number: str, key: str) -> str:
    try:
        await lookup.open_certificate(platform.pool, settings, user, contract_number=number, auth_key=key)
        return "opened"
    except LookupFailed:
        return "failed"
    except LookupThrottled:
        return "throttled"


async def test_a_right_key_does_not_wait_for_the_users_row_lock(platform, platform_settings):
    """Before: every lookup took `SELECT … FROM users … FOR UPDATE`, so one user's lookups queued behind each
    other (and behind anything holding the row); now a right key takes no lock."""
    user = await orderer(platform)
    number = await issue(platform)
    async with platform.pool.acquire() as holder, holder.transaction():
        # What an UPDATE of the user's row holds; the old lookup's FOR UPDATE queued behind it. (A new row
        # that references the user, as the lookup's own rows do, takes only FOR KEY SHARE, which it allows.)
        await holder.execute("SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE", user.id)
        answer = await asyncio.wait_for(attempt(platform, platform_settings, user, number, KEY), timeout=5)
    assert answer == "opened"
    assert await platform.pool.fetchval("SELECT count(*) FROM lookup_failures WHERE user_id = $1", user.id) == 0


async def test_concurrent_right_keys_of_one_user_all_open(platform, platform_settings):
    user = await orderer(platform)
    numbers = [await issue(platform) for _ in range(3)]
    answers = await asyncio.gather(*(attempt(platform, platform_settings, user, n, KEY) for n in numbers * 4))
    assert answers == ["opened"] * 12
    assert await platform.pool.fetchval("SELECT count(*) FROM lookup_failures WHERE user_id = $1", user.id) == 0


async def test_concurrent_wrong_keys_are_counted_exactly_per_user(platform, platform_settings):
    user = await orderer(platform)
    number = await issue(platform)
    answers = await asyncio.gather(*(attempt(platform, platform_settings, user, number, WRONG) for _ in range(12)))
    assert sorted(answers) == ["failed"] * platform_settings.lookup_max_failures + ["throttled"] * 7
    rows = await platform.pool.fetch("SELECT in_flight FROM lookup_failures WHERE user_id = $1", user.id)
    assert [r["in_flight"] for r in rows] == [False] * platform_settings.lookup_max_failures
    # Throttled even with the right key now.
    assert await attempt(platform, platform_settings, user, number, KEY) == "throttled"


async def test_concurrent_wrong_keys_of_several_users_are_counted_exactly_per_number(platform, platform_settings):
    """The per-number limit (10) across 4 users of 5 free failures each: the old per-user lock did not
    serialise different users, so a burst could check more keys of one certificate than the limit."""
    organisation = f"org-{uuid.uuid4().hex[:6]}"
    users = [await orderer(platform, organisation) for _ in range(4)]
    number = await issue(platform)
    tries = [attempt(platform, platform_settings, u, number, WRONG) for u in users for _ in range(5)]
    answers = await asyncio.gather(*tries)
    assert answers.count("failed") == platform_settings.lookup_number_max_failures
    assert answers.count("throttled") == len(tries) - platform_settings.lookup_number_max_failures
    assert await platform.pool.fetchval(
        "SELECT count(*) FROM lookup_failures WHERE contract_number = $1 AND NOT in_flight", number
    ) == platform_settings.lookup_number_max_failures


async def test_a_claim_left_in_flight_counts_as_a_failure(platform, platform_settings):
    """A process that died between claim and answer leaves its claim: it counts (after a short wait), so a
    crash loop cannot be used to guess for free."""
    user = await orderer(platform)
    number = await issue(platform)
    for _ in range(platform_settings.lookup_max_failures):
        await platform.pool.execute(
            "INSERT INTO lookup_failures (user_id, contract_number, organisation_id, in_flight) VALUES ($1, $2, $3, true)",
            user.id, number, user.organisation.id,
        )
    assert await attempt(platform, platform_settings, user, number, KEY) == "throttled"
    await account_repository.clear_lookup_failures(platform.pool, user.id)
    assert await attempt(platform, platform_settings, user, number, KEY) == "opened"


async def test_a_certificate_hashed_with_argon2_before_still_opens_and_a_new_one_uses_hmac(platform, platform_settings):
    user = await orderer(platform)
    legacy_hash = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).hash(KEY)
    old = await issue(platform, key_hash=legacy_hash)
    new = await issue(platform)  # tests.unit.platform.samples hashes as issuance does now
    stored = dict(await platform.pool.fetch(
        "SELECT contract_number, auth_key_hash FROM certificate_versions WHERE contract_number = ANY($1::text[])", [old, new]
    ))
    assert stored[old].startswith("$argon2id$")
    assert stored[new].startswith("hmac-sha256$v1$test-1$")
    assert await attempt(platform, platform_settings, user, old, KEY) == "opened"
    assert await attempt(platform, platform_settings, user, new, KEY) == "opened"
    assert await attempt(platform, platform_settings, user, old, WRONG) == "failed"
    assert await attempt(platform, platform_settings, user, new, WRONG) == "failed"
