"""Rendering a portal's pages: the shared layout with the portal's name and links, the signed-in user
in the header, the CSRF token for every form, and the error pages. Each service makes one `Pages` with
its own templates folder, URL prefix and names; pages are never cached by browsers or proxies."""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from shared.request_errors import problems_in_japanese
from shared.web.login import LoginRequired

from shared.web.csrf import csrf_token, protect
from shared.web.templating import page_templates

# Pages show one organisation's own data (and 認証キー): never kept by a browser or proxy cache.
NO_STORE = {"Cache-Control": "no-store"}


@dataclass(frozen=True)
class Portal:
    name: str  # Net Desk / 保証確認サービス
    prefix: str  # /portal, /viewer
    tagline: str
    footer: str
    timeout_seconds: int
    warn_seconds: int

    def url(self, path: str = "/") -> str:
        return self.prefix + path

    def layout(self) -> dict[str, Any]:
        """What base.html reads as `portal`."""
        return {
            "name": self.name,
            "tagline": self.tagline,
            "footer": self.footer,
            "home_url": self.url("/"),
            "static_url": self.url("/static"),
            "logout_url": self.url("/logout"),
            "extend_url": self.url("/session/extend"),
            "login_url": self.url("/login"),
            "timeout_seconds": self.timeout_seconds,
            "warn_seconds": self.warn_seconds,
        }


class Pages:
    def __init__(self, portal: Portal, templates_dir: Path) -> None:
        self.portal = portal
        self.templates = page_templates(templates_dir)
        self.templates.env.globals["url"] = portal.url

    def render(
        self,
        request: Request,
        template: str,
        user: dict[str, Any] | None,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        """`user`: {"name", "organisation"} shown in the header, or None (logged out)."""
        return self.templates.TemplateResponse(
            request,
            template,
            {"portal": self.portal.layout(), "user": user, "csrf": csrf_token(request), **context},
            status_code=status_code,
            headers={**NO_STORE, **(headers or {})},
        )

    def error(self, request: Request, status_code: int, title: str, message: str,
              headers: dict[str, str] | None = None, problems: list[str] | None = None) -> HTMLResponse:
        return self.render(request, "error.html", None, status_code=status_code, headers=headers,
                           title=title, message=message, problems=problems or [])

    def bare_error(self, title: str, message: str) -> bytes:
        """An error page for the CSRF and size guards, which answer before any request object exists."""
        html = self.templates.get_template("error.html").render(
            portal=self.portal.layout(), user=None, csrf="", title=title, message=message, url=self.portal.url,
            problems=[],
        )
        return html.encode("utf-8")

    def guarded(self, app, *, signing_secret: str, cookie_secure: bool, form_expired: str, too_large: str, log):
        """`app` behind shared/web's CSRF check, size limit and security headers, answering with this
        portal's own error pages (in Japanese) when a form comes without its token or is too large."""

        async def csrf_failed(scope) -> tuple[int, bytes]:
            log.warning("form refused: CSRF token missing or wrong", path=scope.get("path"))
            return 403, self.bare_error("送信できませんでした", form_expired)

        async def too_large_body(scope) -> tuple[int, bytes]:
            log.warning("request body too large", path=scope.get("path"))
            return 413, self.bare_error("送信できませんでした", too_large)

        return protect(app, signing_secret=signing_secret, cookie_secure=cookie_secure, failure_page=csrf_failed,
                       too_large_page=too_large_body)

    def install_error_pages(
        self, app: FastAPI, *, not_found: tuple[type[Exception], ...], not_found_message: str, malformed_message: str,
        log, labels: Mapping[str, str] | None = None,
    ) -> None:
        """What every portal answers in Japanese instead of FastAPI's English: the login redirect, one 404
        page for anything not the user's own (or unknown), 405 and other HTTP errors, and a request whose
        fields break their bounds (400, listing each field's problem in Japanese by its `labels`)."""

        async def to_login(_: Request, exc: LoginRequired):
            return RedirectResponse(exc.location(), status_code=303)

        async def missing(request: Request, _: Exception):
            return self.error(request, 404, "ページが見つかりません", not_found_message)

        async def http_error(request: Request, exc: StarletteHTTPException):
            if exc.status_code == 404:
                return await missing(request, exc)
            return self.error(request, exc.status_code, "この操作はできません", not_found_message)

        async def malformed(request: Request, exc: RequestValidationError):
            log.info("malformed page request", errors=len(exc.errors()))
            problems = [p["message"] for p in problems_in_japanese(exc, labels or {})]
            return self.error(request, 400, "入力内容を読み取れませんでした", malformed_message, problems=problems)

        app.add_exception_handler(LoginRequired, to_login)
        for error in not_found:
            app.add_exception_handler(error, missing)
        app.add_exception_handler(StarletteHTTPException, http_error)
        app.add_exception_handler(RequestValidationError, malformed)
