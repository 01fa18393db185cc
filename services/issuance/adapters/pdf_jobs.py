"""asyncpg access to pdf_jobs (migration 010): the PDFs a committed version still lacks, their claims and
where the rendered bytes go (certificate_versions, and the guarantee's row while it shows that revision)."""

import uuid
from dataclasses import dataclass

import asyncpg
import structlog

from shared.events import CertificateContent

NOTIFY_CHANNEL = "pdf_jobs"
COLUMNS = {"certificate": "certificate_pdf", "key_notice": "key_notice_pdf"}


@dataclass(frozen=True)
class Job:
    contract_number: str
    version: int
    revision: int
    document: str  # "certificate" (保証証書) or "key_notice" (「認証キー」のお知らせ)
    attempts: int = 0
    correlation_id: str | None = None  # of the event that issued the version (bound on the worker's log lines)

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (self.contract_number, self.version, self.revision, self.document)


def _job(row: asyncpg.Record) -> Job:
    return Job(row["contract_number"], row["version"], row["revision"], row["document"], row["attempts"],
               row["correlation_id"])


async def add_jobs(conn: asyncpg.Connection, content: CertificateContent, revision: int = 0) -> None:
    """In the transaction that stores the version: its certificate, and its key notice when electronic.
    A job already there (the same revision stored twice cannot happen, but a retry may) stays as it is."""
    documents = ["certificate", "key_notice"] if content.electronic else ["certificate"]
    correlation_id = structlog.contextvars.get_contextvars().get("correlation_id")
    await conn.executemany(
        "INSERT INTO pdf_jobs (contract_number, version, revision, document, correlation_id)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        [(content.contract_number, content.version, revision, d, correlation_id) for d in documents],
    )
    await conn.execute("SELECT pg_notify($1, '')", NOTIFY_CHANNEL)


async def claim_due(pool: asyncpg.Pool, lease: uuid.UUID, lease_seconds: float, limit: int) -> list[Job]:
    """Due jobs nobody holds, leased to `lease` (the worker). Not one of a guarantee another document of which
    is being rendered: both documents carry the 工事名, so a content too slow to lay out holds one renderer
    process until its limit, never all of them (two claims at the same instant may still both pass)."""
    rows = await pool.fetch(
        """
        UPDATE pdf_jobs SET lease_token = $1, lease_until = now() + make_interval(secs => $2), attempts = attempts + 1
        WHERE (contract_number, version, revision, document) IN (
            SELECT j.contract_number, j.version, j.revision, j.document FROM pdf_jobs j
            WHERE j.done_at IS NULL AND j.not_before <= now() AND (j.lease_until IS NULL OR j.lease_until < now())
              AND NOT EXISTS (SELECT 1 FROM pdf_jobs h WHERE h.contract_number = j.contract_number
                              AND h.done_at IS NULL AND h.lease_until > now())
            ORDER BY j.not_before LIMIT $3
            FOR UPDATE SKIP LOCKED)
        RETURNING contract_number, version, revision, document, attempts, correlation_id
        """,
        lease, lease_seconds, limit,
    )
    return [_job(r) for r in rows]


async def claim(pool: asyncpg.Pool, job: Job, lease: uuid.UUID, lease_seconds: float) -> Job | None:
    """This one job if it is due and nobody holds it (a download that found its PDF missing), else None.
    Not SKIP LOCKED: of two downloads at once the second waits for the first's claim and then sees it held."""
    row = await pool.fetchrow(
        """
        UPDATE pdf_jobs SET lease_token = $1, lease_until = now() + make_interval(secs => $2), attempts = attempts + 1
        WHERE (contract_number, version, revision, document) = ($3, $4, $5, $6)
          AND done_at IS NULL AND not_before <= now() AND (lease_until IS NULL OR lease_until < now())
        RETURNING contract_number, version, revision, document, attempts, correlation_id
        """,
        lease, lease_seconds, *job.key,
    )
    return _job(row) if row else None


async def state(pool: asyncpg.Pool, job: Job) -> asyncpg.Record | None:
    """done, held (someone's lease runs), seconds until due, and attempts of one job."""
    return await pool.fetchrow(
        "SELECT done_at IS NOT NULL AS done, coalesce(lease_until > now(), false) AS held,"
        " greatest(0, extract(epoch FROM not_before - now())) AS due_in, attempts"
        " FROM pdf_jobs WHERE (contract_number, version, revision, document) = ($1, $2, $3, $4)",
        *job.key,
    )


async def source(pool: asyncpg.Pool, job: Job) -> asyncpg.Record:
    """What the document is rendered from: the version's content and the guarantee's 認証キー."""
    return await pool.fetchrow(
        "SELECT v.content, c.auth_key FROM certificate_versions v JOIN certificates c USING (contract_number)"
        " WHERE (v.contract_number, v.version, v.revision) = ($1, $2, $3)",
        job.contract_number, job.version, job.revision,
    )


async def store(pool: asyncpg.Pool, job: Job, pdf: bytes) -> bytes:
    """Keep `pdf` unless bytes are already there (another render won: those stay); mark the job done.
    Returns the bytes stored, which every download then serves."""
    column = COLUMNS[job.document]
    async with pool.acquire() as conn, conn.transaction():
        stored = await conn.fetchval(
            f"UPDATE certificate_versions SET {column} = coalesce({column}, $4)"
            " WHERE (contract_number, version, revision) = ($1, $2, $3) RETURNING " + column,
            job.contract_number, job.version, job.revision, pdf,
        )
        # The guarantee's row copies its shown revision's PDFs (migration 006): fill it while it shows this one.
        await conn.execute(
            f"UPDATE certificates SET {column} = $4"
            f" WHERE contract_number = $1 AND version = $2 AND revision = $3 AND {column} IS NULL",
            job.contract_number, job.version, job.revision, stored,
        )
        await conn.execute(
            "UPDATE pdf_jobs SET done_at = now(), lease_token = NULL, lease_until = NULL, last_error = NULL"
            " WHERE (contract_number, version, revision, document) = ($1, $2, $3, $4) AND done_at IS NULL",
            *job.key,
        )
    return bytes(stored)


async def fail(pool: asyncpg.Pool, job: Job, lease: uuid.UUID, error: str, retry_in: float) -> None:
    """The render failed: the job comes back after `retry_in` seconds (if this lease still holds it)."""
    await pool.execute(
        "UPDATE pdf_jobs SET lease_token = NULL, lease_until = NULL, last_error = $6,"
        " not_before = now() + make_interval(secs => $7)"
        " WHERE (contract_number, version, revision, document) = ($1, $2, $3, $4) AND lease_token = $5",
        *job.key, lease, error[:2000], retry_in,
    )


async def release(pool: asyncpg.Pool, job: Job, lease: uuid.UUID) -> None:
    """Give a claim back untouched (a worker stopping mid-render): due again at once."""
    await pool.execute(
        "UPDATE pdf_jobs SET lease_token = NULL, lease_until = NULL, attempts = greatest(attempts - 1, 0)"
        " WHERE (contract_number, version, revision, document) = ($1, $2, $3, $4) AND lease_token = $5",
        *job.key, lease,
    )


async def backlog(pool: asyncpg.Pool) -> int:
    """Documents not rendered yet."""
    return await pool.fetchval("SELECT count(*) FROM pdf_jobs WHERE done_at IS NULL")
