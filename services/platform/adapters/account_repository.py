"""Orderer organisations, users and bearer tokens in the platform schema."""

import uuid

import asyncpg

from services.platform.domain.accounts import OrdererUser, Organisation


def _user(row: asyncpg.Record) -> OrdererUser:
    return OrdererUser(
        id=row["id"],
        login_id=row["login_id"],
        organisation=Organisation(id=row["organisation_id"], code=row["code"], name=row["name"]),
    )


_USER_SELECT = """
    SELECT u.id, u.login_id, u.password_hash, u.organisation_id, o.code, o.name
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


async def insert_user(conn: asyncpg.Connection, login_id: str, password_hash: str, organisation_id: uuid.UUID) -> bool:
    row = await conn.fetchrow(
        "INSERT INTO users (id, login_id, password_hash, organisation_id) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (login_id) DO NOTHING RETURNING 1",
        uuid.uuid4(),
        login_id,
        password_hash,
        organisation_id,
    )
    return row is not None


async def user_with_hash(conn: asyncpg.Connection, login_id: str) -> tuple[OrdererUser, str] | None:
    row = await conn.fetchrow(_USER_SELECT + " WHERE u.login_id = $1", login_id)
    return (_user(row), row["password_hash"]) if row else None


async def insert_token(conn: asyncpg.Connection, digest: str, user_id: uuid.UUID, ttl_seconds: int) -> None:
    await conn.execute(
        "INSERT INTO access_tokens (token_digest, user_id, expires_at)"
        " VALUES ($1, $2, now() + make_interval(secs => $3))",
        digest,
        user_id,
        float(ttl_seconds),
    )
    await conn.execute("DELETE FROM access_tokens WHERE user_id = $1 AND expires_at < now()", user_id)


async def user_by_token(conn: asyncpg.Connection, digest: str) -> OrdererUser | None:
    row = await conn.fetchrow(
        _USER_SELECT + " JOIN access_tokens t ON t.user_id = u.id WHERE t.token_digest = $1 AND t.expires_at > now()",
        digest,
    )
    return _user(row) if row else None
