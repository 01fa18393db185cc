"""The signed-in contractor of a page: the session cookie's token checked by the same account handler as
the API's bearer token (touching the idle clock). A page without a live session redirects to login,
which says why (timeout) and comes back afterwards (only to a portal path: no open redirect)."""

from urllib.parse import urlencode

from starlette.requests import Request

from shared.web import SessionCookie
from services.application.handlers import accounts
from services.application.handlers.accounts import CurrentUser
from services.application.entrypoints.web.rendering import PREFIX, url

COOKIE = SessionCookie(name="netdesk_session", path=PREFIX)


class LoginRequired(Exception):
    def __init__(self, next_path: str | None, reason: str | None = None) -> None:
        super().__init__(reason or "login required")
        self.next_path = next_path
        self.reason = reason

    def location(self) -> str:
        query = {k: v for k, v in (("next", self.next_path), ("reason", self.reason)) if v}
        return url("/login") + (f"?{urlencode(query)}" if query else "")


def safe_next(candidate: str | None) -> str:
    """Where to go after login: a path of this portal, else the top page."""
    if candidate and candidate.startswith(PREFIX + "/") and not candidate.startswith("//") and "\\" not in candidate:
        return candidate
    return url("/")


def _here(request: Request) -> str | None:
    if request.method != "GET":
        return None
    query = f"?{request.url.query}" if request.url.query else ""
    return request.url.path + query


async def web_user(request: Request) -> CurrentUser:
    """The FastAPI dependency of every page behind login."""
    token = COOKIE.read(request)
    if token is None:
        raise LoginRequired(_here(request))
    pool = request.app.state.pool
    try:
        return await accounts.current_user(pool, token, touch=True)
    except accounts.NotAuthenticated as exc:
        raise LoginRequired(_here(request), "timeout" if exc.expired else None) from exc
