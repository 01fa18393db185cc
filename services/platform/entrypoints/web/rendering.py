"""The orderer's pages (/viewer on the platform service): the shared page machinery with this portal's
name, prefix and templates, and the header showing the signed-in staff member and organisation."""

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from shared.documents.models import PLATFORM_NAME
from shared.web.pages import NO_STORE, Pages as SharedPages, Portal
from services.platform.domain.accounts import OrdererUser
from services.platform.settings import Settings

PREFIX = "/viewer"
TEMPLATES_DIR = Path(__file__).parent / "templates"

__all__ = ["NO_STORE", "PREFIX", "Pages", "url"]


def url(path: str = "/") -> str:
    return PREFIX + path


class Pages(SharedPages):
    def __init__(self, settings: Settings) -> None:
        super().__init__(
            Portal(
                name=PLATFORM_NAME,
                prefix=PREFIX,
                tagline="発注者向け 電子証書閲覧",
                footer=f"{PLATFORM_NAME}　電子証書等閲覧サービス（発注者向け）",
                timeout_seconds=int(settings.viewer_idle_minutes * 60),
                warn_seconds=settings.viewer_warn_seconds,
            ),
            TEMPLATES_DIR,
        )

    def render(self, request: Request, template: str, user: OrdererUser | None, status_code: int = 200,
               headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
        shown = {"name": user.shown_name, "organisation": user.organisation.name} if user else None
        return super().render(request, template, shown, status_code=status_code, headers=headers, **context)
