"""Companies, users and sessions in the `application` schema (asyncpg)."""

from datetime import datetime
from uuid import UUID, uuid4

import asyncpg


async def company_by_name(conn: asyncpg.Connection, name: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT id, name, address FROM company WHERE name = $1", name)


async def company_by_id(conn: asyncpg.Connection, company_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT id, name, address, send_password_hash FROM company WHERE id = $1", company_id)


async def set_send_password_hash(conn: asyncpg.Connection, name: str, password_hash: str | None) -> UUID | None:
    """The company's id, or None when there is no company of that name."""
    return await conn.fetchval(
        "UPDATE company SET send_password_hash = $2 WHERE name = $1 RETURNING id", name, password_hash
    )


async def insert_company(conn: asyncpg.Connection, name: str, address: str) -> UUID | None:
    """The new id, or None when a company of that name exists."""
    return await conn.fetchval(
        "INSERT INTO company (id, name, address) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING RETURNING id",
        uuid4(),
        name,
        address,
    )


async def user_by_login(conn: asyncpg.Connection, login_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT id, login_id, password_hash, company_id, display_name FROM users WHERE login_id = $1", login_id
    )


async def insert_user(
    conn: asyncpg.Connection, *, login_id: str, password_hash: str, company_id: UUID, display_name: str | None
) -> UUID | None:
    return await conn.fetchval(
        "INSERT INTO users (id, login_id, password_hash, company_id, display_name) VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (login_id) DO NOTHING RETURNING id",
        uuid4(),
        login_id,
        password_hash,
        company_id,
        display_name,
    )


async def insert_session(
    conn: asyncpg.Connection,
    token_digest: str,
    user_id: UUID,
    expires_at: datetime,
    *,
    idle_timeout_seconds: int | None = None,
) -> None:
    """`idle_timeout_seconds`: a web session, which also ends after that long without a request."""
    await conn.execute(
        "INSERT INTO sessions (token_digest, user_id, expires_at, idle_timeout_seconds) VALUES ($1, $2, $3, $4)",
        token_digest,
        user_id,
        expires_at,
        idle_timeout_seconds,
    )
    await conn.execute("DELETE FROM sessions WHERE user_id = $1 AND expires_at < now() - interval '1 day'", user_id)


# The idle clock restarts at most every 15 s: an API client's burst of requests is not a burst of writes.
_TOUCH = (
    "UPDATE sessions SET last_seen_at = now() WHERE token_digest = $1 AND last_seen_at < now() - interval '15 seconds'"
)


async def session_user(conn: asyncpg.Connection, token_digest: str, *, touch: bool = False) -> asyncpg.Record | None:
    """The session's user; `expired` when past its expiry, idle too long or revoked (logged out).
    `touch`: a live session's idle clock restarts (a web page was requested)."""
    row = await conn.fetchrow(
        "SELECT u.id AS user_id, u.login_id, u.display_name, u.company_id, s.expires_at,"
        " (s.revoked_at IS NOT NULL OR s.expires_at < now() OR (s.idle_timeout_seconds IS NOT NULL"
        "   AND s.last_seen_at + make_interval(secs => s.idle_timeout_seconds) < now())) AS expired,"
        " u.previous_login_at, c.name AS company_name"
        " FROM sessions s JOIN users u ON u.id = s.user_id JOIN company c ON c.id = u.company_id"
        " WHERE s.token_digest = $1",
        token_digest,
    )
    if row is not None and touch and not row["expired"]:
        await conn.execute(_TOUCH, token_digest)
    return row


async def revoke_session(conn: asyncpg.Connection, token_digest: str) -> None:
    await conn.execute(
        "UPDATE sessions SET revoked_at = coalesce(revoked_at, now()) WHERE token_digest = $1", token_digest
    )


async def record_login(conn: asyncpg.Connection, user_id: UUID) -> None:
    await conn.execute(
        "UPDATE users SET previous_login_at = last_login_at, last_login_at = now() WHERE id = $1", user_id
    )


async def users_by_ids(conn: asyncpg.Connection, user_ids: list[UUID]) -> dict[UUID, asyncpg.Record]:
    rows = await conn.fetch("SELECT id, login_id, display_name FROM users WHERE id = ANY($1::uuid[])", user_ids)
    return {r["id"]: r for r in rows}
