"""利用者ID管理者: an organisation's own ID administrator manages its users — creates them (with an initial
password shown once, to be changed at the first login), resets a password (the same), disables or
re-enables a user, lifts a user's lookup throttle — and reads the 閲覧履歴 and these actions' record.
Operators create each organisation and its first administrator with the CLI. Every action is recorded."""

import asyncio
import re
import secrets
from dataclasses import dataclass

import asyncpg

from shared import text_policy
from shared.auth import hash_secret, verify_secret
from services.platform.adapters import account_repository as repo
from services.platform.domain import messages
from services.platform.domain.accounts import OrdererUser

# Initial and reset passwords: 12 characters without look-alikes (0/O, 1/l/I), read out or copied once.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
LOGIN_ID = re.compile(r"[A-Za-z0-9._-]{3,64}")
MIN_PASSWORD = 10


class NotAdministrator(PermissionError):
    pass


class NotMember(LookupError):
    """No such user in the administrator's organisation."""


class InvalidInput(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class IssuedPassword:
    login_id: str
    password: str  # shown to the administrator once; only its hash is kept


def new_password() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(12))


def _require_admin(user: OrdererUser) -> None:
    if not user.is_admin:
        raise NotAdministrator()


async def users(pool: asyncpg.Pool, admin: OrdererUser) -> list[asyncpg.Record]:
    _require_admin(admin)
    async with pool.acquire() as conn:
        return await repo.organisation_users(conn, admin.organisation.id)


async def create_user(pool: asyncpg.Pool, admin: OrdererUser, login_id: str, display_name: str) -> IssuedPassword:
    _require_admin(admin)
    login_id, display_name = login_id.strip(), display_name.strip()
    if not LOGIN_ID.fullmatch(login_id):
        raise InvalidInput("login_id", messages.ADMIN_LOGIN_ID_FORMAT)
    if not display_name or len(display_name) > 60:
        raise InvalidInput("display_name", messages.ADMIN_NAME_REQUIRED)
    # Printed on the 閲覧記録 of a certificate: the one character policy.
    if refused := text_policy.refused_characters(text_policy.normalise(display_name)):
        raise InvalidInput("display_name", messages.ADMIN_NAME_CHARACTERS.format(chars=text_policy.describe(refused)))
    display_name = text_policy.normalise(display_name)
    password = new_password()
    password_hash = await asyncio.to_thread(hash_secret, password)
    async with pool.acquire() as conn, conn.transaction():
        created = await repo.insert_user(
            conn, login_id, password_hash, admin.organisation.id, display_name, must_change_password=True
        )
        if not created:
            raise InvalidInput("login_id", messages.ADMIN_LOGIN_ID_TAKEN)
        await repo.record_admin_action(conn, admin.organisation.id, admin.id, "create_user", login_id)
    return IssuedPassword(login_id, password)


async def _member(conn: asyncpg.Connection, admin: OrdererUser, login_id: str) -> asyncpg.Record:
    row = await repo.member(conn, admin.organisation.id, login_id)
    if row is None:
        raise NotMember(login_id)
    return row


async def reset_password(pool: asyncpg.Pool, admin: OrdererUser, login_id: str) -> IssuedPassword:
    _require_admin(admin)
    password = new_password()
    password_hash = await asyncio.to_thread(hash_secret, password)
    async with pool.acquire() as conn, conn.transaction():
        member = await _member(conn, admin, login_id)
        await repo.set_password(conn, member["id"], password_hash, must_change=True)
        await repo.record_admin_action(conn, admin.organisation.id, admin.id, "reset_password", login_id)
    return IssuedPassword(login_id, password)


async def set_disabled(pool: asyncpg.Pool, admin: OrdererUser, login_id: str, disabled: bool) -> None:
    _require_admin(admin)
    async with pool.acquire() as conn, conn.transaction():
        member = await _member(conn, admin, login_id)
        if member["id"] == admin.id and disabled:
            raise InvalidInput("login_id", messages.ADMIN_NOT_SELF)
        await repo.set_disabled(conn, member["id"], disabled)
        await repo.record_admin_action(
            conn, admin.organisation.id, admin.id, "disable" if disabled else "enable", login_id
        )


async def unlock(pool: asyncpg.Pool, admin: OrdererUser, login_id: str) -> None:
    """Lifts the user's lookup throttle (its failed number/key checks are forgotten)."""
    _require_admin(admin)
    async with pool.acquire() as conn, conn.transaction():
        member = await _member(conn, admin, login_id)
        await repo.clear_lookup_failures(conn, member["id"])
        await repo.record_admin_action(conn, admin.organisation.id, admin.id, "unlock", login_id)


async def records(pool: asyncpg.Pool, admin: OrdererUser) -> tuple[list[asyncpg.Record], list[asyncpg.Record]]:
    """(閲覧履歴, the administrators' actions), newest first."""
    _require_admin(admin)
    async with pool.acquire() as conn:
        return await repo.viewing_log(conn, admin.organisation.id), await repo.admin_actions(conn, admin.organisation.id)


async def change_own_password(pool: asyncpg.Pool, user: OrdererUser, current: str, new: str, again: str) -> None:
    """The user's own change (required after a reset or at the first login); other sessions end."""
    if new != again:
        raise InvalidInput("new_password_again", messages.PASSWORD_MISMATCH)
    if len(new) < MIN_PASSWORD or len(new) > 256:
        raise InvalidInput("new_password", messages.PASSWORD_TOO_SHORT.format(minimum=MIN_PASSWORD))
    async with pool.acquire() as conn:
        found = await repo.user_with_hash(conn, user.login_id)
    stored = found[1] if found else None
    if not await asyncio.to_thread(verify_secret, stored, current):
        raise InvalidInput("current_password", messages.PASSWORD_CURRENT_WRONG)
    if new == current:
        raise InvalidInput("new_password", messages.PASSWORD_SAME)
    password_hash = await asyncio.to_thread(hash_secret, new)
    async with pool.acquire() as conn, conn.transaction():
        await repo.set_password(conn, user.id, password_hash, must_change=False)
        await repo.record_admin_action(conn, user.organisation.id, user.id, "change_password", user.login_id)
