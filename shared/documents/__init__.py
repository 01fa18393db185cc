"""PDF documents of a certificate, shared by issuance and the platform service.

    renderer = DocumentRenderer(processes=2)
    pdf = await renderer.certificate_pdf(content)      # 保証証書（前払金保証）…（契約保証予約）; paper: （原本）
    pdf = await renderer.key_notice_pdf(notice)         # 電子保証にかかる「認証キー」のお知らせ
    await renderer.close()

Rendering runs in a process pool (off the event loop), each render within a time limit
(`DocumentRenderer(timeout_seconds=…)`; past it, RenderTimeout and the worker is replaced). WeasyPrint
may read only files inside templates/ (see fetcher.py), so text typed by a user can never make it read
a file or a URL.
"""

from shared.documents.models import PLATFORM_NAME, KeyNotice
from shared.documents.renderer import DocumentRenderer, RenderTimeout

__all__ = ["PLATFORM_NAME", "DocumentRenderer", "KeyNotice", "RenderTimeout"]
