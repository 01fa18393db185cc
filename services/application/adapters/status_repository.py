"""The end of a guarantee in the read model (contract_endings) and the company's 解約の申込
(cancellation_requests), migration 006. Both keyed by 保証契約番号; joined to contracts when read."""

from datetime import date, datetime
from uuid import UUID

import asyncpg

# Columns every read of `contracts c` adds (contracts_repository): the ending, if any.
ENDED_COLUMNS = (
    "(SELECT e.status FROM contract_endings e WHERE e.contract_number = c.contract_number) AS ended_status,"
    " (SELECT e.ended_on FROM contract_endings e WHERE e.contract_number = c.contract_number) AS ended_on"
)


async def record_ending(
    conn: asyncpg.Connection,
    *,
    contract_number: str,
    status: str,
    ended_on: date,
    company_id: UUID,
    ended_at: datetime,
    guarantee_expiry: date | None = None,
    request_id: UUID | None = None,
) -> bool:
    """True when this is news; a guarantee ends once (a copy under another event id changes nothing)."""
    row = await conn.fetchrow(
        """
        INSERT INTO contract_endings (contract_number, status, ended_on, guarantee_expiry, request_id, company_id, ended_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (contract_number) DO NOTHING RETURNING 1
        """,
        contract_number,
        status,
        ended_on,
        guarantee_expiry,
        request_id,
        company_id,
        ended_at,
    )
    return row is not None


async def ending(conn: asyncpg.Connection, contract_number: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM contract_endings WHERE contract_number = $1", contract_number)


async def insert_request(
    conn: asyncpg.Connection,
    *,
    request_id: UUID,
    contract_number: str,
    company_id: UUID,
    reason: str,
    reason_text: str | None,
    user_id: UUID,
    user_name: str,
) -> asyncpg.Record | None:
    """The new pending request; None when one is pending already (the unique index decides, also for two
    clicks at the same moment)."""
    return await conn.fetchrow(
        """
        INSERT INTO cancellation_requests (request_id, contract_number, company_id, reason, reason_text, requested_by,
                                           requested_by_name)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (contract_number) WHERE state = 'pending' DO NOTHING RETURNING *
        """,
        request_id,
        contract_number,
        company_id,
        reason,
        reason_text,
        user_id,
        user_name,
    )


async def latest_request(conn: asyncpg.Connection, contract_number: str, company_id: UUID) -> asyncpg.Record | None:
    """The company's newest request on the guarantee (pending, approved or refused)."""
    return await conn.fetchrow(
        "SELECT * FROM cancellation_requests WHERE contract_number = $1 AND company_id = $2"
        " ORDER BY requested_at DESC, request_id LIMIT 1",
        contract_number,
        company_id,
    )


async def decide_request(
    conn: asyncpg.Connection, request_id: UUID, *, state: str, decided_at: datetime, refusal_reason: str | None = None
) -> bool:
    """A pending request approved or refused; False when it was not pending (a redelivery, or unknown)."""
    status = await conn.execute(
        "UPDATE cancellation_requests SET state = $2, decided_at = $3, refusal_reason = $4"
        " WHERE request_id = $1 AND state = 'pending'",
        request_id,
        state,
        decided_at,
        refusal_reason,
    )
    return status == "UPDATE 1"
