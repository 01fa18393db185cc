"""The orderer's web pages (保証確認サービス, mounted at /viewer of the platform service): log in, open a
certificate with 保証契約番号 + 認証キー, print it as a viewing record, keep the 保証確認台帳. The same
handlers as the orderer API; the shared page layout, CSRF and CSP of shared/web."""

import secrets

import asyncpg
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from shared.web import static_files
from shared.web.login import LoginRequired
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

    @app.exception_handler(LoginRequired)
    async def to_login(_: Request, exc: LoginRequired):
        return RedirectResponse(exc.location(), status_code=303)

    @app.exception_handler(PasswordChangeRequired)
    async def to_password(_: Request, __: PasswordChangeRequired):
        return RedirectResponse(url("/password"), status_code=303)

    async def forbidden(request: Request, _: Exception):
        return pages.error(request, 403, "この画面は表示できません", messages.FORBIDDEN)

    app.add_exception_handler(Forbidden, forbidden)
    app.add_exception_handler(NotAdministrator, forbidden)

    async def not_found(request: Request, _: Exception):
        return pages.error(request, 404, "ページが見つかりません", messages.NOT_FOUND)

    for error in (*lookup_pages.NOT_FOUND, NotMember):
        app.add_exception_handler(error, not_found)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return await not_found(request, exc)
        return pages.error(request, exc.status_code, "この操作はできません", messages.NOT_FOUND)

    @app.exception_handler(RequestValidationError)
    async def malformed(request: Request, exc: RequestValidationError):
        log.info("malformed page request", errors=len(exc.errors()))
        return pages.error(request, 400, "入力内容を読み取れませんでした", messages.MALFORMED)

    return pages.guarded(
        app,
        signing_secret=settings.viewer_secret or secrets.token_urlsafe(32),
        cookie_secure=settings.viewer_secure_cookies,
        form_expired=messages.FORM_EXPIRED,
        too_large=messages.TOO_LARGE,
        log=log,
    )
