"""The organisation's requests on certificates it holds (変更依頼 / 解除確認) in the platform schema."""

from uuid import UUID

import asyncpg


async def insert(
    conn: asyncpg.Connection, *, request_id: UUID, organisation_id: UUID, user_id: UUID, contract_number: str,
    version: int, kind: str, message: str | None, grounds: list[str],
):
    """One request as sent; returns its time (the database's, like every other record here)."""
    return await conn.fetchval(
        "INSERT INTO orderer_requests (id, organisation_id, contract_number, version, kind, message, grounds,"
        " requested_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING requested_at",
        request_id, organisation_id, contract_number, version, kind, message, grounds, user_id,
    )


async def of_certificate(conn: asyncpg.Connection, organisation_id: UUID, contract_number: str) -> list[asyncpg.Record]:
    """The organisation's requests on one certificate, newest first, with who sent each and the version's label."""
    return await conn.fetch(
        """
        SELECT r.id, r.kind, r.version, r.message, r.grounds, r.requested_at,
               coalesce(u.display_name, u.login_id) AS requested_by,
               coalesce(v.version_label, '') AS version_label
        FROM orderer_requests r
        JOIN users u ON u.id = r.requested_by
        LEFT JOIN certificate_versions v ON v.contract_number = r.contract_number AND v.version = r.version
        WHERE r.organisation_id = $1 AND r.contract_number = $2
        ORDER BY r.requested_at DESC, r.id
        """,
        organisation_id,
        contract_number,
    )
