"""The orderers' 変更依頼 / 解除確認 on this company's guarantees, as the platform told them."""

from datetime import datetime
from uuid import UUID

import asyncpg


async def issued_to(conn: asyncpg.Connection, contract_number: str, version: int) -> str | None:
    """The obligee_code of that issued version (the orderer it is addressed to), or None when there is none."""
    return await conn.fetchval(
        "SELECT content ->> 'obligee_code' FROM certificate_versions WHERE contract_number = $1 AND version = $2",
        contract_number,
        version,
    )


async def insert(
    conn: asyncpg.Connection, *, request_id: UUID, contract_number: str, version: int, kind: str,
    organisation_code: str, organisation_name: str, message: str | None, grounds: list[str], requested_at: datetime,
) -> bool:
    """One request, once: False when this request_id is already here."""
    return bool(await conn.fetchval(
        """
        INSERT INTO orderer_requests (request_id, contract_number, version, kind, organisation_code, organisation_name,
            message, grounds, requested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (request_id) DO NOTHING RETURNING true
        """,
        request_id, contract_number, version, kind, organisation_code, organisation_name, message, grounds,
        requested_at,
    ))


async def listing(conn: asyncpg.Connection | asyncpg.Pool, contract_number: str | None = None,
                  limit: int = 1000) -> list[asyncpg.Record]:
    """Newest first, of one guarantee or of all, with the guarantee's 工事名, product and contractor."""
    return await conn.fetch(
        f"""
        SELECT r.*, c.product, c.contractor_company_id, c.content ->> 'construction_name' AS construction_name,
               c.content -> 'contractor' ->> 'name' AS contractor_name
        FROM orderer_requests r JOIN certificates c ON c.contract_number = r.contract_number
        WHERE $1::text IS NULL OR r.contract_number = $1
        ORDER BY r.requested_at DESC, r.request_id LIMIT {int(limit)}
        """,
        contract_number,
    )
