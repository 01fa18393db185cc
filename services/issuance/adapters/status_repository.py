"""asyncpg access to how guarantees end (guarantee_endings) and to the 解約の申込 (cancellation_requests),
migration 008. The guarantee itself is the row of `certificates` (its latest version's content)."""

from datetime import date
from uuid import UUID

import asyncpg

from services.issuance.domain.status import Ending
from shared.events import CancellationRequestedV1

# What an ending needs to know of a guarantee (and what its event carries).
_GUARANTEE = """
    c.contract_number, c.application_id, c.contractor_company_id, c.product, c.certificate_format,
    (c.content ->> 'guarantee_expiry')::date AS guarantee_expiry, c.issued_at
"""


async def due_for_expiry(conn: asyncpg.Connection, today: date, limit: int) -> list[asyncpg.Record]:
    """Guarantees in force whose latest 保証期限 is before `today`, locked until the transaction ends. Rows
    another transaction holds (another replica's batch, a 変更 being issued, an approval) are skipped: the
    next run takes them if they are still due."""
    return await conn.fetch(
        f"""
        SELECT {_GUARANTEE}
          FROM certificates c
         WHERE c.content ->> 'guarantee_expiry' < $1
           AND c.converted_to IS NULL AND c.lapsed_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM guarantee_endings e WHERE e.contract_number = c.contract_number)
         ORDER BY c.content ->> 'guarantee_expiry', c.contract_number
         LIMIT $2
           FOR UPDATE OF c SKIP LOCKED
        """,
        today.isoformat(),
        limit,
    )


async def lock_guarantee(conn: asyncpg.Connection, contract_number: str) -> asyncpg.Record | None:
    """The guarantee, locked until the transaction ends (the lock a 変更 and the expiry job take too)."""
    return await conn.fetchrow(
        f"SELECT {_GUARANTEE}, c.converted_to, c.lapsed_at FROM certificates c WHERE c.contract_number = $1 FOR UPDATE OF c",
        contract_number,
    )


async def ending_of(conn: asyncpg.Connection, contract_number: str) -> Ending | None:
    """Read in a statement of its own after the row lock, so that it sees an ending committed meanwhile."""
    row = await conn.fetchrow(
        "SELECT status, ended_on FROM guarantee_endings WHERE contract_number = $1", contract_number
    )
    return Ending(row["status"], row["ended_on"]) if row else None


async def insert_ending(
    conn: asyncpg.Connection,
    guarantee: asyncpg.Record,
    *,
    status: str,
    ended_on: date,
    event_id: str,
    request_id: UUID | None = None,
    done_by: str | None = None,
) -> bool:
    """True when this call ended the guarantee; False when it had ended already (nothing written)."""
    row = await conn.fetchrow(
        """
        INSERT INTO guarantee_endings (contract_number, status, ended_on, guarantee_expiry, request_id, done_by, event_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (contract_number) DO NOTHING RETURNING 1
        """,
        guarantee["contract_number"],
        status,
        ended_on,
        guarantee["guarantee_expiry"],
        request_id,
        done_by,
        event_id,
    )
    return row is not None


async def endings(conn: asyncpg.Connection | asyncpg.Pool, contract_numbers: list[str]) -> dict[str, asyncpg.Record]:
    rows = await conn.fetch("SELECT * FROM guarantee_endings WHERE contract_number = ANY($1::text[])", contract_numbers)
    return {r["contract_number"]: r for r in rows}


async def insert_request(
    conn: asyncpg.Connection, e: CancellationRequestedV1, *, refused_by: str | None = None, refusal: str | None = None
) -> None:
    """The request as received: pending, or already refused (`refused_by`, `refusal`)."""
    await conn.execute(
        """
        INSERT INTO cancellation_requests (request_id, contract_number, contractor_company_id, reason, reason_text,
                                           requested_by, requested_at, state, decided_by, decided_at, refusal_reason)
        VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8::text IS NULL THEN 'pending' ELSE 'refused' END, $8,
                CASE WHEN $8::text IS NULL THEN NULL ELSE now() END, $9)
        """,
        e.request_id,
        e.contract_number,
        e.contractor_company_id,
        e.reason.value,
        e.reason_text,
        e.requested_by,
        e.requested_at,
        refused_by,
        refusal,
    )


async def request_known(conn: asyncpg.Connection, request_id: UUID) -> bool:
    return bool(await conn.fetchval("SELECT 1 FROM cancellation_requests WHERE request_id = $1", request_id))


async def pending_request(conn: asyncpg.Connection, contract_number: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM cancellation_requests WHERE contract_number = $1 AND state = 'pending'", contract_number
    )


async def refuse_request(conn: asyncpg.Connection, request_id: UUID, *, by: str, reason: str) -> None:
    await conn.execute(
        "UPDATE cancellation_requests SET state = 'refused', decided_by = $2, decided_at = now(), refusal_reason = $3"
        " WHERE request_id = $1 AND state = 'pending'",
        request_id,
        by,
        reason,
    )


async def approve_request(conn: asyncpg.Connection, request_id: UUID, *, by: str, cancelled_on: date) -> None:
    await conn.execute(
        "UPDATE cancellation_requests SET state = 'approved', decided_by = $2, decided_at = now(), cancelled_on = $3"
        " WHERE request_id = $1 AND state = 'pending'",
        request_id,
        by,
        cancelled_on,
    )


async def requests(conn: asyncpg.Connection, *, state: str | None, limit: int = 500) -> list[asyncpg.Record]:
    """解約の申込, newest first (all, or those in one state)."""
    return await conn.fetch(
        "SELECT r.*, c.product, c.content ->> 'construction_name' AS construction_name"
        "  FROM cancellation_requests r JOIN certificates c USING (contract_number)"
        " WHERE ($1::text IS NULL OR r.state = $1) ORDER BY r.requested_at DESC LIMIT $2",
        state,
        limit,
    )
