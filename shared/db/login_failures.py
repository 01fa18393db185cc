"""Failed logins, per login id and per source address, in the calling service's own schema (each
service with a login has a `login_failures` table of this shape; see its migrations)."""

from datetime import datetime

import asyncpg


async def recent(
    conn: asyncpg.Connection, login_id: str, source: str, window_seconds: int
) -> tuple[list[datetime], list[datetime], datetime]:
    """(failure times for this login id, failure times from this address) inside the window, and now."""
    rows = await conn.fetch(
        "SELECT login_id = $1 AS same_login, source = $2 AS same_source, failed_at FROM login_failures"
        " WHERE (login_id = $1 OR source = $2) AND failed_at > now() - make_interval(secs => $3)",
        login_id,
        source,
        float(window_seconds),
    )
    now = await conn.fetchval("SELECT now()")
    return [r["failed_at"] for r in rows if r["same_login"]], [r["failed_at"] for r in rows if r["same_source"]], now


async def record(conn: asyncpg.Connection, login_id: str, source: str) -> None:
    await conn.execute("INSERT INTO login_failures (login_id, source) VALUES ($1, $2)", login_id[:200], source[:200])
    await conn.execute("DELETE FROM login_failures WHERE failed_at < now() - interval '1 day'")


async def clear(conn: asyncpg.Connection, login_id: str) -> None:
    await conn.execute("DELETE FROM login_failures WHERE login_id = $1", login_id)
