"""Number/key checks per user, kept in PostgreSQL so throttling holds across processes.

Each check first claims a row (in_flight) in its own committed statement; the row becomes the failure
when the check fails and is deleted when it succeeds or is refused. Readers count claims of others as
failures until they end (handlers/lookup.py explains why that keeps the count exact without a lock)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from services.platform.adapters import certificate_repository
from services.platform.adapters.certificate_repository import StoredVersion
from services.platform.domain.status import Ending


@dataclass(frozen=True)
class Recent:
    """Failures (ended checks) and claims still in flight inside the window, for one throttle."""

    failures: list[datetime]
    in_flight: list[tuple[int, datetime]]  # (claim id, claimed at)


# The claim's own transaction commits without waiting for its WAL flush (set_config(..., true): for this
# statement's implicit transaction only, never the pooled session). Other sessions see a commit at once,
# flushed or not, so the count stays exact. A crash can lose only a claim whose lookup had not ended: the
# check's end (withdraw, or the failure) commits synchronously, and that flush carries the claim's earlier
# WAL too. So a crash drops at most one unanswered attempt per crashed request.
_CLAIM = """
    WITH no_flush_wait AS (SELECT set_config('synchronous_commit', 'off', true))
    INSERT INTO lookup_failures (user_id, contract_number, organisation_id, in_flight)
    SELECT $1, $2, $3, true FROM no_flush_wait RETURNING id
"""


async def claim(conn: asyncpg.Connection, user_id: UUID, contract_number: str, organisation_id: UUID | None) -> int:
    """Committed at once (call outside a transaction): visible to every concurrent check from here on."""
    return await conn.fetchval(
        _CLAIM,
        user_id,
        contract_number[:64],
        organisation_id,
    )


async def claim_reading(
    conn: asyncpg.Connection, user_id: UUID, contract_number: str, organisation_id: UUID | None
) -> tuple[int, list[StoredVersion], Ending | None]:
    """claim, and in the same round trip the certificate's versions and ending (they do not depend on the
    claim, so its statement may read them): (claim id, versions oldest first, ending)."""
    rows = await conn.fetch(
        f"WITH claimed AS ({_CLAIM}) SELECT claimed.id AS claim_id, v.* FROM claimed LEFT JOIN LATERAL"
        f" ({certificate_repository.versions_and_ending_query('$4')}) v ON true ORDER BY v.version",
        user_id,
        contract_number[:64],
        organisation_id,
        contract_number,
    )
    return (rows[0]["claim_id"], *certificate_repository.versions_and_ending(rows))


async def withdraw(conn: asyncpg.Connection, claim_id: int) -> None:
    """The check succeeded, was refused or broke off: it is no failure."""
    await conn.execute("DELETE FROM lookup_failures WHERE id = $1", claim_id)


async def settle_as_failure(conn: asyncpg.Connection, claim_id: int) -> None:
    await conn.execute("UPDATE lookup_failures SET in_flight = false WHERE id = $1", claim_id)


# One round trip, through the function of migration 009 (why a function: there). $1 user, $2 number,
# $3 organisation, $4 window seconds, $5 the caller's own claim.
RECENT_CHECKS = "SELECT * FROM recent_lookup_checks($1, $2, $3, $4, $5)"


async def recent_checks(
    conn: asyncpg.Connection, user_id: UUID, contract_number: str, organisation_id: UUID, window_seconds: int,
    *, excluding: int,
) -> tuple[dict[str, Recent], datetime]:
    """({"user"|"number"|"organisation": Recent}, the database's now): others' checks inside the window by
    this user, on this 保証契約番号 by anyone, and by anyone of this organisation."""
    rows = await conn.fetch(
        RECENT_CHECKS,
        user_id,
        contract_number[:64],
        organisation_id,
        float(window_seconds),
        excluding,
    )
    now = rows[0]["db_now"]
    rows = [r for r in rows if r["claim_id"] is not None]
    found = {}
    for scope in ("user", "number", "organisation"):
        mine = [r for r in rows if r["scope"] == scope]
        found[scope] = Recent(
            [r["at"] for r in mine if not r["claim_in_flight"]],
            [(r["claim_id"], r["at"]) for r in mine if r["claim_in_flight"]],
        )
    return found, now
