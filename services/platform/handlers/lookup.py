"""An orderer opens a certificate with 保証契約番号 + 認証キー (閲覧).

Wrong key, unknown number and another orderer's certificate end the same way, after the same work
(an Argon2 verification against a dummy hash when the number is unknown), and each counts as a
failure. Too many failures in the window refuse lookups for a while: of that user, of that 保証契約番号
(whoever tries: many accounts cannot together guess one key) and of that organisation.

Every opening is written to the organisation's 閲覧履歴; a successful one enters the certificate in its
保証確認台帳, from which the organisation may re-open it without typing the key again.
"""

import asyncio
from dataclasses import dataclass

import asyncpg

from shared.auth import verify_auth_key
from services.platform.adapters.metrics import record_lookup
from services.platform.adapters import certificate_repository, failure_repository, register_repository
from services.platform.handlers import reviews
from services.platform.adapters.certificate_repository import StoredVersion
from services.platform.domain.accounts import LookupFailed, LookupThrottled, OrdererUser, VersionNotFound
from services.platform.domain.throttle import retry_after
from services.platform.domain.versions import HistoryEntry, history
from services.platform.settings import Settings


@dataclass(frozen=True)
class CertificateView:
    selected: StoredVersion
    history: list[HistoryEntry]


async def open_certificate(
    pool: asyncpg.Pool,
    settings: Settings,
    user: OrdererUser,
    *,
    contract_number: str,
    auth_key: str,
    version: int | None = None,
) -> CertificateView:
    async with pool.acquire() as conn:
        async with conn.transaction():
            await failure_repository.lock_user(conn, user.id)
            wait = await _wait(conn, settings, user, contract_number)
            if wait is None:
                versions = await certificate_repository.versions_of(conn, contract_number)
                latest = versions[-1] if versions else None
                key_ok = await asyncio.to_thread(verify_auth_key, latest.auth_key_hash if latest else None, auth_key)
                allowed = key_ok and latest.obligee_code == user.organisation.code
                if not allowed:
                    # Recorded and committed before the failure is reported.
                    await failure_repository.record_failure(conn, user.id, contract_number, user.organisation.id)
                known = {v.version for v in versions}
                shown = (version if version in known else latest.version) if allowed else None
                first = await register_repository.record_view(
                    conn, user.id, user.organisation.id, contract_number, shown, allowed
                )
                if first:  # 発注者閲覧: the contractor learns that the orderer has opened it
                    await reviews.announce_first_view(conn, user, contract_number, shown, await conn.fetchval("SELECT now()"))
    if wait is not None:
        record_lookup("throttled")
        raise LookupThrottled(wait)
    if not allowed:
        record_lookup("failed")
        raise LookupFailed()
    record_lookup("opened")
    if version is None:
        selected = latest
    else:
        selected = next((v for v in versions if v.version == version), None)
        if selected is None:
            raise VersionNotFound()
    return CertificateView(
        selected=selected,
        history=history([(v.version, v.version_label, v.arrived_at) for v in versions]),
    )


async def _wait(conn: asyncpg.Connection, settings: Settings, user: OrdererUser, contract_number: str) -> int | None:
    """Seconds before this user may try this number again (the longest of the three throttles), or None."""
    window = settings.lookup_window_seconds
    mine, now = await failure_repository.recent_failures(conn, user.id, window)
    on_number, in_organisation = await failure_repository.recent_failures_wider(
        conn, contract_number, user.organisation.id, now, window
    )
    waits = [
        retry_after(mine, now, max_failures=settings.lookup_max_failures, window_seconds=window),
        retry_after(on_number, now, max_failures=settings.lookup_number_max_failures, window_seconds=window),
        retry_after(
            in_organisation, now, max_failures=settings.lookup_organisation_max_failures, window_seconds=window
        ),
    ]
    found = [w for w in waits if w is not None]
    return max(found) if found else None


async def open_registered(
    pool: asyncpg.Pool, user: OrdererUser, contract_number: str, version: int | None = None
) -> CertificateView:
    """Re-open a certificate of the organisation's 保証確認台帳 without the key (it has shown it holds it).
    Anything not in the register ends as LookupFailed, like a wrong key."""
    async with pool.acquire() as conn, conn.transaction():
        if not await register_repository.holds(conn, user.organisation.id, contract_number):
            raise LookupFailed()
        versions = await certificate_repository.versions_of(conn, contract_number)
        if not versions or versions[-1].obligee_code != user.organisation.code:
            raise LookupFailed()
        selected = versions[-1] if version is None else next((v for v in versions if v.version == version), None)
        if selected is None:
            raise VersionNotFound()
        await register_repository.record_view(conn, user.id, user.organisation.id, contract_number, selected.version, True)
    return CertificateView(
        selected=selected, history=history([(v.version, v.version_label, v.arrived_at) for v in versions])
    )
