"""The certificate PDF, rendered by the shared DocumentRenderer (WeasyPrint in a process pool).

The pool is started on the first request, so a platform that serves no PDF spawns no processes.
"""

import asyncio

from shared.events import CertificateContent
from shared.metrics import ServiceMetrics


class CertificatePdf:
    def __init__(self, processes: int, metrics: ServiceMetrics | None = None) -> None:
        self._processes = processes
        self._metrics = metrics
        self._renderer = None
        self._lock = asyncio.Lock()

    async def _get(self):
        async with self._lock:
            if self._renderer is None:
                from shared.documents import DocumentRenderer

                self._renderer = DocumentRenderer(processes=self._processes, metrics=self._metrics)
            return self._renderer

    async def render(self, content: CertificateContent) -> bytes:
        renderer = await self._get()
        return await renderer.certificate_pdf(content)

    async def close(self) -> None:
        if self._renderer is not None:
            await self._renderer.close()
            self._renderer = None
