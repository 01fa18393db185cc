"""Certificate versions in the platform schema."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from shared.events import CertificateContent, CertificateIssuedV1


@dataclass(frozen=True)
class StoredVersion:
    contract_number: str
    version: int
    version_label: str
    product: str
    application_id: UUID
    content: CertificateContent
    content_digest: str
    auth_key_hash: str
    obligee_code: str
    arrived_at: datetime


async def insert_arrival(conn: asyncpg.Connection, data: CertificateIssuedV1, *, event_id: str) -> datetime | None:
    """Store a version with arrived_at = the database time now; None if that version is already here."""
    return await conn.fetchval(
        """
        INSERT INTO certificate_versions (contract_number, version, version_label, product, application_id, content,
            content_digest, auth_key_hash, obligee_code, issued_at, arrived_at, event_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), $11)
        ON CONFLICT (contract_number, version) DO NOTHING
        RETURNING arrived_at
        """,
        data.contract_number,
        data.version,
        data.version_label,
        data.product.value,
        data.application_id,
        data.certificate.model_dump(mode="json"),
        data.content_digest,
        data.auth_key_hash,
        data.certificate.obligee_code,
        data.issued_at,
        event_id,
    )


async def stored_digest(conn: asyncpg.Connection, contract_number: str, version: int) -> str | None:
    return await conn.fetchval(
        "SELECT content_digest FROM certificate_versions WHERE contract_number = $1 AND version = $2",
        contract_number,
        version,
    )


async def versions_of(conn: asyncpg.Connection, contract_number: str) -> list[StoredVersion]:
    """Every version of a contract, oldest first (empty when the number is unknown)."""
    rows = await conn.fetch(
        """
        SELECT contract_number, version, version_label, product, application_id, content, content_digest,
               auth_key_hash, obligee_code, arrived_at
        FROM certificate_versions WHERE contract_number = $1 ORDER BY version
        """,
        contract_number,
    )
    return [
        StoredVersion(**{**dict(row), "content": CertificateContent.model_validate(row["content"])}) for row in rows
    ]
