"""The read model of issued contracts (保証契約一覧 / 電子保証概要) and their publication history.

The history is keyed by 保証契約番号 alone: CertificatePublished may arrive before CertificateIssued,
and the two are joined when read. A contract is visible only through its company. The list itself,
paged by key, is read in contract_list_repository.
"""

from typing import Any
from uuid import UUID

import asyncpg

from shared.events import CertificateIssuedV1, PaperCertificateIssuedV1
# 期間満了 / 解約 (ended_status, ended_on), kept by status_repository and joined here when read.
from services.application.adapters.status_repository import ENDED_COLUMNS


async def upsert_issued(
    conn: asyncpg.Connection,
    e: CertificateIssuedV1 | PaperCertificateIssuedV1,
    *,
    certificate_format: str,
    revision: int = 0,
) -> None:
    """Keeps the latest version (and of it the latest revision, a 訂正): an older one arriving late does not
    overwrite a newer one, and a copy of the one shown (redelivered under another event id) changes nothing,
    not even updated_at (最近のお手続き). The status (converted / lapsed of a bid bond) is this service's own
    and is never overwritten."""
    c = e.certificate
    await conn.execute(
        """
        INSERT INTO contracts (contract_number, product, application_id, company_id, contractor_name, jv_name,
            construction_name, orderer_name, contract_amount, guaranteed_amount, depository, content_digest,
            version, version_label, issued_at, certificate_format, orderer_code, period_start, period_end,
            advance_payment_contract_number, bid_bond_contract_number, revision)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
        ON CONFLICT (contract_number) DO UPDATE SET
            contractor_name = EXCLUDED.contractor_name, jv_name = EXCLUDED.jv_name,
            construction_name = EXCLUDED.construction_name, orderer_name = EXCLUDED.orderer_name,
            contract_amount = EXCLUDED.contract_amount, guaranteed_amount = EXCLUDED.guaranteed_amount,
            depository = EXCLUDED.depository, content_digest = EXCLUDED.content_digest,
            version = EXCLUDED.version, version_label = EXCLUDED.version_label, issued_at = EXCLUDED.issued_at,
            certificate_format = EXCLUDED.certificate_format, orderer_code = EXCLUDED.orderer_code,
            period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end,
            advance_payment_contract_number = EXCLUDED.advance_payment_contract_number,
            bid_bond_contract_number = EXCLUDED.bid_bond_contract_number,
            revision = EXCLUDED.revision,
            updated_at = now()
        WHERE (contracts.version, contracts.revision) < (EXCLUDED.version, EXCLUDED.revision)
          AND contracts.company_id = EXCLUDED.company_id
        """,
        e.contract_number,
        e.product.value,
        e.application_id,
        e.contractor_company_id,
        c.contractor.name,
        c.jv_name,
        c.construction_name,
        c.obligee.name,
        c.contract_amount,
        c.guaranteed_amount,
        c.depository,
        e.content_digest,
        e.version,
        e.version_label,
        e.issued_at,
        certificate_format,
        c.obligee_code,
        c.period_start,
        c.period_end,
        c.advance_payment_contract_number,
        c.bid_bond_contract_number,
        revision,
    )


async def insert_version(
    conn: asyncpg.Connection, e: CertificateIssuedV1 | PaperCertificateIssuedV1
) -> None:
    """The content of one issued version, as issued (the portal's certificate view shows exactly this)."""
    await conn.execute(
        """
        INSERT INTO certificate_versions (contract_number, version, version_label, content, content_digest, issued_at)
        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (contract_number, version) DO NOTHING
        """,
        e.contract_number,
        e.version,
        e.version_label,
        e.certificate.model_dump(mode="json"),
        e.content_digest,
        e.issued_at,
    )


async def version(conn: asyncpg.Connection, contract_number: str, version: int) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT v.*, h.published_at FROM certificate_versions v LEFT JOIN certificate_history h"
        " ON h.contract_number = v.contract_number AND h.version = v.version"
        " WHERE v.contract_number = $1 AND v.version = $2",
        contract_number,
        version,
    )


async def versions(conn: asyncpg.Connection, contract_number: str) -> list[asyncpg.Record]:
    """Every issued version with its arrival on the platform (NULL on paper or before it arrived)."""
    return await conn.fetch(
        "SELECT v.version, v.version_label, v.issued_at, v.content_digest, h.published_at"
        " FROM certificate_versions v LEFT JOIN certificate_history h"
        " ON h.contract_number = v.contract_number AND h.version = v.version"
        " WHERE v.contract_number = $1 ORDER BY v.version",
        contract_number,
    )


LATEST = "(SELECT max(h.published_at) FROM certificate_history h WHERE h.contract_number = c.contract_number)"


async def issued_since(conn: asyncpg.Connection, company_id: UUID, since: Any, limit: int) -> list[asyncpg.Record]:
    """最近のお手続き: the company's contracts issued (or converted / lapsed) since a moment, newest first."""
    return await conn.fetch(
        f"SELECT c.*, {LATEST} AS latest_published_at, {ENDED_COLUMNS} FROM contracts c"
        " WHERE c.company_id = $1 AND ($2::timestamptz IS NULL OR c.updated_at > $2)"
        f" ORDER BY c.updated_at DESC, c.contract_number LIMIT {int(limit)}",
        company_id,
        since,
    )


