"""DocumentRenderer: the async face of the PDF rendering, a small process pool (off the event loop).

FIELD-NOTES: 2 processes on 2 cores keep the event loop responsive; keep the subscriber's prefetch
near the pool size. Workers are spawned (not forked) so they never inherit the parent's event loop,
sockets or threads.

Every render has a time limit (docs/security.md「PDFの作成時間の上限」). The pool is pebble's
ProcessPool: when a render passes its limit, pebble terminates the worker running it and starts a
new one, so the document fails alone (RenderTimeout) and the renders queued behind it go on. The
limit counts from the moment a worker starts the render, not while it waits in the queue.
"""

import asyncio
import multiprocessing
import time
from collections.abc import Callable
from typing import Any

from pebble import ProcessPool

from shared.documents import pdf
from shared.documents.models import KeyNotice
from shared.events import CertificateContent
from shared.metrics import ServiceMetrics

# A normal certificate renders in 60–170 ms on the development machines (docs/benchmarks.md); the
# limit is about 100 times that, so only a document that can never render in reasonable time reaches it.
DEFAULT_TIMEOUT_SECONDS = 20.0
# A worker is replaced after this many documents, so that whatever a long-lived WeasyPrint process keeps
# (caches of fonts and images) cannot grow without end; a new worker costs one start and warm-up (~1 s).
DEFAULT_MAX_TASKS_PER_WORKER = 1000
# Render time as the caller sees it (queueing for a worker included): 60-170 ms normally, up to the limit.
PDF_BUCKETS = (0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0)


class RenderTimeout(Exception):
    """The document was not rendered within the time limit; its worker was stopped and replaced.

    `document` is "certificate" (保証証書) or "key_notice" (「認証キー」のお知らせ). The message never
    holds the document's content (a key notice carries a 認証キー)."""

    def __init__(self, document: str, seconds: float) -> None:
        super().__init__(f"{document} PDF not rendered within {seconds:g} s")
        self.document = document
        self.seconds = seconds


class DocumentRenderer:
    def __init__(
        self,
        processes: int = 2,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        max_tasks_per_worker: int = DEFAULT_MAX_TASKS_PER_WORKER,
        metrics: ServiceMetrics | None = None,
    ) -> None:
        if timeout_seconds <= 0:
            raise ValueError("timeout_seconds must be positive")
        self.processes = processes
        self.timeout_seconds = timeout_seconds
        self._pool = ProcessPool(
            max_workers=processes,
            max_tasks=max_tasks_per_worker,
            initializer=pdf.warm_up,
            context=multiprocessing.get_context("spawn"),
        )
        self._seconds = self._failures = None
        if metrics is not None:
            self._seconds = metrics.histogram(
                "esurety_pdf_render_seconds", "PDF render time of a rendered document, by document", ("document",),
                buckets=PDF_BUCKETS,
            )
            self._failures = metrics.counter(
                "esurety_pdf_render_failures_total", "PDF renders that failed, by document and reason (timeout, error)",
                ("document", "reason"),
            )

    async def _render(self, document: str, render: Callable[[Any], bytes], model: Any) -> bytes:
        started = time.perf_counter()
        future = self._pool.schedule(render, args=(model,), timeout=self.timeout_seconds)
        try:
            # Cancelling the await cancels the task too: pebble stops a worker whose task was cancelled.
            pdf_bytes = await asyncio.wrap_future(future)
        except TimeoutError as exc:
            self._count_failure(document, "timeout")
            raise RenderTimeout(document, self.timeout_seconds) from exc
        except Exception:
            self._count_failure(document, "error")
            raise
        if self._seconds is not None:
            self._seconds.labels(document=document).observe(time.perf_counter() - started)
        return pdf_bytes

    def _count_failure(self, document: str, reason: str) -> None:
        if self._failures is not None:
            self._failures.labels(document=document, reason=reason).inc()

    async def certificate_pdf(self, content: CertificateContent) -> bytes:
        """保証証書 of any product (electronic, or the paper original) as PDF bytes."""
        return await self._render("certificate", pdf.render_certificate, content)

    async def key_notice_pdf(self, notice: KeyNotice) -> bytes:
        """電子保証にかかる「認証キー」のお知らせ as PDF bytes."""
        return await self._render("key_notice", pdf.render_key_notice, notice)

    async def close(self) -> None:
        """Finish what was scheduled (each render within its limit), then stop the workers."""
        self._pool.close()
        await asyncio.to_thread(self._pool.join)
