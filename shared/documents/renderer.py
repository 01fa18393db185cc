"""DocumentRenderer: the async face of the PDF rendering, a small process pool (off the event loop).

FIELD-NOTES: 2 processes on 2 cores keep the event loop responsive; keep the subscriber's prefetch
near the pool size. Workers are spawned (not forked) so they never inherit the parent's event loop,
sockets or threads.
"""

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from shared.documents import pdf
from shared.documents.models import KeyNotice
from shared.events import CertificateContent


class DocumentRenderer:
    def __init__(self, processes: int = 2) -> None:
        self.processes = processes
        self._pool = ProcessPoolExecutor(
            max_workers=processes, mp_context=multiprocessing.get_context("spawn"), initializer=pdf.warm_up
        )

    async def certificate_pdf(self, content: CertificateContent) -> bytes:
        """保証証書 of any product (electronic, or the paper original) as PDF bytes."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, pdf.render_certificate, content)

    async def key_notice_pdf(self, notice: KeyNotice) -> bytes:
        """電子保証にかかる「認証キー」のお知らせ as PDF bytes."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, pdf.render_key_notice, notice)

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self._pool.shutdown)
