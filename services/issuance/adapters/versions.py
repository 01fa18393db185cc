"""asyncpg access to the versions of a guarantee (新規, 変更-1, …): certificate_versions, append-only, and the
guarantee's row in certificates, which holds the latest version (migration 006)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from services.issuance.adapters import pdf_jobs
from services.issuance.domain.model import Guarantee
from shared.events import CertificateContent, Product

DOCUMENTS = ("certificate_pdf", "key_notice_pdf")


@dataclass(frozen=True)
class StoredVersion:
    content: CertificateContent  # its contract_number and version say which
    application_id: UUID
    content_digest: str
    certificate_pdf: bytes | None  # None until rendered (pdf_jobs, docs/pdf-rendering.md)
    issued_at: datetime
    key_notice_pdf: bytes | None = None  # electronic only; None until rendered
    revision: int = 0  # N: the N-th 訂正 of this version


async def insert_version(conn: asyncpg.Connection, v: StoredVersion) -> None:
    """The version row, and a pdf_jobs row for each of its documents not rendered yet (all of them, since
    issue 12: the PDFs are rendered after the commit, docs/pdf-rendering.md)."""
    await conn.execute(
        """
        INSERT INTO certificate_versions (contract_number, version, application_id, content, content_digest,
                                          certificate_pdf, key_notice_pdf, issued_at, revision)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        """,
        v.content.contract_number,
        v.content.version,
        v.application_id,
        v.content.model_dump(mode="json"),
        v.content_digest,
        v.certificate_pdf,
        v.key_notice_pdf,
        v.issued_at,
        v.revision,
    )
    if v.certificate_pdf is None:
        await pdf_jobs.add_jobs(conn, v.content, v.revision)


async def lock_guarantee(conn: asyncpg.Connection, contract_number: str) -> Guarantee | None:
    """The guarantee at its latest version, locked until the transaction ends: a second change of the same
    guarantee waits, then sees this one's version (and is outdated)."""
    row = await conn.fetchrow(
        """
        SELECT c.contract_number, c.contractor_company_id, c.product, c.certificate_format, c.version,
               c.content ->> 'obligee_code' AS obligee_code, c.advance_payment_contract_number,
               c.bid_bond_contract_number, c.converted_to, c.lapsed_at, c.auth_key, c.auth_key_hash, c.revision,
               (SELECT max(v.version) + 1 FROM certificate_versions v
                 WHERE v.contract_number = c.contract_number) AS next_version,
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
        revision=row["revision"],
        next_version=row["next_version"],
    )


async def add_amendment(conn: asyncpg.Connection, v: StoredVersion, *, base_version: int) -> None:
    """The next version of a guarantee locked at `base_version` (lock_guarantee): the new version, and the
    guarantee's row now showing it. The 認証キー, the links and the older versions stay as they are."""
    await insert_version(conn, v)
    await _show_latest(conn, v, was_version=base_version)


async def _show_latest(conn: asyncpg.Connection, v: StoredVersion, *, was_version: int) -> None:
    """The guarantee's row shows `v` (it showed version `was_version` until now, under the row lock)."""
    status = await conn.execute(
        """
        UPDATE certificates
           SET version = $2, revision = $7, content = $3, content_digest = $4, certificate_pdf = $5,
               key_notice_pdf = $6
         WHERE contract_number = $1 AND version = $8
        """,
        v.content.contract_number,
        v.content.version,
        v.content.model_dump(mode="json"),
        v.content_digest,
        v.certificate_pdf,
        v.key_notice_pdf,
        v.revision,
        was_version,
    )
    if status != "UPDATE 1":  # the row lock said it was at was_version: this is a bug, roll back
        raise RuntimeError(f"{v.content.contract_number} is not at version {was_version} ({status})")


_SHOWN = (
    "NOT EXISTS (SELECT 1 FROM version_changes x WHERE x.contract_number = v.contract_number"
    " AND x.version = v.version AND x.revision = v.revision)"
)


async def shown_versions(conn: asyncpg.Connection, contract_number: str) -> list[StoredVersion]:
    """The versions still shown (neither replaced by a 訂正 nor withdrawn), oldest first; one revision each."""
    rows = await conn.fetch(
        "SELECT v.* FROM certificate_versions v"
        f" WHERE v.contract_number = $1 AND {_SHOWN} ORDER BY v.version",
        contract_number,
    )
    return [
        StoredVersion(
            content=CertificateContent.model_validate(r["content"]),
            application_id=r["application_id"],
            content_digest=r["content_digest"],
            certificate_pdf=bytes(r["certificate_pdf"]) if r["certificate_pdf"] is not None else None,
            issued_at=r["issued_at"],
            key_notice_pdf=bytes(r["key_notice_pdf"]) if r["key_notice_pdf"] is not None else None,
            revision=r["revision"],
        )
        for r in rows
    ]


async def add_correction(
    conn: asyncpg.Connection, v: StoredVersion, *, replaces: StoredVersion, latest_version: int, by: str, reason: str
) -> None:
    """訂正: revision `v` replaces the shown revision `replaces` of the same version (guarantee locked, shown
    at `latest_version`). The guarantee's row follows when the corrected version is its latest."""
    await insert_version(conn, v)
    await conn.execute(
        "INSERT INTO version_changes (contract_number, version, revision, action, new_revision, done_by, reason)"
        " VALUES ($1, $2, $3, 'corrected', $4, $5, $6)",
        v.content.contract_number,
        v.content.version,
        replaces.revision,
        v.revision,
        by,
        reason,
    )
    if v.content.version == latest_version:
        await _show_latest(conn, v, was_version=latest_version)


async def withdraw_latest(
    conn: asyncpg.Connection, withdrawn: StoredVersion, *, in_force: StoredVersion, by: str, reason: str
) -> None:
    """変更取消: the latest shown version is no longer shown; the guarantee's row shows `in_force` again."""
    await conn.execute(
        "INSERT INTO version_changes (contract_number, version, revision, action, done_by, reason)"
        " VALUES ($1, $2, $3, 'withdrawn', $4, $5)",
        withdrawn.content.contract_number,
        withdrawn.content.version,
        withdrawn.revision,
        by,
        reason,
    )
    await _show_latest(conn, in_force, was_version=withdrawn.content.version)


async def changes_of(conn: asyncpg.Connection, contract_number: str) -> list[asyncpg.Record]:
    """What was corrected or withdrawn, by whom, when and why (oldest first)."""
    return await conn.fetch(
        "SELECT contract_number, version, revision, action, new_revision, done_by, reason, done_at"
        " FROM version_changes WHERE contract_number = $1 ORDER BY done_at, version, revision",
        contract_number,
    )


async def find_document(
    conn: asyncpg.Connection | asyncpg.Pool, contract_number: str, company_id: UUID, column: str, version: int | None
) -> asyncpg.Record | None:
    """One PDF (certificate_pdf, key_notice_pdf) of one version (the latest when `version` is None) of a
    certificate of this company, at its shown revision: contract_number, version, revision and value — NULL
    while it is not rendered yet (pdf_jobs). None for a version it does not have or that was withdrawn, and
    for the key notice of a paper certificate."""
    if column not in DOCUMENTS:
        raise ValueError(column)
    return await conn.fetchrow(
        f"SELECT v.contract_number, v.version, v.revision, v.{column} AS value"
        "  FROM certificate_versions v JOIN certificates c USING (contract_number)"
        " WHERE v.contract_number = $1 AND c.contractor_company_id = $2 AND v.version = coalesce($3, c.version)"
        f"   AND ($4 OR c.certificate_format = 'electronic') AND {_SHOWN}",
        contract_number,
        company_id,
        version,
        column == "certificate_pdf",
    )
