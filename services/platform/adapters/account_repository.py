"""Orderer organisations, users and bearer tokens in the platform schema."""

import uuid

import asyncpg

from services.platform.domain.accounts import OrdererUser, Organisation


def _user(row: asyncpg.Record) -> OrdererUser:
    return OrdererUser(
        id=row["id"],
        login_id=row["login_id"],
        organisation=Organisation(id=row["organisation_id"], code=row["code"], name=row["name"]),
        display_name=row["display_name"],
        role=row["role"],
        must_change_password=row["must_change_password"],
    )


_USER_SELECT = """
    SELECT u.id, u.login_id, u.password_hash, u.organisation_id, u.display_name, u.role, u.must_change_password,
           u.disabled_at, o.code, o.name
    FROM users u JOIN organisations o ON o.id = u.organisation_id
"""


async def ensure_organisation(conn: asyncpg.Connection, code: str, name: str) -> tuple[Organisation, bool]:
    """(organisation, created?) — an existing code is returned unchanged."""
    row = await conn.fetchrow(
        "INSERT INTO organisations (id, code, name) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING"
        " RETURNING id, code, name",
        uuid.uuid4(),
        code,
        name,
    )
    created = row is not None
    if row is None:
        row = await conn.fetchrow("SELECT id, code, name FROM organisations WHERE code = $1", code)
    return Organisation(id=row["id"], code=row["code"], name=row["name"]), created


async def organisation_by_code(conn: asyncpg.Connection, code: str) -> Organisation | None:
    row = await conn.fetchrow("SELECT id, code, name FROM organisations WHERE code = $1", code)
    return Organisation(id=row["id"], code=row["code"], name=row["name"]) if row else None


async def insert_user(
    conn: asyncpg.Connection,
    login_id: str,
    password_hash: str,
    organisation_id: uuid.UUID,
    display_name: str | None = None,
    *,
    role: str = "staff",
    must_change_password: bool = False,
) -> bool:
    row = await conn.fetchrow(
        "INSERT INTO users (id, login_id, password_hash, organisation_id, display_name, role, must_change_password)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (login_id) DO NOTHING RETURNING 1",
        uuid.uuid4(),
        login_id,
        password_hash,
        organisation_id,
        display_name,
        role,
        must_change_password,
    )
    return row is not None


async def user_with_hash(conn: asyncpg.Connection, login_id: str) -> tuple[OrdererUser, str | None] | None:
    """The user and its password hash; a disabled user's hash is None (it verifies like an unknown id)."""
    row = await conn.fetchrow(_USER_SELECT + " WHERE u.login_id = $1", login_id)
    if row is None:
        return None
    return _user(row), (None if row["disabled_at"] else row["password_hash"])


async def insert_token(
    conn: asyncpg.Connection, digest: str, user_id: uuid.UUID, ttl_seconds: int, idle_timeout_seconds: int | None = None
) -> None:
    """`idle_timeout_seconds`: a web session, which also ends after that long without a request."""
    await conn.execute(
        "INSERT INTO access_tokens (token_digest, user_id, expires_at, idle_timeout_seconds)"
        " VALUES ($1, $2, now() + make_interval(secs => $3), $4)",
        digest,
        user_id,
        float(ttl_seconds),
        idle_timeout_seconds,
    )
    await conn.execute("DELETE FROM access_tokens WHERE user_id = $1 AND expires_at < now() - interval '1 day'", user_id)


_LIVE = (
    "t.revoked_at IS NULL AND u.disabled_at IS NULL AND t.expires_at > now() AND (t.idle_timeout_seconds IS NULL"
    " OR t.last_seen_at + make_interval(secs => t.idle_timeout_seconds) > now())"
)


# The idle clock restarts at most every 15 s: an API client's burst of requests is not a burst of writes.
_TOUCH = (
    "UPDATE access_tokens SET last_seen_at = now() WHERE token_digest = $1 AND last_seen_at < now() - interval '15 seconds'"
)


