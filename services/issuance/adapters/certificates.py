"""asyncpg access to issued certificates and rejections."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from shared.events import CertificateContent, RejectionReason


@dataclass(frozen=True)
class StoredCertificate:
    content: CertificateContent
    application_id: UUID
    contractor_company_id: UUID
    content_digest: str
    auth_key: str
    auth_key_hash: str
    certificate_pdf: bytes
    key_notice_pdf: bytes
    issued_at: datetime


async def add_certificate(conn: asyncpg.Connection, cert: StoredCertificate) -> None:
    await conn.execute(
        """
        INSERT INTO certificates (contract_number, application_id, contractor_company_id, product, version, content,
                                  content_digest, auth_key, auth_key_hash, certificate_pdf, key_notice_pdf, issued_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
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
    )


async def application_already_handled(conn: asyncpg.Connection, application_id: UUID) -> bool:
    """True when this application already got certificates or a rejection (under another event id)."""
    return bool(
        await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM certificates WHERE application_id = $1)"
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
    """One column (auth_key, certificate_pdf, key_notice_pdf) of a certificate of this company, else None."""
    if column not in ("auth_key", "certificate_pdf", "key_notice_pdf"):
        raise ValueError(column)
    return await conn.fetchrow(
        f"SELECT contract_number, {column} AS value FROM certificates"
        " WHERE contract_number = $1 AND contractor_company_id = $2",
        contract_number,
        company_id,
    )
