"""Contractor companies and users (CLI), login and the current user (HTTP)."""

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from uuid import UUID

import asyncpg

from shared.auth import hash_secret, new_token, token_digest, verify_secret
from services.application.adapters import accounts_repository as repo


class UnknownCompany(LookupError):
    pass


class LoginFailed(Exception):
    pass


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


async def create_company(pool: asyncpg.Pool, *, name: str, address: str) -> UUID:
    """Idempotent by name: the existing company's id when there is one."""
    async with pool.acquire() as conn:
        new_id = await repo.insert_company(conn, name, address)
        if new_id:
            return new_id
        return (await repo.company_by_name(conn, name))["id"]


async def create_user(
    pool: asyncpg.Pool, *, company_name: str, login_id: str, password: str, name: str | None = None
) -> UUID:
    """Idempotent by login_id: an existing user is left as it is (same company required)."""
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


async def login(pool: asyncpg.Pool, *, login_id: str, password: str, ttl: timedelta) -> str:
    """A new bearer token; the same failure (and the same work) for an unknown id and a wrong password."""
    async with pool.acquire() as conn:
        user = await repo.user_by_login(conn, login_id)
        stored = user["password_hash"] if user else None
        if not await asyncio.to_thread(verify_secret, stored, password):
            raise LoginFailed()
        token, digest = new_token()
        await repo.insert_session(conn, digest, user["id"], datetime.now(timezone.utc) + ttl)
        return token


async def current_user(pool: asyncpg.Pool, token: str) -> CurrentUser:
    async with pool.acquire() as conn:
        row = await repo.session_user(conn, token_digest(token))
    if row is None:
        raise NotAuthenticated()
    if row["expired"]:
        raise NotAuthenticated(expired=True)
    return CurrentUser(row["user_id"], row["login_id"], row["display_name"], row["company_id"])


async def set_send_password(pool: asyncpg.Pool, *, company_name: str, password: str | None) -> UUID:
    """送信パスワード of the company (Argon2id); None clears it (whoever prepares then also sends)."""
    password_hash = await asyncio.to_thread(hash_secret, password) if password is not None else None
    async with pool.acquire() as conn:
        company_id = await repo.set_send_password_hash(conn, company_name, password_hash)
    if company_id is None:
        raise UnknownCompany(company_name)
    return company_id
