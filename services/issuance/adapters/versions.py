"""asyncpg access to the versions of a guarantee (新規, 変更-1, …): certificate_versions, append-only, and the
guarantee's row in certificates, which holds the latest version (migration 006)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from services.issuance.domain.model import Guarantee
from shared.events import CertificateContent, Product

DOCUMENTS = ("certificate_pdf", "key_notice_pdf")


@dataclass(frozen=True)
class StoredVersion:
    content: CertificateContent  # its contract_number and version say which
    application_id: UUID
    content_digest: str
    certificate_pdf: bytes
    issued_at: datetime
    key_notice_pdf: bytes | None = None  # electronic only


async def insert_version(conn: asyncpg.Connection, v: StoredVersion) -> None:
    await conn.execute(
        """
        INSERT INTO certificate_versions (contract_number, version, application_id, content, content_digest,
                                          certificate_pdf, key_notice_pdf, issued_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        """,
        v.content.contract_number,
        v.content.version,
        v.application_id,
        v.content.model_dump(mode="json"),
        v.content_digest,
        v.certificate_pdf,
        v.key_notice_pdf,
        v.issued_at,
    )


async def lock_guarantee(conn: asyncpg.Connection, contract_number: str) -> Guarantee | None:
    """The guarantee at its latest version, locked until the transaction ends: a second change of the same
    guarantee waits, then sees this one's version (and is outdated)."""
    row = await conn.fetchrow(
        """
        SELECT c.contract_number, c.contractor_company_id, c.product, c.certificate_format, c.version,
               c.content ->> 'obligee_code' AS obligee_code, c.advance_payment_contract_number,
               c.bid_bond_contract_number, c.converted_to, c.lapsed_at, c.auth_key, c.auth_key_hash,
               (SELECT (i.content ->> 'guaranteed_amount')::bigint FROM certificates i
                 WHERE i.advance_payment_contract_number = c.contract_number) AS intermediate_guaranteed_amount
          FROM certificates c
         WHERE c.contract_number = $1
           FOR UPDATE OF c
        """,
        contract_number,
    )
    if row is None:
        return None
    return Guarantee(
        contract_number=row["contract_number"],
        contractor_company_id=row["contractor_company_id"],
        product=Product(row["product"]),
        electronic=row["certificate_format"] == "electronic",
        version=row["version"],
        obligee_code=row["obligee_code"],
        advance_payment_contract_number=row["advance_payment_contract_number"],
        bid_bond_contract_number=row["bid_bond_contract_number"],
        intermediate_guaranteed_amount=row["intermediate_guaranteed_amount"],
        converted_to=row["converted_to"],
        lapsed=row["lapsed_at"] is not None,
        auth_key=row["auth_key"],
        auth_key_hash=row["auth_key_hash"],
    )


async def add_amendment(conn: asyncpg.Connection, v: StoredVersion) -> None:
    """Version N of a guarantee locked at N - 1 (lock_guarantee): the new version, and the guarantee's row
    now showing it. The 認証キー, the links and the older versions stay as they are."""
    await insert_version(conn, v)
    status = await conn.execute(
        """
        UPDATE certificates
           SET version = $2, content = $3, content_digest = $4, certificate_pdf = $5, key_notice_pdf = $6
         WHERE contract_number = $1 AND version = $2 - 1
        """,
        v.content.contract_number,
        v.content.version,
        v.content.model_dump(mode="json"),
        v.content_digest,
        v.certificate_pdf,
        v.key_notice_pdf,
    )
    if status != "UPDATE 1":  # the row lock said it was at N - 1: this is a bug, roll back
        raise RuntimeError(f"{v.content.contract_number} is not at version {v.content.version - 1} ({status})")


async def find_document(
    conn: asyncpg.Connection | asyncpg.Pool, contract_number: str, company_id: UUID, column: str, version: int
) -> asyncpg.Record | None:
    """One PDF (certificate_pdf, key_notice_pdf) of one version of a certificate of this company, else None
    (also for a version it does not have, and for the key notice of a paper certificate)."""
    if column not in DOCUMENTS:
        raise ValueError(column)
    return await conn.fetchrow(
        f"SELECT v.contract_number, v.version, v.{column} AS value"
        "  FROM certificate_versions v JOIN certificates c USING (contract_number)"
        f" WHERE v.contract_number = $1 AND c.contractor_company_id = $2 AND v.version = $3 AND v.{column} IS NOT NULL",
        contract_number,
        company_id,
        version,
    )
