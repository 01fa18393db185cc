"""Contractor companies and users (CLI), login and the current user (HTTP)."""

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from uuid import UUID

import asyncpg
import structlog

from shared import text_policy
from shared.auth import hash_secret, new_token, token_digest, verify_secret
from shared.db import login_failures
from shared.throttle import LOGIN_THROTTLE, login_wait
from services.application.adapters import accounts_repository as repo

log = structlog.get_logger()


class UnknownCompany(LookupError):
    pass


class LoginFailed(Exception):
    pass


class LoginThrottled(Exception):
    """Too many failures for this login id or from this address: try again after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after


class NotAuthenticated(Exception):
    def __init__(self, expired: bool = False) -> None:
        super().__init__("expired" if expired else "unknown token")
        self.expired = expired


@dataclass(frozen=True)
class CurrentUser:
    user_id: UUID
    login_id: str
    display_name: str | None
    company_id: UUID
    company_name: str = ""
    previous_login_at: datetime | None = None  # the login before this session's (最近のお手続き)


async def create_company(pool: asyncpg.Pool, *, name: str, address: str) -> UUID:
    """Idempotent by name: the existing company's id when there is one. Name and address are printed on
    every certificate (保証契約者): the one character policy and the form's lengths apply (TextRefused)."""
    name = text_policy.checked("会社名", name, 100)
    address = text_policy.checked("住所", address, 120)
    async with pool.acquire() as conn:
        new_id = await repo.insert_company(conn, name, address)
        if new_id:
            return new_id
        return (await repo.company_by_name(conn, name))["id"]


async def create_user(
    pool: asyncpg.Pool, *, company_name: str, login_id: str, password: str, name: str | None = None
) -> UUID:
    """Idempotent by login_id: an existing user is left as it is (same company required)."""
    login_id = text_policy.checked("ログインID", login_id, 64)
    name = text_policy.checked("氏名", name, 60) if name else None
    async with pool.acquire() as conn:
        company = await repo.company_by_name(conn, company_name)
        if company is None:
            raise UnknownCompany(company_name)
        existing = await repo.user_by_login(conn, login_id)
        if existing is None:
            password_hash = await asyncio.to_thread(hash_secret, password)
            new_id = await repo.insert_user(
                conn, login_id=login_id, password_hash=password_hash, company_id=company["id"], display_name=name
            )
            if new_id:
                return new_id
            existing = await repo.user_by_login(conn, login_id)
        if existing["company_id"] != company["id"]:
            raise ValueError(f"login_id {login_id!r} already belongs to another company")
        return existing["id"]


async def login(
    pool: asyncpg.Pool,
    *,
    login_id: str,
    password: str,
    ttl: timedelta,
    source: str = "unknown",
    idle_timeout: timedelta | None = None,
) -> str:
    """A new session token (the API's bearer token, or with `idle_timeout` a web session's cookie).

    The same failure (and the same work) for an unknown id and a wrong password. Failures are counted
    per login id and per source address; past the free ones, LoginThrottled says how long to wait,
    before any password is checked (so a throttled guess learns nothing)."""
    async with pool.acquire() as conn:
        by_login, by_source, now = await login_failures.recent(conn, login_id, source, LOGIN_THROTTLE.window_seconds)
        wait = login_wait(by_login, by_source, now)
        if wait:
            log.warning("login throttled", login_id=login_id, source=source, retry_after=wait)
            raise LoginThrottled(wait)
        user = await repo.user_by_login(conn, login_id)
        stored = user["password_hash"] if user else None
        if not await asyncio.to_thread(verify_secret, stored, password):
            await login_failures.record(conn, login_id, source)
            log.info("login failed", login_id=login_id, source=source)
            raise LoginFailed()
        token, digest = new_token()
        idle = int(idle_timeout.total_seconds()) if idle_timeout else None
        async with conn.transaction():
            await repo.insert_session(
                conn, digest, user["id"], datetime.now(timezone.utc) + ttl, idle_timeout_seconds=idle
            )
            await repo.record_login(conn, user["id"])
            await login_failures.clear(conn, login_id)
        return token


async def current_user(pool: asyncpg.Pool, token: str, *, touch: bool = False) -> CurrentUser:
    """`touch`: a web page request, which restarts the session's idle clock."""
    async with pool.acquire() as conn:
        row = await repo.session_user(conn, token_digest(token), touch=touch)
    if row is None:
        raise NotAuthenticated()
    if row["expired"]:
        raise NotAuthenticated(expired=True)
    return CurrentUser(
        row["user_id"],
        row["login_id"],
        row["display_name"],
        row["company_id"],
        company_name=row["company_name"],
        previous_login_at=row["previous_login_at"],
    )


async def logout(pool: asyncpg.Pool, token: str) -> None:
    """Ends the session at once (its token no longer works anywhere)."""
    async with pool.acquire() as conn:
        await repo.revoke_session(conn, token_digest(token))


async def set_send_password(pool: asyncpg.Pool, *, company_name: str, password: str | None) -> UUID:
    """送信パスワード of the company (Argon2id); None clears it (whoever prepares then also sends)."""
    password_hash = await asyncio.to_thread(hash_secret, password) if password is not None else None
    async with pool.acquire() as conn:
        company_id = await repo.set_send_password_hash(conn, company_name, password_hash)
    if company_id is None:
        raise UnknownCompany(company_name)
    return company_id


async def company_has_send_password(pool: asyncpg.Pool, company_id: UUID) -> bool:
    """送信 asks for the 送信パスワード only when the company has one."""
    async with pool.acquire() as conn:
        company = await repo.company_by_id(conn, company_id)
    return bool(company and company["send_password_hash"])
