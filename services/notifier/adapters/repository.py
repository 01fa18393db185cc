"""The notifier's tables for the join: recipients, publications, and the decision rows of the email outbox."""

import uuid

import asyncpg

from services.notifier.domain.model import ComposedEmail, Publication, Recipient

NOTIFY_CHANNEL = "email_outbox"


async def lock_application(conn: asyncpg.Connection, application_id: uuid.UUID) -> None:
    """Serialise the two consumers of one application for this transaction.

    Without it, ApplicationSubmitted and CertificatePublished handled at the same moment would each
    miss the other's uncommitted row and neither would join (write skew under READ COMMITTED).
    """
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))", str(application_id))


async def add_recipient(conn: asyncpg.Connection, recipient: Recipient, correlation_id: str) -> None:
    await conn.execute(
        """
        INSERT INTO recipients (application_id, wanted, email, contractor_name, construction_name, branch, correlation_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (application_id) DO NOTHING
        """,
        recipient.application_id,
        recipient.wanted,
        recipient.email,
        recipient.contractor_name,
        recipient.construction_name,
        recipient.branch,
        correlation_id,
    )


async def add_publication(conn: asyncpg.Connection, publication: Publication, correlation_id: str) -> None:
    await conn.execute(
        """
        INSERT INTO publications (contract_number, version, version_label, product, published_at, construction_name,
                                  orderer_name, contractor_name, application_id, correlation_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (contract_number, version) DO NOTHING
        """,
        publication.contract_number,
        publication.version,
        publication.version_label,
        publication.product,
        publication.published_at,
        publication.construction_name,
        publication.orderer_name,
        publication.contractor_name,
        publication.application_id,
        correlation_id,
    )


async def get_recipient(conn: asyncpg.Connection, application_id: uuid.UUID) -> Recipient | None:
    row = await conn.fetchrow(
        "SELECT application_id, wanted, email, contractor_name, construction_name, branch"
        " FROM recipients WHERE application_id = $1",
        application_id,
    )
    return Recipient(**dict(row)) if row else None


async def undecided_publications(conn: asyncpg.Connection, application_id: uuid.UUID) -> list[tuple[Publication, str]]:
    """Publications of the application with no email_outbox row yet, with their correlation id."""
    rows = await conn.fetch(
        """
        SELECT p.application_id, p.contract_number, p.version, p.version_label, p.product, p.published_at,
               p.construction_name, p.orderer_name, p.contractor_name, p.correlation_id
        FROM publications p
        LEFT JOIN email_outbox e ON e.contract_number = p.contract_number AND e.version = p.version
        WHERE p.application_id = $1 AND e.id IS NULL
        ORDER BY p.contract_number, p.version
        """,
        application_id,
    )
    result = []
    for row in rows:
        values = dict(row)
        correlation_id = values.pop("correlation_id")
        result.append((Publication(**values), correlation_id))
    return result


async def add_pending_email(
    conn: asyncpg.Connection, publication: Publication, email: ComposedEmail, correlation_id: str
) -> bool:
    """One email per (contract_number, version): True if this call created it."""
    row = await conn.fetchrow(
        """
        INSERT INTO email_outbox (id, contract_number, version, application_id, correlation_id, status,
                                  recipient, subject, body, message_id)
        VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9)
        ON CONFLICT (contract_number, version) DO NOTHING RETURNING 1
        """,
        uuid.uuid4(),
        publication.contract_number,
        publication.version,
        publication.application_id,
        correlation_id,
        email.recipient,
        email.subject,
        email.body,
        email.message_id,
    )
    return row is not None


async def add_skipped(conn: asyncpg.Connection, publication: Publication, reason: str, correlation_id: str) -> bool:
    row = await conn.fetchrow(
        """
        INSERT INTO email_outbox (id, contract_number, version, application_id, correlation_id, status, skip_reason)
        VALUES ($1, $2, $3, $4, $5, 'skipped', $6)
        ON CONFLICT (contract_number, version) DO NOTHING RETURNING 1
        """,
        uuid.uuid4(),
        publication.contract_number,
        publication.version,
        publication.application_id,
        correlation_id,
        reason,
    )
    return row is not None


async def notify_sender(conn: asyncpg.Connection) -> None:
    """Wakes the email sender when the transaction commits (a lost NOTIFY is caught by its timed poll)."""
    await conn.execute("SELECT pg_notify($1, '')", NOTIFY_CHANNEL)