async def session_user(conn: asyncpg.Connection, digest: str, *, touch: bool) -> tuple[OrdererUser | None, bool]:
    """(the user of a live session, False) / (None, True) for an ended one / (None, False) for an unknown token.
    `touch`: a page was requested, the idle clock restarts."""
    row = await conn.fetchrow(
        "SELECT u.id, u.login_id, u.password_hash, u.organisation_id, u.display_name, u.role, u.must_change_password,"
        " u.disabled_at, o.code, o.name,"
        f" ({_LIVE}) AS live, t.last_seen_at < now() - interval '15 seconds' AS stale"
        " FROM access_tokens t JOIN users u ON u.id = t.user_id"
        " JOIN organisations o ON o.id = u.organisation_id WHERE t.token_digest = $1",
        digest,
    )
    if row is None:
        return None, False
    if not row["live"]:
        return None, True
    if touch and row["stale"]:  # a round trip only when the clock would move (_TOUCH checks it again)
        await conn.execute(_TOUCH, digest)
    return _user(row), False


async def revoke_token(conn: asyncpg.Connection, digest: str) -> None:
    await conn.execute("UPDATE access_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE token_digest = $1", digest)


async def organisation_users(conn: asyncpg.Connection, organisation_id: uuid.UUID) -> list[asyncpg.Record]:
    """The organisation's users with their state and lookup failures in the last 15 minutes."""
    return await conn.fetch(
        "SELECT u.id, u.login_id, u.display_name, u.role, u.disabled_at, u.must_change_password, u.created_at,"
        " (SELECT count(*) FROM lookup_failures f WHERE f.user_id = u.id AND f.failed_at > now() - interval '15 minutes')"
        " AS recent_failures FROM users u WHERE u.organisation_id = $1 ORDER BY u.login_id",
        organisation_id,
    )


async def member(conn: asyncpg.Connection, organisation_id: uuid.UUID, login_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT id, login_id, role FROM users WHERE organisation_id = $1 AND login_id = $2", organisation_id, login_id
    )


async def set_password(conn: asyncpg.Connection, user_id: uuid.UUID, password_hash: str, *, must_change: bool) -> None:
    """A new password; every session of the user ends (a reset or a change revokes what was open)."""
    await conn.execute(
        "UPDATE users SET password_hash = $2, must_change_password = $3 WHERE id = $1", user_id, password_hash, must_change
    )
    await conn.execute("UPDATE access_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL", user_id)


async def set_disabled(conn: asyncpg.Connection, user_id: uuid.UUID, disabled: bool) -> None:
    await conn.execute(
        "UPDATE users SET disabled_at = CASE WHEN $2 THEN now() ELSE NULL END WHERE id = $1", user_id, disabled
    )
    if disabled:
        await conn.execute("UPDATE access_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL", user_id)


async def clear_lookup_failures(conn: asyncpg.Connection, user_id: uuid.UUID) -> None:
    await conn.execute("DELETE FROM lookup_failures WHERE user_id = $1", user_id)


async def record_admin_action(
    conn: asyncpg.Connection, organisation_id: uuid.UUID, actor_id: uuid.UUID, action: str, target_login_id: str
) -> None:
    await conn.execute(
        "INSERT INTO admin_actions (organisation_id, actor_id, action, target_login_id) VALUES ($1, $2, $3, $4)",
        organisation_id,
        actor_id,
        action,
        target_login_id,
    )


async def admin_actions(conn: asyncpg.Connection, organisation_id: uuid.UUID, limit: int = 200) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT a.action, a.target_login_id, a.at, u.login_id AS actor, u.display_name AS actor_name"
        " FROM admin_actions a JOIN users u ON u.id = a.actor_id WHERE a.organisation_id = $1"
        f" ORDER BY a.at DESC LIMIT {int(limit)}",
        organisation_id,
    )


async def viewing_log(conn: asyncpg.Connection, organisation_id: uuid.UUID, limit: int = 200) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT v.contract_number, v.version, v.succeeded, v.viewed_at, u.login_id, u.display_name"
        " FROM viewing_log v JOIN users u ON u.id = v.user_id WHERE v.organisation_id = $1"
        f" ORDER BY v.viewed_at DESC LIMIT {int(limit)}",
        organisation_id,
    )
