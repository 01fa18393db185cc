"""期間満了 / 解約 of the certificates (certificate_endings, migration 006), keyed by 保証契約番号."""

from datetime import date, datetime

import asyncpg


async def record_ending(
    conn: asyncpg.Connection,
    *,
    contract_number: str,
    status: str,
    ended_on: date,
    ended_at: datetime,
    event_id: str,
    guarantee_expiry: date | None = None,
) -> bool:
    """True when this is news: a certificate ends once (a copy under another event id changes nothing)."""
    row = await conn.fetchrow(
        """
        INSERT INTO certificate_endings (contract_number, status, ended_on, guarantee_expiry, ended_at, event_id)
        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (contract_number) DO NOTHING RETURNING 1
        """,
        contract_number,
        status,
        ended_on,
        guarantee_expiry,
        ended_at,
        event_id,
    )
    return row is not None


async def is_known(conn: asyncpg.Connection, contract_number: str) -> bool:
    return bool(await conn.fetchval("SELECT 1 FROM certificate_versions WHERE contract_number = $1 LIMIT 1", contract_number))


async def ending(conn: asyncpg.Connection | asyncpg.Pool, contract_number: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM certificate_endings WHERE contract_number = $1", contract_number)


async def endings(conn: asyncpg.Connection | asyncpg.Pool, contract_numbers: list[str]) -> dict[str, asyncpg.Record]:
    rows = await conn.fetch("SELECT * FROM certificate_endings WHERE contract_number = ANY($1::text[])", contract_numbers)
    return {r["contract_number"]: r for r in rows}
