"""The organisation's 保証確認台帳 (register) and 閲覧履歴 (viewing log) in the platform schema."""

from uuid import UUID

import asyncpg


async def record_view(
    conn: asyncpg.Connection, user_id: UUID, organisation_id: UUID, contract_number: str, version: int | None, ok: bool
) -> bool:
    """One line of 閲覧履歴; a successful opening also enters or refreshes the register.
    True when this was the organisation's first opening of the certificate."""
    await conn.execute(
        "INSERT INTO viewing_log (organisation_id, user_id, contract_number, version, succeeded)"
        " VALUES ($1, $2, $3, $4, $5)",
        organisation_id,
        user_id,
        contract_number[:64],
        version,
        ok,
    )
    if not ok:
        return False
    return await conn.fetchval(
        """
        INSERT INTO register_entries (organisation_id, contract_number, first_viewed_at, first_viewed_by,
            last_viewed_at, last_viewed_by, last_viewed_version)
        VALUES ($1, $2, now(), $3, now(), $3, $4)
        ON CONFLICT (organisation_id, contract_number) DO UPDATE SET
            last_viewed_at = now(), last_viewed_by = EXCLUDED.last_viewed_by,
            last_viewed_version = greatest(register_entries.last_viewed_version, EXCLUDED.last_viewed_version)
        RETURNING (xmax = 0) AS first_view
        """,
        organisation_id,
        contract_number,
        user_id,
        version,
    )


# A repeat opening in one statement (one round trip, one commit): the register entry is refreshed, and only
# if it was there, the claim withdrawn and the 閲覧履歴 line written (both wait on the UPDATE's RETURNING).
# Entries are never deleted, so a found entry means this is not the first opening.
_REPEAT_VIEW = """
    WITH refreshed AS (
        UPDATE register_entries SET last_viewed_at = now(), last_viewed_by = $3,
            last_viewed_version = greatest(last_viewed_version, $4)
        WHERE organisation_id = $2 AND contract_number = $5 RETURNING 1
    ), withdrawn AS (
        DELETE FROM lookup_failures WHERE id = $1 AND EXISTS (SELECT FROM refreshed)
    ), logged AS (
        INSERT INTO viewing_log (organisation_id, user_id, contract_number, version, succeeded)
        SELECT $2, $3, $5, $4, true FROM refreshed
    )
    SELECT EXISTS (SELECT FROM refreshed)
"""


async def record_repeat_view(
    conn: asyncpg.Connection, claim_id: int, user_id: UUID, organisation_id: UUID, contract_number: str, version: int
) -> bool:
    """A successful opening of a certificate already in the register, with its claim withdrawn, committed
    at once (call outside a transaction). False, and nothing written, when it is not in the register yet:
    then the caller records the first opening (record_view) and announces it in one transaction."""
    return await conn.fetchval(_REPEAT_VIEW, claim_id, organisation_id, user_id, version, contract_number)


async def record_decision(
    conn: asyncpg.Connection, user_id: UUID, organisation_id: UUID, contract_number: str, version: int,
    decision: str, reason: str | None,
):
    """The organisation's decision on a version: logged, and the register shows the latest. The time."""
    decided_at = await conn.fetchval(
        "INSERT INTO review_log (organisation_id, contract_number, version, decision, reason, decided_by)"
        " VALUES ($1, $2, $3, $4, $5, $6) RETURNING decided_at",
        organisation_id, contract_number, version, decision, reason, user_id,
    )
    await conn.execute(
        "UPDATE register_entries SET decision = $3, decision_version = $4, decision_reason = $5, decided_at = $6,"
        " decided_by = $7 WHERE organisation_id = $1 AND contract_number = $2",
        organisation_id, contract_number, decision, version, reason, decided_at, user_id,
    )
    return decided_at


async def holds(conn: asyncpg.Connection, organisation_id: UUID, contract_number: str) -> bool:
    """The organisation has opened this certificate with its key before (so it holds the key)."""
    return bool(
        await conn.fetchval(
            "SELECT 1 FROM register_entries WHERE organisation_id = $1 AND contract_number = $2",
            organisation_id,
            contract_number,
        )
    )


_ENTRY = """
    SELECT r.contract_number, r.first_viewed_at, r.last_viewed_at, r.last_viewed_version,
           r.decision, r.decision_version, r.decision_reason, r.decided_at,
           fu.display_name AS first_by_name, fu.login_id AS first_by_login,
           lu.display_name AS last_by_name, lu.login_id AS last_by_login,
           v.version AS latest_version, v.version_label AS latest_label, v.content, v.arrived_at AS latest_arrived_at
    FROM register_entries r
    JOIN users fu ON fu.id = r.first_viewed_by
    JOIN users lu ON lu.id = r.last_viewed_by
    JOIN LATERAL (SELECT * FROM certificate_versions cv WHERE cv.contract_number = r.contract_number
                  ORDER BY cv.version DESC LIMIT 1) v ON true
    WHERE r.organisation_id = $1
"""


async def entry(conn: asyncpg.Connection, organisation_id: UUID, contract_number: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM register_entries WHERE organisation_id = $1 AND contract_number = $2",
        organisation_id,
        contract_number,
    )


async def entries(conn: asyncpg.Connection, organisation_id: UUID, *, limit: int = 5000) -> list[asyncpg.Record]:
    """The whole register of an organisation, most recently viewed first (filters are applied by the handler)."""
    return await conn.fetch(_ENTRY + f" ORDER BY r.last_viewed_at DESC LIMIT {int(limit)}", organisation_id)

