"""Orderer organisations and users (created by operators with the CLI), login and bearer tokens."""

import asyncio

import asyncpg

from shared.auth import hash_secret, new_token, token_digest, verify_secret
from services.platform.adapters import account_repository
from services.platform.domain.accounts import OrdererUser, Organisation


class UnknownOrganisation(LookupError):
    pass


class UserBelongsElsewhere(ValueError):
    pass


async def create_organisation(pool: asyncpg.Pool, code: str, name: str) -> tuple[Organisation, bool]:
    """Idempotent: (organisation, created?); an existing code is left as it is."""
    async with pool.acquire() as conn, conn.transaction():
        return await account_repository.ensure_organisation(conn, code, name)


async def create_user(pool: asyncpg.Pool, organisation_code: str, login_id: str, password: str) -> tuple[OrdererUser, bool]:
    """Idempotent: (user, created?); an existing login id keeps its password, and must be of that organisation."""
    password_hash = await asyncio.to_thread(hash_secret, password)
    async with pool.acquire() as conn, conn.transaction():
        organisation = await account_repository.organisation_by_code(conn, organisation_code)
        if organisation is None:
            raise UnknownOrganisation(f"no organisation with code {organisation_code!r}")
        created = await account_repository.insert_user(conn, login_id, password_hash, organisation.id)
        user, _ = await account_repository.user_with_hash(conn, login_id)
    if user.organisation.code != organisation_code:
        raise UserBelongsElsewhere(f"user {login_id!r} belongs to {user.organisation.code!r}")
    return user, created


async def login(pool: asyncpg.Pool, login_id: str, password: str, *, ttl_seconds: int) -> str | None:
    """A new bearer token, or None; an unknown login id costs the same as a wrong password."""
    async with pool.acquire() as conn:
        found = await account_repository.user_with_hash(conn, login_id)
    user, stored_hash = found if found else (None, None)
    if not await asyncio.to_thread(verify_secret, stored_hash, password):
        return None
    token, digest = new_token()
    async with pool.acquire() as conn, conn.transaction():
        await account_repository.insert_token(conn, digest, user.id, ttl_seconds)
    return token


async def authenticate(pool: asyncpg.Pool, token: str) -> OrdererUser | None:
    async with pool.acquire() as conn:
        return await account_repository.user_by_token(conn, token_digest(token))
