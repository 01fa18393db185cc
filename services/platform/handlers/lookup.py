"""An orderer opens a certificate with 保証契約番号 + 認証キー (閲覧).

Wrong key, unknown number and another orderer's certificate end the same way, after the same work
(an Argon2 verification against a dummy hash when the number is unknown), and each counts as a
failure; too many failures in the window refuse every lookup of that user for a while.
"""

import asyncio
from dataclasses import dataclass

import asyncpg

from shared.auth import verify_auth_key
from services.platform.adapters import certificate_repository, failure_repository
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
            failures, now = await failure_repository.recent_failures(conn, user.id, settings.lookup_window_seconds)
            wait = retry_after(
                failures,
                now,
                max_failures=settings.lookup_max_failures,
                window_seconds=settings.lookup_window_seconds,
            )
            if wait is None:
                versions = await certificate_repository.versions_of(conn, contract_number)
                latest = versions[-1] if versions else None
                key_ok = await asyncio.to_thread(verify_auth_key, latest.auth_key_hash if latest else None, auth_key)
                allowed = key_ok and latest.obligee_code == user.organisation.code
                if not allowed:
                    # Recorded and committed before the failure is reported.
                    await failure_repository.record_failure(conn, user.id, contract_number)
    if wait is not None:
        raise LookupThrottled(wait)
    if not allowed:
        raise LookupFailed()
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
