"""The email outbox as the sender loop sees it: claim ONE due row under a short lease, record the attempt
before DATA, settle the row while holding the lease.

Mirrors shared/db/outbox.py: rows are claimed by state (FOR UPDATE SKIP LOCKED, never `id > last`),
and every UPDATE checks the lease token, so a slow sender cannot overwrite a row that another sender
re-claimed after the lease ran out. States (migration 003): 'pending' = never reached DATA (due at
next_attempt_at); 'sending' = DATA was started and no reply was seen: in doubt, due again only after the
quiet period from data_started_at; then 'sent' / 'failed'.
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
    version: int | None  # None for a status email (期間満了 / 解約)
    correlation_id: str
    kind: str  # completion / expired / cancelled


async def claim_one(
    pool: asyncpg.Pool, lease: uuid.UUID, *, lease_seconds: float, unknown_resend_after: float
) -> ClaimedEmail | None:
    """One due email, or None. One at a time: a sender that dies holds back only the email it was sending."""
    row = await pool.fetchrow(
        """
        UPDATE email_outbox
        SET lease_token = $1, lease_until = now() + make_interval(secs => $2), attempts = attempts + 1
        WHERE id = (
            SELECT id FROM email_outbox
            WHERE ((status = 'pending' AND next_attempt_at <= now())
                   OR (status = 'sending' AND data_started_at <= now() - make_interval(secs => $3)))
              AND (lease_until IS NULL OR lease_until < now())
            ORDER BY next_attempt_at LIMIT 1
            FOR UPDATE SKIP LOCKED)
        RETURNING id, recipient, subject, body, message_id, attempts, contract_number, version, correlation_id, kind
        """,
        lease,
        lease_seconds,
        unknown_resend_after,
    )
    return ClaimedEmail(**dict(row)) if row else None


async def renew_lease(pool: asyncpg.Pool, email_id: uuid.UUID, lease: uuid.UUID, lease_seconds: float) -> bool:
    status = await pool.execute(
        "UPDATE email_outbox SET lease_until = now() + make_interval(secs => $3)"
        " WHERE id = $1 AND lease_token = $2 AND status IN ('pending', 'sending')",
        email_id,
        lease,
        lease_seconds,
    )
    return status.endswith(" 1")


async def mark_data_started(pool: asyncpg.Pool, email_id: uuid.UUID, lease: uuid.UUID) -> bool:
    """Committed before the DATA command; False (lease lost): do not send DATA."""
    status = await pool.execute(
        "UPDATE email_outbox SET status = 'sending', data_started_at = clock_timestamp()"
        " WHERE id = $1 AND lease_token = $2 AND status IN ('pending', 'sending')",
        email_id,
        lease,
    )
    return status.endswith(" 1")


async def mark_unknown(pool: asyncpg.Pool, email_id: uuid.UUID, lease: uuid.UUID, error: str) -> bool:
    """DATA started, no reply (timeout, disconnect): left 'sending' for the quiet period, lease released."""
    status = await pool.execute(
        "UPDATE email_outbox SET last_error = $3, lease_token = NULL, lease_until = NULL"
        " WHERE id = $1 AND lease_token = $2 AND status = 'sending'",
        email_id,
        lease,
        error[:2000],
    )
    return status.endswith(" 1")


async def mark_sent(pool: asyncpg.Pool, email_id: uuid.UUID, lease: uuid.UUID, smtp_response: str) -> bool:
    status = await pool.execute(
        """
        UPDATE email_outbox SET status = 'sent', sent_at = now(), smtp_response = $3,
               lease_token = NULL, lease_until = NULL
        WHERE id = $1 AND lease_token = $2 AND status IN ('pending', 'sending')
        """,
        email_id,
        lease,
        smtp_response[:2000],
    )
    return status.endswith(" 1")


async def mark_retry(pool: asyncpg.Pool, email_id: uuid.UUID, lease: uuid.UUID, error: str, delay_seconds: float) -> bool:
    status = await pool.execute(
        """
        UPDATE email_outbox SET status = 'pending', last_error = $3, next_attempt_at = now() + make_interval(secs => $4),
               lease_token = NULL, lease_until = NULL
        WHERE id = $1 AND lease_token = $2 AND status IN ('pending', 'sending')
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
        WHERE id = $1 AND lease_token = $2 AND status IN ('pending', 'sending')
        """,
        email_id,
        lease,
        error[:2000],
    )
    return status.endswith(" 1")
