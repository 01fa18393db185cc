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


async def record_failure(conn: asyncpg.Connection, user_id: UUID, contract_number: str) -> None:
    await conn.execute(
        "INSERT INTO lookup_failures (user_id, contract_number) VALUES ($1, $2)", user_id, contract_number[:64]
    )
