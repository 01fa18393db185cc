"""Applications (保証申込) in the `application` schema. Every read is scoped by company."""

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

_COLUMNS = (
    "id, company_id, status, form, problems, applied_products, rejection_reasons, correlation_id,"
    " submitted_at, created_at, updated_at, prepared_by, prepared_at, sent_by, sent_at, acknowledged_warnings"
)


async def insert(
    conn: asyncpg.Connection, *, application_id: UUID, company_id: UUID, user_id: UUID, form: dict
) -> asyncpg.Record:
    return await conn.fetchrow(
        f"INSERT INTO applications (id, company_id, created_by, status, form) VALUES ($1, $2, $3, 'draft', $4)"
        f" RETURNING {_COLUMNS}",
        application_id,
        company_id,
        user_id,
        form,
    )


async def get(
    conn: asyncpg.Connection, application_id: UUID, company_id: UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM applications WHERE id = $1 AND company_id = $2{lock}", application_id, company_id
    )


async def get_any(conn: asyncpg.Connection, application_id: UUID, *, for_update: bool = False) -> asyncpg.Record | None:
    """By id alone: for consumers, which act on behalf of the surety company."""
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT {_COLUMNS} FROM applications WHERE id = $1{lock}", application_id)


async def list_for_company(conn: asyncpg.Connection, company_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"SELECT {_COLUMNS} FROM applications WHERE company_id = $1 ORDER BY created_at DESC, id", company_id
    )


async def replace_form(conn: asyncpg.Connection, application_id: UUID, form: dict) -> asyncpg.Record:
    return await conn.fetchrow(
        f"UPDATE applications SET form = $2, status = 'draft', problems = NULL, updated_at = now()"
        f" WHERE id = $1 RETURNING {_COLUMNS}",
        application_id,
        form,
    )


async def record_confirmation(
    conn: asyncpg.Connection, application_id: UUID, *, status: str, form: dict, problems: list[dict]
) -> asyncpg.Record:
    return await conn.fetchrow(
        f"UPDATE applications SET status = $2, form = $3, problems = $4, updated_at = now()"
        f" WHERE id = $1 RETURNING {_COLUMNS}",
        application_id,
        status,
        form,
        problems,
    )


async def mark_awaiting_send(
    conn: asyncpg.Connection,
    application_id: UUID,
    *,
    form: dict,
    prepared_by: UUID,
    prepared_at: datetime,
    acknowledged_warnings: list[dict],
) -> asyncpg.Record:
    """送信待ち: prepared by one user, to be sent by one holding the company's send password."""
    return await conn.fetchrow(
        f"UPDATE applications SET status = 'awaiting_send', form = $2, problems = $5, acknowledged_warnings = $5,"
        f" prepared_by = $3, prepared_at = $4, updated_at = now() WHERE id = $1 RETURNING {_COLUMNS}",
        application_id,
        form,
        prepared_by,
        prepared_at,
        acknowledged_warnings,
    )


async def mark_submitted(
    conn: asyncpg.Connection,
    application_id: UUID,
    *,
    form: dict,
    applied_products: list[str],
    correlation_id: str,
    submitted_at: datetime,
    sent_by: UUID,
    acknowledged_warnings: list[dict],
) -> asyncpg.Record:
    """送信完了; whoever prepared it (送信待ち) stays recorded, else the sender prepared it too."""
    return await conn.fetchrow(
        f"UPDATE applications SET status = 'submitted', form = $2, problems = $7, acknowledged_warnings = $7,"
        f" applied_products = $3, correlation_id = $4, submitted_at = $5, sent_by = $6, sent_at = $5,"
        f" prepared_by = coalesce(prepared_by, $6), prepared_at = coalesce(prepared_at, $5), updated_at = now()"
        f" WHERE id = $1 RETURNING {_COLUMNS}",
        application_id,
        form,
        applied_products,
        correlation_id,
        submitted_at,
        sent_by,
        acknowledged_warnings,
    )


async def mark_rejected(conn: asyncpg.Connection, application_id: UUID, reasons: list[dict[str, Any]]) -> None:
    await conn.execute(
        "UPDATE applications SET status = 'rejected', rejection_reasons = $2, updated_at = now() WHERE id = $1",
        application_id,
        reasons,
    )


async def mark_issued_if_complete(conn: asyncpg.Connection, application_id: UUID) -> bool:
    """'issued' once every applied product has a contract row; True when it changed now."""
    status = await conn.fetchval(
        """
        UPDATE applications a SET status = 'issued', updated_at = now()
        WHERE a.id = $1 AND a.status = 'submitted' AND cardinality(a.applied_products) > 0
          AND a.applied_products <@ ARRAY(SELECT c.product FROM contracts c WHERE c.application_id = a.id)
        RETURNING status
        """,
        application_id,
    )
    return status is not None
