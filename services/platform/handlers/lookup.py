"""An orderer opens a certificate with 保証契約番号 + 認証キー (閲覧).

Wrong key, unknown number and another orderer's certificate end the same way, after the same work
(an HMAC against the current secret when the number is unknown), and each counts as a failure. Too
many failures in the window refuse lookups for a while: of that user, of that 保証契約番号 (whoever
tries: many accounts cannot together guess one key) and of that organisation.

No lock serialises the checks. Each first claims a failure row, committed before it reads the counts;
the claim is withdrawn if the key was right. Far from the limits, every claim in flight counts as a
failure: of any set of checks allowed on, the one that read last saw every other's claim, so their
failures cannot exceed the limit. Near a limit, a check waits (milliseconds) for the claims made before
its own and then counts those. Parallel guesses are thus counted exactly, for all three throttles
(the old per-user lock covered only the user's), while right keys run side by side (docs/security.md).

Every opening is written to the organisation's 閲覧履歴; a successful one enters the certificate in its
保証確認台帳, from which the organisation may re-open it without typing the key again.
"""

import asyncio
from dataclasses import dataclass

import asyncpg

from shared.auth import is_legacy_auth_key_hash, verify_auth_key
from services.platform.adapters.metrics import record_lookup
from services.platform.adapters import certificate_repository, failure_repository, register_repository
from services.platform.handlers import reviews
from services.platform.adapters.certificate_repository import StoredVersion
from services.platform.domain.accounts import LookupFailed, LookupThrottled, OrdererUser, VersionNotFound
from services.platform.domain.status import Ending
from services.platform.domain.throttle import retry_after
from services.platform.domain.versions import HistoryEntry, history
from services.platform.settings import Settings


@dataclass(frozen=True)
class CertificateView:
    selected: StoredVersion
    history: list[HistoryEntry]
    ending: Ending | None = None  # 期間満了 / 解約, read with the versions by open_certificate


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
        return await open_certificate_on(
            conn, settings, user, contract_number=contract_number, auth_key=auth_key, version=version
        )


async def open_certificate_on(
    conn: asyncpg.Connection,
    settings: Settings,
    user: OrdererUser,
    *,
    contract_number: str,
    auth_key: str,
    version: int | None = None,
) -> CertificateView:
    """open_certificate on a connection outside a transaction (each step commits on its own)."""
    # The claim, committed, with the certificate read in the same round trip (used only if not refused).
    claim, versions, ending = await failure_repository.claim_reading(
        conn, user.id, contract_number, user.organisation.id
    )
    ended = False
    try:
        wait = await _wait(conn, settings, user, contract_number, claim)
        if wait is None:
            latest = versions[-1] if versions else None
            stored_hash = latest.auth_key_hash if latest else None
            if is_legacy_auth_key_hash(stored_hash):  # Argon2 (about 30 ms): off the event loop
                key_ok = await asyncio.to_thread(verify_auth_key, stored_hash, auth_key)
            else:
                key_ok = verify_auth_key(stored_hash, auth_key)
            allowed = key_ok and latest.obligee_code == user.organisation.code
            known = {v.version for v in versions}
            shown = (version if version in known else latest.version) if allowed else None
            await _end_check(conn, user, contract_number, claim, shown, allowed)
        else:
            await failure_repository.withdraw(conn, claim)
        ended = True
    finally:
        if not ended:  # broke off before an answer: nothing was learnt, so it is no failure
            await asyncio.shield(_withdraw_quietly(conn, claim))
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
        ending=ending,
    )


async def _end_check(
    conn: asyncpg.Connection, user: OrdererUser, contract_number: str, claim: int, shown: int | None, allowed: bool
) -> None:
    """The claim withdrawn (right key) or kept as the failure, and the 閲覧履歴 line, committed together."""
    if allowed and await register_repository.record_repeat_view(
        conn, claim, user.id, user.organisation.id, contract_number, shown
    ):
        return  # the usual case, in the register already: one statement, one commit
    async with conn.transaction():
        if allowed:
            await failure_repository.withdraw(conn, claim)
        else:  # committed before the failure is reported
            await failure_repository.settle_as_failure(conn, claim)
        first = await register_repository.record_view(conn, user.id, user.organisation.id, contract_number, shown, allowed)
        if first:  # 発注者閲覧: the contractor learns that the orderer has opened it
            await reviews.announce_first_view(conn, user, contract_number, shown, await conn.fetchval("SELECT now()"))


# Waits for earlier claims in flight (a check takes a few milliseconds): about 1.3 s in all.
_IN_FLIGHT_WAITS = (0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64)


async def _wait(conn: asyncpg.Connection, settings: Settings, user: OrdererUser, contract_number: str, claim: int) -> int | None:
    """Seconds before this user may try this number again (the longest of the three throttles), or None.

    Far from the limits, every claim in flight counts as a failure and nobody waits (the last reader
    saw all the others). Near a limit, the check waits for the claims made before its own (smaller id)
    and counts only those: without that order, checks would wait for each other. It pauses at least
    once, so a smaller id whose statement had not yet committed at the first read is seen."""
    recent, now = await _recent(conn, settings, user, contract_number, claim)
    if (wait := _longest_wait(settings, recent, now, earlier_than=None)) is not None:
        return wait
    if _longest_wait(settings, recent, now, earlier_than=float("inf")) is None:
        return None
    for pause in _IN_FLIGHT_WAITS:
        await asyncio.sleep(pause)
        recent, now = await _recent(conn, settings, user, contract_number, claim)
        if (wait := _longest_wait(settings, recent, now, earlier_than=None)) is not None:
            return wait
        if not any(i < claim for scope in recent.values() for i, _ in scope.in_flight):
            break
    # Earlier claims still in flight after the waits count as failures (e.g. of a process that died).
    return _longest_wait(settings, recent, now, earlier_than=claim)


async def _recent(conn, settings: Settings, user: OrdererUser, contract_number: str, claim: int):
    return await failure_repository.recent_checks(
        conn, user.id, contract_number, user.organisation.id, settings.lookup_window_seconds, excluding=claim
    )


def _longest_wait(settings: Settings, recent: dict, now, *, earlier_than: float | None) -> int | None:
    """The longest wait counting ended failures and the claims in flight with an id below `earlier_than`
    (None: no claim, inf: every claim)."""
    limits = {
        "user": settings.lookup_max_failures,
        "number": settings.lookup_number_max_failures,
        "organisation": settings.lookup_organisation_max_failures,
    }
    waits = []
    for scope, limit in limits.items():
        counted = [at for i, at in recent[scope].in_flight if earlier_than is not None and i < earlier_than]
        waits.append(retry_after(recent[scope].failures + counted, now, max_failures=limit,
                                 window_seconds=settings.lookup_window_seconds))
    found = [w for w in waits if w is not None]
    return max(found) if found else None


async def _withdraw_quietly(conn: asyncpg.Connection, claim: int) -> None:
    try:
        await failure_repository.withdraw(conn, claim)
    except Exception:  # noqa: BLE001 - a claim left behind only counts as a failure until the window ends
        pass


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
