"""The email outbox as the sender loop sees it: claim due rows under a lease, settle them while holding it.

Mirrors shared/db/outbox.py: rows are claimed by state (FOR UPDATE SKIP LOCKED, never `id > last`),
and every settling UPDATE checks the lease token, so a slow sender cannot overwrite a row that another
sender re-claimed after the lease ran out.
"""

import uuid
from dataclasses import dataclass

import asyncpg


@dataclass(frozen=True)
class ClaimedEmail:
    id: uuid.UUID
    recipient: str
    subject: str
    body: str
    message_id: str
    attempts: int  # including the attempt about to be made
    contract_number: str
    version: int
    correlation_id: str


async def claim_due(pool: asyncpg.Pool, lease: uuid.UUID, *, lease_seconds: float, limit: int) -> list[ClaimedEmail]:
    rows = await pool.fetch(
        """
        UPDATE email_outbox
        SET lease_token = $1, lease_until = now() + make_interval(secs => $2), attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM email_outbox
            WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
            ORDER BY next_attempt_at LIMIT $3
            FOR UPDATE SKIP LOCKED)
        RETURNING id, recipient, subject, body, message_id, attempts, contract_number, version, correlation_id
        """,
        lease,
        lease_seconds,
        limit,
    )
    return [ClaimedEmail(**dict(row)) for row in rows]


async def mark_sent(pool: asyncpg.Pool, email_id: uuid.UUID, lease: uuid.UUID, smtp_response: str) -> bool:
    status = await pool.execute(
        """
        UPDATE email_outbox SET status = 'sent', sent_at = now(), smtp_response = $3,
               lease_token = NULL, lease_until = NULL
        WHERE id = $1 AND lease_token = $2 AND status = 'pending'
        """,
        email_id,
        lease,
        smtp_response[:2000],
    )
    return status.endswith(" 1")


async def mark_retry(pool: asyncpg.Pool, email_id: uuid.UUID, lease: uuid.UUID, error: str, delay_seconds: float) -> bool:
    status = await pool.execute(
        """
        UPDATE email_outbox SET last_error = $3, next_attempt_at = now() + make_interval(secs => $4),
               lease_token = NULL, lease_until = NULL
        WHERE id = $1 AND lease_token = $2 AND status = 'pending'
        """,
        email_id,
        lease,
        error[:2000],
        delay_seconds,
    )
    return status.endswith(" 1")


async def mark_failed(pool: asyncpg.Pool, email_id: uuid.UUID, lease: uuid.UUID, error: str) -> bool:
    status = await pool.execute(
        """
        UPDATE email_outbox SET status = 'failed', last_error = $3, lease_token = NULL, lease_until = NULL
        WHERE id = $1 AND lease_token = $2 AND status = 'pending'
        """,
        email_id,
        lease,
        error[:2000],
    )
    return status.endswith(" 1")
