"""Rendering the Net Desk pages: the shared layout (shared/web) with this portal's name and links,
the user in the header, the CSRF token for every form, and the error pages (404, 403, 503)."""

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from shared.web import csrf_token, page_templates
from services.application.handlers.accounts import CurrentUser
from services.application.settings import Settings

PREFIX = "/portal"
TEMPLATES_DIR = Path(__file__).parent / "templates"
# Pages show a contractor's own data (and the 認証キー): never kept by a browser or proxy cache.
NO_STORE = {"Cache-Control": "no-store"}


def url(path: str = "/") -> str:
    """A portal URL from its path inside the portal: url('/contracts') -> /portal/contracts."""
    return PREFIX + path


class Pages:
    def __init__(self, settings: Settings) -> None:
        self.templates = page_templates(TEMPLATES_DIR)
        self.portal = {
            "name": "Net Desk",
            "tagline": "インターネット保証サービス",
            "footer": "東日本建設業保証株式会社　インターネット保証サービス Net Desk",
            "home_url": url("/"),
            "static_url": url("/static"),
            "logout_url": url("/logout"),
            "extend_url": url("/session/extend"),
            "login_url": url("/login"),
            "timeout_seconds": int(settings.portal_idle_minutes * 60),
            "warn_seconds": settings.portal_warn_seconds,
        }
        self.templates.env.globals["url"] = url

    def render(
        self,
        request: Request,
        template: str,
        user: CurrentUser | None,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        shown_user = {"name": user.display_name, "organisation": user.company_name} if user else None
        return self.templates.TemplateResponse(
            request,
            template,
            {"portal": self.portal, "user": shown_user, "csrf": csrf_token(request), **context},
            status_code=status_code,
            headers={**NO_STORE, **(headers or {})},
        )

    def error(self, request: Request, user: CurrentUser | None, status_code: int, title: str, message: str,
              headers: dict[str, str] | None = None) -> HTMLResponse:
        return self.render(
            request, "error.html", user, status_code=status_code, headers=headers, title=title, message=message
        )
