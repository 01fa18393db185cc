"""お知らせ from the orderer (変更依頼 / 解除確認), keyed by 保証契約番号 alone: a request may arrive before
the contract row, and is joined to the company's contracts when read (a contract is visible only through
its company)."""

from datetime import datetime
from uuid import UUID

import asyncpg


async def insert(
    conn: asyncpg.Connection, *, request_id: UUID, contract_number: str, version: int, kind: str,
    organisation_name: str, message: str | None, grounds: list[str], requested_at: datetime,
) -> bool:
    """One request, once: False when this request_id is already here (a copy with a new event id)."""
    return bool(await conn.fetchval(
        """
        INSERT INTO orderer_requests (request_id, contract_number, version, kind, organisation_name, message, grounds,
            requested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (request_id) DO NOTHING RETURNING true
        """,
        request_id, contract_number, version, kind, organisation_name, message, grounds, requested_at,
    ))


_SELECT = """
    SELECT r.*, c.construction_name, c.product, v.version_label
    FROM orderer_requests r
    JOIN contracts c ON c.contract_number = r.contract_number
    LEFT JOIN certificate_versions v ON v.contract_number = r.contract_number AND v.version = r.version
"""


async def for_company(conn: asyncpg.Connection, company_id: UUID, limit: int) -> tuple[list[asyncpg.Record], int]:
    """The company's お知らせ, newest first (at most `limit`), and how many there are in all."""
    rows = await conn.fetch(
        _SELECT + f" WHERE c.company_id = $1 ORDER BY r.requested_at DESC, r.request_id LIMIT {int(limit)}", company_id
    )
    total = await conn.fetchval(
        "SELECT count(*) FROM orderer_requests r JOIN contracts c ON c.contract_number = r.contract_number"
        " WHERE c.company_id = $1",
        company_id,
    )
    return rows, total


async def for_contract(conn: asyncpg.Connection, contract_number: str, company_id: UUID) -> list[asyncpg.Record]:
    """One contract's requests (only through its company), newest first."""
    return await conn.fetch(
        _SELECT + " WHERE c.contract_number = $1 AND c.company_id = $2 ORDER BY r.requested_at DESC, r.request_id",
        contract_number,
        company_id,
    )