async def intermediate_recommended(conn: asyncpg.Connection, company_id: UUID, limit: int) -> list[asyncpg.Record]:
    """お勧め: 前払金保証 whose application said a 中間前払金 is planned (中間前払金の請求予定: あり)
    and that no 中間前払金保証 refers to yet."""
    return await conn.fetch(
        f"""
        SELECT c.*, {LATEST} AS latest_published_at, {ENDED_COLUMNS} FROM contracts c
        JOIN applications a ON a.id = c.application_id AND a.company_id = c.company_id
        WHERE c.company_id = $1 AND c.product = 'advance_payment' AND c.status = 'issued'
          AND NOT EXISTS (SELECT 1 FROM contract_endings e WHERE e.contract_number = c.contract_number)
          AND (a.form -> 'advance_payment' ->> 'intermediate_advance_claim_planned') IN ('あり', 'true')
          AND NOT EXISTS (SELECT 1 FROM contracts i WHERE i.advance_payment_contract_number = c.contract_number)
        ORDER BY c.issued_at DESC LIMIT {int(limit)}
        """,
        company_id,
    )


async def get_owned(conn: asyncpg.Connection, contract_number: str, company_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT c.*, {LATEST} AS latest_published_at, {ENDED_COLUMNS} FROM contracts c"
        " WHERE c.contract_number = $1 AND c.company_id = $2",
        contract_number,
        company_id,
    )


async def history(conn: asyncpg.Connection, contract_number: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT version, version_label, published_at FROM certificate_history WHERE contract_number = $1"
        " ORDER BY version",
        contract_number,
    )


async def for_application(conn: asyncpg.Connection, application_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT c.contract_number, c.product, c.version_label, c.certificate_format, {LATEST} AS published_at"
        " FROM contracts c"
        " WHERE c.application_id = $1 ORDER BY c.product",
        application_id,
    )


async def for_intermediate(conn: asyncpg.Connection, company_id: UUID, numbers: list[str]) -> list[asyncpg.Record]:
    """What 申込確認 checks a 中間前払金 against: the company's contracts `numbers` (the 前払金保証 a form names)
    and the 中間前払金保証 already filed on them, not the company's whole history."""
    if not numbers:
        return []
    return await conn.fetch(
        f"SELECT c.*, {LATEST} AS latest_published_at, {ENDED_COLUMNS} FROM contracts c WHERE c.company_id = $1"
        " AND (c.contract_number = ANY($2::text[]) OR c.advance_payment_contract_number = ANY($2::text[]))",
        company_id,
        numbers,
    )


async def lock_owned(conn: asyncpg.Connection, contract_number: str, company_id: UUID) -> asyncpg.Record | None:
    """The row, locked until the transaction ends (a bid bond is converted or lapses once)."""
    return await conn.fetchrow(
        "SELECT * FROM contracts WHERE contract_number = $1 AND company_id = $2 FOR UPDATE", contract_number, company_id
    )


async def set_status(
    conn: asyncpg.Connection, contract_number: str, status: str, *, converted_application_id: UUID | None = None
) -> None:
    await conn.execute(
        "UPDATE contracts SET status = $2, converted_application_id = $3, updated_at = now()"
        " WHERE contract_number = $1",
        contract_number,
        status,
        converted_application_id,
    )


async def record_orderer_view(conn: asyncpg.Connection, contract_number: str, organisation: str, viewed_at) -> None:
    """発注者閲覧: the earliest opening stands (a redelivery or a late copy changes nothing)."""
    await conn.execute(
        """
        INSERT INTO orderer_reviews (contract_number, organisation_name, first_viewed_at) VALUES ($1, $2, $3)
        ON CONFLICT (contract_number) DO UPDATE SET
            first_viewed_at = least(coalesce(orderer_reviews.first_viewed_at, EXCLUDED.first_viewed_at),
                                    EXCLUDED.first_viewed_at)
        """,
        contract_number,
        organisation,
        viewed_at,
    )


async def record_orderer_decision(
    conn: asyncpg.Connection, contract_number: str, organisation: str, decision: str, version: int,
    reason: str | None, decided_at,
) -> None:
    """The orderer's latest decision stands: an older one arriving late does not replace it."""
    await conn.execute(
        """
        INSERT INTO orderer_reviews (contract_number, organisation_name, decision, decision_version, decision_reason,
            decided_at) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (contract_number) DO UPDATE SET
            decision = EXCLUDED.decision, decision_version = EXCLUDED.decision_version,
            decision_reason = EXCLUDED.decision_reason, decided_at = EXCLUDED.decided_at
        WHERE orderer_reviews.decided_at IS NULL OR orderer_reviews.decided_at < EXCLUDED.decided_at
        """,
        contract_number,
        organisation,
        decision,
        version,
        reason,
        decided_at,
    )


async def orderer_review(conn: asyncpg.Connection, contract_number: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM orderer_reviews WHERE contract_number = $1", contract_number)
