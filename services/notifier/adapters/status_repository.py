"""The status notices (migration 002) and their decision rows in the email outbox (kind expired / cancelled,
version NULL, one per (contract_number, kind)); the completion emails' rows are not touched."""

import uuid

import asyncpg

from services.notifier.domain.model import ComposedEmail
from services.notifier.domain.status import StatusNotice


async def add_notice(conn: asyncpg.Connection, notice: StatusNotice, correlation_id: str) -> None:
    await conn.execute(
        """
        INSERT INTO status_notices (contract_number, kind, application_id, product, electronic, ended_on,
                                    guarantee_expiry, correlation_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (contract_number, kind) DO NOTHING
        """,
        notice.contract_number,
        notice.kind,
        notice.application_id,
        notice.product,
        notice.electronic,
        notice.ended_on,
        notice.guarantee_expiry,
        correlation_id,
    )


async def undecided_notices(conn: asyncpg.Connection, application_id: uuid.UUID) -> list[tuple[StatusNotice, str]]:
    """Notices of the application with no email_outbox row yet, with their correlation id."""
    rows = await conn.fetch(
        """
        SELECT n.* FROM status_notices n
        LEFT JOIN email_outbox e ON e.contract_number = n.contract_number AND e.kind = n.kind
        WHERE n.application_id = $1 AND e.id IS NULL
        ORDER BY n.contract_number, n.kind
        """,
        application_id,
    )
    return [
        (
            StatusNotice(
                contract_number=r["contract_number"], kind=r["kind"], application_id=r["application_id"],
                product=r["product"], electronic=r["electronic"], ended_on=r["ended_on"],
                guarantee_expiry=r["guarantee_expiry"],
            ),
            r["correlation_id"],
        )
        for r in rows
    ]


async def add_pending_email(
    conn: asyncpg.Connection, notice: StatusNotice, email: ComposedEmail, correlation_id: str
) -> bool:
    row = await conn.fetchrow(
        """
        INSERT INTO email_outbox (id, kind, contract_number, version, application_id, correlation_id, status,
                                  recipient, subject, body, message_id)
        VALUES ($1, $2, $3, NULL, $4, $5, 'pending', $6, $7, $8, $9)
        ON CONFLICT (contract_number, kind) WHERE kind <> 'completion' DO NOTHING RETURNING 1
        """,
        uuid.uuid4(),
        notice.kind,
        notice.contract_number,
        notice.application_id,
        correlation_id,
        email.recipient,
        email.subject,
        email.body,
        email.message_id,
    )
    return row is not None


async def add_skipped(conn: asyncpg.Connection, notice: StatusNotice, reason: str, correlation_id: str) -> bool:
    row = await conn.fetchrow(
        """
        INSERT INTO email_outbox (id, kind, contract_number, version, application_id, correlation_id, status, skip_reason)
        VALUES ($1, $2, $3, NULL, $4, $5, 'skipped', $6)
        ON CONFLICT (contract_number, kind) WHERE kind <> 'completion' DO NOTHING RETURNING 1
        """,
        uuid.uuid4(),
        notice.kind,
        notice.contract_number,
        notice.application_id,
        correlation_id,
        reason,
    )
    return row is not None
