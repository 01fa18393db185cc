"""The PDFs of a version, rendered after the transaction that issued it (issue 12, docs/pdf-rendering.md).

A version commits with its content, digest and one pdf_jobs row per document (保証証書, and for an
electronic certificate the 「認証キー」のお知らせ). Then whichever comes first renders each document, once:

- PdfWorker, a NotifiedLoop woken by the jobs' NOTIFY, claims due jobs (SKIP LOCKED, under a lease);
- a download that finds its PDF missing (`document_for_download`) claims that one job and renders it now,
  or, when someone else holds the job, waits for the bytes that one stores.

A document is a pure function of what was committed (the version's content; the guarantee's 認証キー; the
issuer's name as the content carries it): the same content gives the same bytes (WeasyPrint 70 writes no
creation date; checked across processes, tests/integration/issuance/test_pdf_after_commit.py). And the
first bytes stored stay (pdf_jobs.store, the versions trigger): a render that loses a race never replaces
them.

A render that fails or passes the renderer's limit no longer rejects anything (the certificate is issued):
the job comes back with a backoff (RETRY_BASE_SECONDS doubling up to RETRY_MAX_SECONDS), logged as an error
and counted (the renderer's esurety_pdf_render_failures_total, and esurety_pdf_job_retries_total);
meanwhile a download answers 503 with Retry-After.
"""

import asyncio
import contextlib
import time
import uuid

import asyncpg
import structlog

from services.issuance.adapters import pdf_jobs
from services.issuance.adapters.metrics import PDF_JOB_RETRIES
from services.issuance.adapters.pdf_jobs import Job
from services.issuance.domain.content import version_label
from shared.db.notified_loop import NotifiedLoop
from shared.documents import DocumentRenderer, KeyNotice, RenderTimeout
from shared.events import CertificateContent

log = structlog.get_logger()

RETRY_BASE_SECONDS = 5.0
RETRY_MAX_SECONDS = 600.0
POLL_SECONDS = 0.02  # a download waiting for another's render looks this often


def retry_in(attempts: int) -> float:
    """5 s, 10 s, 20 s, … up to 10 minutes: a document that cannot render must not hold a worker in a loop."""
    return min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)


def lease_seconds(renderer: DocumentRenderer) -> float:
    """Longer than a render can take (the renderer stops it at its limit), so a live claim never expires."""
    return renderer.timeout_seconds * 2 + 10


async def render(pool: asyncpg.Pool, renderer: DocumentRenderer, job: Job) -> bytes:
    """The document's bytes, from the committed version only."""
    row = await pdf_jobs.source(pool, job)
    content = CertificateContent.model_validate(row["content"])
    if job.document == "certificate":
        return await renderer.certificate_pdf(content)
    notice = KeyNotice(
        construction_name=content.construction_name,
        contractor_name=content.contractor.name,
        product=content.product,
        contract_number=content.contract_number,
        auth_key=row["auth_key"],  # the same key for every version: the orderer opens each with it
        issuer_name=content.issuer.name,
        version_label=version_label(content.version),
    )
    return await renderer.key_notice_pdf(notice)


async def render_and_store(pool: asyncpg.Pool, renderer: DocumentRenderer, job: Job, lease: uuid.UUID) -> bytes | None:
    """Render a claimed job and store it; on failure the job is put back with its backoff (None)."""
    if job.correlation_id and not structlog.contextvars.get_contextvars().get("correlation_id"):
        with structlog.contextvars.bound_contextvars(correlation_id=job.correlation_id):
            return await _render_and_store(pool, renderer, job, lease)
    return await _render_and_store(pool, renderer, job, lease)


