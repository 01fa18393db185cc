"""Net Desk's pages: the shared page machinery (shared/web/pages.py) with this portal's name, prefix
and templates, and the header showing the signed-in contractor."""

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from shared.web.pages import NO_STORE, Pages as SharedPages, Portal
from services.application.handlers.accounts import CurrentUser
from services.application.settings import Settings

PREFIX = "/portal"
TEMPLATES_DIR = Path(__file__).parent / "templates"

__all__ = ["NO_STORE", "PREFIX", "Pages", "url"]


def url(path: str = "/") -> str:
    """A portal URL from its path inside the portal: url('/contracts') -> /portal/contracts."""
    return PREFIX + path


class Pages(SharedPages):
    def __init__(self, settings: Settings) -> None:
        super().__init__(
            Portal(
                name="Net Desk",
                prefix=PREFIX,
                tagline="インターネット保証サービス",
                footer="東日本建設業保証株式会社　インターネット保証サービス Net Desk",
                timeout_seconds=int(settings.portal_idle_minutes * 60),
                warn_seconds=settings.portal_warn_seconds,
            ),
            TEMPLATES_DIR,
        )

    def render(self, request: Request, template: str, user: CurrentUser | None, status_code: int = 200,
               headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
        shown = {"name": user.display_name, "organisation": user.company_name} if user else None
        return super().render(request, template, shown, status_code=status_code, headers=headers, **context)
