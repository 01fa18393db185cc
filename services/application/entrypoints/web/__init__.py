"""Net Desk in the browser: the contractor's Japanese web portal, mounted at /portal of the
application service. Server-rendered (Jinja2, shared/web layout), every step a plain GET or a POST
answered with a redirect; the pages call the same handlers (and so the same validation and Japanese
messages) as the JSON API. CSRF on every form, a CSP without inline script, no external asset.
"""

import secrets

import asyncpg
import structlog
from fastapi import FastAPI, Request
from starlette.types import ASGIApp

from shared.unavailable import install_unavailable, page_answer
from shared.web import static_files
from services.application.adapters.issuance_client import DocumentNotReady, IssuanceClient, IssuanceUnavailable
from services.application.adapters.orderer_registry import OrdererRegistry
from services.application.domain import messages
from services.application.entrypoints.web import application_pages, auth_pages, cancellation_pages, contract_pages, top_page
from services.application.entrypoints.web.rendering import Pages, url
from services.application.handlers import applications, contracts, follow_ups
from services.application.settings import Settings

log = structlog.get_logger()

# What a page answers when the thing asked for is not the company's own (or does not exist): one 404.
NOT_FOUND = (
    applications.ApplicationNotFound,
    contracts.ContractNotFound,
    follow_ups.NotABidBond,
    follow_ups.NotAnAdvancePayment,
)


def create_portal(
    pool: asyncpg.Pool, issuance: IssuanceClient, registry: OrdererRegistry, settings: Settings
) -> ASGIApp:
    pages = Pages(settings)
    app = FastAPI(title="Net Desk", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.pool = pool
    app.state.issuance = issuance
    app.state.registry = registry
    app.state.pages = pages
    app.mount("/static", static_files(), name="static")
    app.include_router(auth_pages.router(pages, settings))
    app.include_router(top_page.router(pages))
    app.include_router(application_pages.router(pages))
    app.include_router(contract_pages.router(pages, settings))
    app.include_router(cancellation_pages.router(pages))  # 解約の申込

    pages.install_error_pages(
        app, not_found=NOT_FOUND, not_found_message=messages.WEB_NOT_FOUND, malformed_message=messages.WEB_MALFORMED,
        log=log, labels={**messages.LABELS, **messages.REQUEST_LABELS, "next": "移動先"},
    )

    @app.exception_handler(applications.UnknownSection)
    async def unknown_section(request: Request, exc: applications.UnknownSection):
        # A …をクリア the page does not offer (a 変更申込's 請負工事の情報, or a forged value).
        return pages.error(request, 400, "入力内容を読み取れませんでした", messages.WEB_MALFORMED)

    # PostgreSQL or issuance's internal API down: the 503 page (shared/unavailable.py).
    install_unavailable(app, page_answer(pages), extra={IssuanceUnavailable: "issuance"})

    # A PDF asked for before issuance has rendered it: 503 with its own message and Retry-After.
    @app.exception_handler(DocumentNotReady)
    async def document_not_ready(request: Request, exc: DocumentNotReady):
        log.warning("pdf not rendered yet", document=exc.document, retry_after=exc.retry_after)
        return pages.error(request, 503, "PDFを作成中です", messages.PDF_NOT_READY[exc.document],
                           headers={"Retry-After": str(exc.retry_after)})

    return pages.guarded(
        app,
        signing_secret=settings.portal_secret or secrets.token_urlsafe(32),
        cookie_secure=settings.portal_secure_cookies,
        form_expired=messages.WEB_FORM_EXPIRED,
        too_large=messages.WEB_TOO_LARGE,
        log=log,
    )


__all__ = ["create_portal", "url"]