async def _render_and_store(pool: asyncpg.Pool, renderer: DocumentRenderer, job: Job, lease: uuid.UUID) -> bytes | None:
    try:
        pdf = await render(pool, renderer, job)
    except asyncio.CancelledError:
        await asyncio.shield(pdf_jobs.release(pool, job, lease))
        raise
    except Exception as exc:
        wait = retry_in(job.attempts)
        # Names the document, never its content (a key notice carries the 認証キー; RenderTimeout says only which).
        log.error(
            "pdf render failed; will retry",
            contract_number=job.contract_number,
            version=job.version,
            revision=job.revision,
            document=job.document,
            attempts=job.attempts,
            retry_in_seconds=wait,
            error=str(exc) if isinstance(exc, RenderTimeout) else type(exc).__name__,
        )
        PDF_JOB_RETRIES.labels(document=job.document).inc()
        await pdf_jobs.fail(pool, job, lease, repr(exc) if not isinstance(exc, RenderTimeout) else str(exc), wait)
        return None
    stored = await pdf_jobs.store(pool, job, pdf)
    log.info("pdf rendered", contract_number=job.contract_number, version=job.version, revision=job.revision,
             document=job.document, attempts=job.attempts)
    return stored


class PdfWorker(NotifiedLoop):
    """Renders due pdf_jobs, one document per loop at a time; `workers` loops side by side (the pool size)."""

    name = "pdf-worker"

    def __init__(self, pool: asyncpg.Pool, renderer: DocumentRenderer, *, workers: int, poll_interval: float = 2.0) -> None:
        super().__init__(pool, channel=pdf_jobs.NOTIFY_CHANNEL, batch_size=1, poll_interval=poll_interval,
                         workers=workers, drain_seconds=renderer.timeout_seconds)
        self._renderer = renderer

    async def run_once(self) -> int:
        lease = uuid.uuid4()
        jobs = await pdf_jobs.claim_due(self._pool, lease, lease_seconds(self._renderer), 1)
        for job in jobs:
            await render_and_store(self._pool, self._renderer, job, lease)
        return len(jobs)


class NotReady(Exception):
    """The document is not there yet and could not be rendered within the download's wait: ask again later."""

    def __init__(self, document: str, retry_after: int) -> None:
        super().__init__(f"{document} PDF not ready; retry after {retry_after} s")
        self.document = document
        self.retry_after = retry_after


async def document_for_download(
    pool: asyncpg.Pool, renderer: DocumentRenderer, job: Job, *, wait_seconds: float
) -> bytes:
    """The stored bytes of a document whose PDF was missing when the download looked: rendered now by this
    download if nobody holds the job, else those of whoever holds it (a worker, another download). NotReady
    after `wait_seconds`, or at once while a failed job waits for its retry."""
    deadline = time.monotonic() + wait_seconds
    while True:
        lease = uuid.uuid4()
        claimed = await pdf_jobs.claim(pool, job, lease, lease_seconds(renderer))
        if claimed is not None:
            # Shielded: a download that gives up (its wait is over, the client left) lets the render finish and
            # store, so the next download finds it; cancelling would also stop a renderer worker.
            task = asyncio.ensure_future(render_and_store(pool, renderer, claimed, lease))
            with contextlib.suppress(TimeoutError):
                stored = await asyncio.wait_for(asyncio.shield(task), max(deadline - time.monotonic(), 0.001))
                if stored is not None:
                    return stored
            raise NotReady(job.document, _retry_after(await pdf_jobs.state(pool, job)))
        found = await pdf_jobs.state(pool, job)
        if found is None or found["done"]:
            stored = await _stored(pool, job)
            if stored is not None:
                return stored
            if found is None:  # a version stored with no job and no PDF: not made by this code
                log.error("pdf missing and no job to render it", contract_number=job.contract_number,
                          version=job.version, revision=job.revision, document=job.document)
                raise NotReady(job.document, 60)
        elif not found["held"] and found["due_in"] > 0:  # failed before: the worker retries it after its backoff
            raise NotReady(job.document, _retry_after(found))
        if time.monotonic() >= deadline:
            raise NotReady(job.document, _retry_after(found))
        await asyncio.sleep(POLL_SECONDS)


async def _stored(pool: asyncpg.Pool, job: Job) -> bytes | None:
    value = await pool.fetchval(
        f"SELECT {pdf_jobs.COLUMNS[job.document]} FROM certificate_versions"
        " WHERE (contract_number, version, revision) = ($1, $2, $3)",
        job.contract_number, job.version, job.revision,
    )
    return bytes(value) if value is not None else None


def _retry_after(found: asyncpg.Record | None) -> int:
    if found is None or found["held"]:
        return 5
    return max(1, min(int(found["due_in"]) + 1, int(RETRY_MAX_SECONDS)))
