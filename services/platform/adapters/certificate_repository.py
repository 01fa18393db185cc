"""Certificate versions in the platform schema."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from shared.events import CertificateContent, CertificateIssuedV1
from services.platform.domain.status import Ending


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


# Parsed contents by content_digest (its SHA-256, checked on arrival; CertificateContent is frozen): a
# certificate opened again is not validated again. Oldest out first past the bound.
_PARSED: dict[str, CertificateContent] = {}
_PARSED_MAX = 4096


def _content(digest: str, raw: dict) -> CertificateContent:
    if (found := _PARSED.get(digest)) is None:
        found = _PARSED[digest] = CertificateContent.model_validate(raw)
        if len(_PARSED) > _PARSED_MAX:
            del _PARSED[next(iter(_PARSED))]
    return found


_VERSIONS = """
    SELECT v.contract_number, v.version, v.version_label, v.product, v.application_id, v.content, v.content_digest,
           v.auth_key_hash, v.obligee_code, v.arrived_at{ending}
    FROM certificate_versions v{join} WHERE v.contract_number = {number} ORDER BY v.version
"""
_VERSION_FIELDS = frozenset(StoredVersion.__dataclass_fields__)


def _stored(row: asyncpg.Record) -> StoredVersion:
    fields = {k: v for k, v in row.items() if k in _VERSION_FIELDS}
    return StoredVersion(**{**fields, "content": _content(row["content_digest"], row["content"])})


async def versions_of(conn: asyncpg.Connection, contract_number: str) -> list[StoredVersion]:
    """Every version of a contract, oldest first (empty when the number is unknown)."""
    rows = await conn.fetch(_VERSIONS.format(ending="", join="", number="$1"), contract_number)
    return [_stored(row) for row in rows]


def versions_and_ending_query(number: str) -> str:
    """versions_of's query with the certificate's ending (期間満了 / 解約, certificate_endings) on each row,
    the number as the parameter `number` (e.g. "$4"), for a statement that reads them in its round trip."""
    return _VERSIONS.format(
        ending=", e.status AS ending_status, e.ended_on AS ending_on",
        join=" LEFT JOIN certificate_endings e ON e.contract_number = v.contract_number",
        number=number,
    )


def versions_and_ending(rows: list[asyncpg.Record]) -> tuple[list[StoredVersion], Ending | None]:
    """The rows of versions_and_ending_query (a row without a contract_number, as a LEFT JOIN gives, is none)."""
    rows = [row for row in rows if row["contract_number"] is not None]
    ending = Ending(rows[0]["ending_status"], rows[0]["ending_on"]) if rows and rows[0]["ending_status"] else None
    return [_stored(row) for row in rows], ending
