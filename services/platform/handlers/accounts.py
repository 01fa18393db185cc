"""Orderer organisations and users (created by operators with the CLI), login and bearer tokens."""

import asyncio

import asyncpg

import structlog

from shared import text_policy
from shared.auth import hash_secret, new_token, token_digest, verify_secret
from shared.db import login_failures
from shared.throttle import LOGIN_THROTTLE, login_wait
from services.platform.adapters import account_repository
from services.platform.domain.accounts import (
    LoginFailed,
    LoginThrottled,
    NotAuthenticated,
    OrdererUser,
    Organisation,
)

log = structlog.get_logger()


class UnknownOrganisation(LookupError):
    pass


class UserBelongsElsewhere(ValueError):
    pass


async def create_organisation(pool: asyncpg.Pool, code: str, name: str) -> tuple[Organisation, bool]:
    """Idempotent: (organisation, created?); an existing code is left as it is."""
    name = text_policy.checked("発注者名", name, 60)
    async with pool.acquire() as conn, conn.transaction():
        return await account_repository.ensure_organisation(conn, code, name)


async def create_user(
    pool: asyncpg.Pool,
    organisation_code: str,
    login_id: str,
    password: str,
    *,
    display_name: str | None = None,
    role: str = "staff",
) -> tuple[OrdererUser, bool]:
    """Idempotent: (user, created?); an existing login id keeps its password, and must be of that organisation."""
    login_id = text_policy.checked("利用者ID", login_id, 64)
    display_name = text_policy.checked("所属と氏名", display_name, 60) if display_name else None
    password_hash = await asyncio.to_thread(hash_secret, password)
    async with pool.acquire() as conn, conn.transaction():
        organisation = await account_repository.organisation_by_code(conn, organisation_code)
        if organisation is None:
            raise UnknownOrganisation(f"no organisation with code {organisation_code!r}")
        created = await account_repository.insert_user(
            conn, login_id, password_hash, organisation.id, display_name, role=role
        )
        user, _ = await account_repository.user_with_hash(conn, login_id)
    if user.organisation.code != organisation_code:
        raise UserBelongsElsewhere(f"user {login_id!r} belongs to {user.organisation.code!r}")
    return user, created


async def login(
    pool: asyncpg.Pool,
    login_id: str,
    password: str,
    *,
    ttl_seconds: int,
    source: str = "unknown",
    idle_timeout_seconds: int | None = None,
) -> str | None:
    """A new bearer token (or, with `idle_timeout_seconds`, a web session), or None; an unknown login id
    costs the same as a wrong password. Failures are counted per login id and per source address: past
    the free ones LoginThrottled says how long to wait, before any password is checked."""
    async with pool.acquire() as conn:
        by_login, by_source, now = await login_failures.recent(conn, login_id, source, LOGIN_THROTTLE.window_seconds)
        wait = login_wait(by_login, by_source, now)
        if wait:
            log.warning("login throttled", login_id=login_id, source=source, retry_after=wait)
            raise LoginThrottled(wait)
        found = await account_repository.user_with_hash(conn, login_id)
    user, stored_hash = found if found else (None, None)
    if not await asyncio.to_thread(verify_secret, stored_hash, password):
        async with pool.acquire() as conn:
            await login_failures.record(conn, login_id, source)
        log.info("login failed", login_id=login_id, source=source)
        return None
    token, digest = new_token()
    async with pool.acquire() as conn, conn.transaction():
        await account_repository.insert_token(conn, digest, user.id, ttl_seconds, idle_timeout_seconds)
        await login_failures.clear(conn, login_id)
    return token


async def web_login(pool: asyncpg.Pool, login_id: str, password: str, **kwargs) -> str:
    """As `login`, raising LoginFailed instead of answering None (the pages' way)."""
    token = await login(pool, login_id, password, **kwargs)
    if token is None:
        raise LoginFailed()
    return token


async def session_user(pool: asyncpg.Pool, token: str, *, touch: bool = True) -> OrdererUser:
    """The user of a live web session (restarting its idle clock); NotAuthenticated(expired) otherwise."""
    async with pool.acquire() as conn:
        user, ended = await account_repository.session_user(conn, token_digest(token), touch=touch)
    if user is None:
        raise NotAuthenticated(expired=ended)
    return user


async def logout(pool: asyncpg.Pool, token: str) -> None:
    async with pool.acquire() as conn:
        await account_repository.revoke_token(conn, token_digest(token))


async def authenticate(pool: asyncpg.Pool, token: str) -> OrdererUser | None:
    """The user of a live bearer token (restarting its idle clock), or None."""
    async with pool.acquire() as conn:
        return await authenticate_on(conn, token)


async def authenticate_on(conn: asyncpg.Connection, token: str) -> OrdererUser | None:
    """authenticate, on a connection the request goes on using (the lookup: one pool checkout, not two)."""
    user, _ = await account_repository.session_user(conn, token_digest(token), touch=True)
    return user
