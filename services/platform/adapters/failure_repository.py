"""Failed number/key checks per user, kept in PostgreSQL so throttling holds across processes."""

from datetime import datetime
from uuid import UUID

import asyncpg


async def lock_user(conn: asyncpg.Connection, user_id: UUID) -> None:
    """Serialise one user's lookups (in the caller's transaction) so parallel guesses cannot slip past the limit."""
    await conn.execute("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", user_id)


async def recent_failures(conn: asyncpg.Connection, user_id: UUID, window_seconds: int) -> tuple[list[datetime], datetime]:
    """(failure times inside the window, the database's now)."""
    now = await conn.fetchval("SELECT now()")
    rows = await conn.fetch(
        "SELECT failed_at FROM lookup_failures WHERE user_id = $1 AND failed_at > $2::timestamptz - make_interval(secs => $3)",
        user_id,
        now,
        float(window_seconds),
    )
    return [row["failed_at"] for row in rows], now


async def recent_failures_wider(
    conn: asyncpg.Connection, contract_number: str, organisation_id: UUID, now: datetime, window_seconds: int
) -> tuple[list[datetime], list[datetime]]:
    """(failures on this 保証契約番号 by anyone, failures by anyone of this organisation) inside the window."""
    rows = await conn.fetch(
        "SELECT contract_number = $1 AS same_number, organisation_id = $2 AS same_organisation, failed_at"
        " FROM lookup_failures WHERE (contract_number = $1 OR organisation_id = $2)"
        " AND failed_at > $3::timestamptz - make_interval(secs => $4)",
        contract_number[:64],
        organisation_id,
        now,
        float(window_seconds),
    )
    return [r["failed_at"] for r in rows if r["same_number"]], [r["failed_at"] for r in rows if r["same_organisation"]]


async def record_failure(
    conn: asyncpg.Connection, user_id: UUID, contract_number: str, organisation_id: UUID | None = None
) -> None:
    await conn.execute(
        "INSERT INTO lookup_failures (user_id, contract_number, organisation_id) VALUES ($1, $2, $3)",
        user_id,
        contract_number[:64],
        organisation_id,
    )
