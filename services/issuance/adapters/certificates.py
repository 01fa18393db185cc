"""asyncpg access to issued certificates (one row per guarantee, at its latest version) and rejections."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from services.issuance.adapters.versions import StoredVersion, insert_version
from services.issuance.domain.model import LinkedCertificate
from shared.events import CertificateContent, Product, RejectionReason


@dataclass(frozen=True)
class StoredCertificate:
    content: CertificateContent
    application_id: UUID
    contractor_company_id: UUID
    content_digest: str
    certificate_pdf: bytes | None  # None: rendered after the commit (pdf_jobs)
    issued_at: datetime
    # Electronic only: a paper original (content.electronic false) has no 認証キー and no key notice.
    auth_key: str | None = None
    auth_key_hash: str | None = None
    key_notice_pdf: bytes | None = None


async def add_certificate(conn: asyncpg.Connection, cert: StoredCertificate) -> None:
    """A new guarantee (新規): its row and its version 0."""
    await conn.execute(
        """
        INSERT INTO certificates (contract_number, application_id, contractor_company_id, product, version, content,
                                  content_digest, auth_key, auth_key_hash, certificate_pdf, key_notice_pdf, issued_at,
                                  certificate_format, advance_payment_contract_number, bid_bond_contract_number)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
        """,
        cert.content.contract_number,
        cert.application_id,
        cert.contractor_company_id,
        cert.content.product.value,
        cert.content.version,
        cert.content.model_dump(mode="json"),
        cert.content_digest,
        cert.auth_key,
        cert.auth_key_hash,
        cert.certificate_pdf,
        cert.key_notice_pdf,
        cert.issued_at,
        "electronic" if cert.content.electronic else "paper",
        cert.content.advance_payment_contract_number,
        cert.content.bid_bond_contract_number,
    )
    await insert_version(
        conn,
        StoredVersion(
            content=cert.content,
            application_id=cert.application_id,
            content_digest=cert.content_digest,
            certificate_pdf=cert.certificate_pdf,
            issued_at=cert.issued_at,
            key_notice_pdf=cert.key_notice_pdf,
        ),
    )


async def lock_linked(conn: asyncpg.Connection, numbers: set[str]) -> dict[str, LinkedCertificate]:
    """The certificates an application refers to, locked until the transaction ends: a second
    application naming the same 前払金 or bond waits and then sees this one's 中間前払金 or conversion."""
    if not numbers:
        return {}
    rows = await conn.fetch(
        """
        SELECT c.contract_number, c.contractor_company_id, c.product, c.content, c.converted_to, c.lapsed_at,
               (SELECT i.contract_number FROM certificates i
                 WHERE i.advance_payment_contract_number = c.contract_number) AS intermediate_contract_number
          FROM certificates c
         WHERE c.contract_number = ANY($1::text[])
           FOR UPDATE OF c
        """,
        sorted(numbers),  # one lock order for everybody
    )
    return {
        r["contract_number"]: LinkedCertificate(
            contract_number=r["contract_number"],
            contractor_company_id=r["contractor_company_id"],
            product=Product(r["product"]),
            obligee_code=r["content"]["obligee_code"],
            construction_name=r["content"]["construction_name"],
            guaranteed_amount=r["content"]["guaranteed_amount"],
            intermediate_contract_number=r["intermediate_contract_number"],
            converted_to=r["converted_to"],
            lapsed=r["lapsed_at"] is not None,
        )
        for r in rows
    }


async def record_conversion(conn: asyncpg.Connection, bid_bond_number: str, contract_number: str, application_id: UUID) -> None:
    """The 契約保証予約 became this 契約保証 (the bid was won)."""
    status = await conn.execute(
        "UPDATE certificates SET converted_to = $2, converted_by_application_id = $3"
        " WHERE contract_number = $1 AND product = 'bid_bond' AND converted_to IS NULL",
        bid_bond_number,
        contract_number,
        application_id,
    )
    if status != "UPDATE 1":  # acceptance checked it under the row lock: this is a bug, roll back
        raise RuntimeError(f"bid bond {bid_bond_number} could not be marked converted ({status})")


async def record_lapse(conn: asyncpg.Connection, bid_bond_number: str, company_id: UUID, at: datetime) -> str:
    """The bid was lost: the bond lapses. Returns 'lapsed', 'already' (lapsed before: a re-sent report),
    'converted' (too late: it became a 契約保証) or 'unknown' (no such bond of this company)."""
    row = await conn.fetchrow(
        "SELECT converted_to, lapsed_at FROM certificates"
        " WHERE contract_number = $1 AND product = 'bid_bond' AND contractor_company_id = $2 FOR UPDATE",
        bid_bond_number,
        company_id,
    )
    if row is None:
        return "unknown"
    if row["converted_to"] is not None:
        return "converted"
    if row["lapsed_at"] is not None:
        return "already"
    await conn.execute("UPDATE certificates SET lapsed_at = $2 WHERE contract_number = $1", bid_bond_number, at)
    return "lapsed"


async def application_already_handled(conn: asyncpg.Connection, application_id: UUID) -> bool:
    """True when this application already got certificates, a version (変更-N) or a rejection (under
    another event id)."""
    return bool(
        await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM certificate_versions WHERE application_id = $1)"
            " OR EXISTS (SELECT 1 FROM rejections WHERE application_id = $1)",
            application_id,
        )
    )


async def add_rejection(conn: asyncpg.Connection, application_id: UUID, reasons: list[RejectionReason], at: datetime) -> None:
    await conn.execute(
        "INSERT INTO rejections (application_id, reasons, rejected_at) VALUES ($1, $2, $3)",
        application_id,
        [r.model_dump() for r in reasons],
        at,
    )


async def find_for_company(
    conn: asyncpg.Connection | asyncpg.Pool, contract_number: str, company_id: UUID, column: str
) -> asyncpg.Record | None:
    """One column (auth_key, certificate_pdf, key_notice_pdf) of a certificate of this company, at its latest
    version, else None. A paper certificate has no auth_key nor key_notice_pdf: None too, like an unknown
    number. (An older version's PDFs: versions.find_document.)"""
    if column not in ("auth_key", "certificate_pdf", "key_notice_pdf"):
        raise ValueError(column)
    return await conn.fetchrow(
        f"SELECT contract_number, {column} AS value FROM certificates"
        f" WHERE contract_number = $1 AND contractor_company_id = $2 AND {column} IS NOT NULL",
        contract_number,
        company_id,
    )
