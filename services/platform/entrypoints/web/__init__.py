"""The orderer's web pages (保証確認サービス, mounted at /viewer of the platform service): log in, open a
certificate with 保証契約番号 + 認証キー, print it as a viewing record, keep the 保証確認台帳. The same
handlers as the orderer API; the shared page layout, CSRF and CSP of shared/web."""

import secrets

import asyncpg
import structlog
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from starlette.types import ASGIApp

from shared.documents import RenderTimeout
from shared.unavailable import install_unavailable, page_answer
from shared.web import static_files
from services.platform.entrypoints.web.session import Forbidden, PasswordChangeRequired
from services.platform.handlers.administration import NotAdministrator, NotMember
from services.platform.adapters.pdf import CertificatePdf
from services.platform.domain import messages
from services.platform.entrypoints.web import admin_pages, auth_pages, lookup_pages, register_pages
from services.platform.entrypoints.web.rendering import Pages, url
from services.platform.settings import Settings

log = structlog.get_logger()


def create_viewer(pool: asyncpg.Pool, settings: Settings, pdf: CertificatePdf) -> ASGIApp:
    pages = Pages(settings)
    app = FastAPI(title="保証確認サービス", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.pool = pool
    app.state.pdf = pdf
    app.mount("/static", static_files(), name="static")
    app.include_router(auth_pages.router(pages, settings))
    app.include_router(lookup_pages.router(pages, settings))
    app.include_router(register_pages.router(pages))
    app.include_router(admin_pages.router(pages))

    @app.exception_handler(PasswordChangeRequired)
    async def to_password(_: Request, __: PasswordChangeRequired):
        return RedirectResponse(url("/password"), status_code=303)

    async def forbidden(request: Request, _: Exception):
        return pages.error(request, 403, "この画面は表示できません", messages.FORBIDDEN)

    app.add_exception_handler(Forbidden, forbidden)
    app.add_exception_handler(NotAdministrator, forbidden)

    pages.install_error_pages(
        app, not_found=(*lookup_pages.NOT_FOUND, NotMember), not_found_message=messages.NOT_FOUND,
        malformed_message=messages.MALFORMED, log=log, labels=messages.PAGE_LABELS,
    )

    # PostgreSQL down, or a PDF render over its time limit: the 503 page (shared/unavailable.py).
    install_unavailable(app, page_answer(pages), extra={RenderTimeout: "pdf-renderer"})

    return pages.guarded(
        app,
        signing_secret=settings.viewer_secret or secrets.token_urlsafe(32),
        cookie_secure=settings.viewer_secure_cookies,
        form_expired=messages.FORM_EXPIRED,
        too_large=messages.TOO_LARGE,
        log=log,
    )
