"""The signed-in contractor of a page: the session cookie's token checked by the same account handler as
the API's bearer token (touching the idle clock); without a live session, the login page
(shared/web/login.py)."""

from starlette.requests import Request

from shared.web import SessionCookie
from shared.web.login import LoginRequired, current_path, safe_next as _safe_next
from services.application.handlers import accounts
from services.application.handlers.accounts import CurrentUser
from services.application.entrypoints.web.rendering import PREFIX, url

COOKIE = SessionCookie(name="netdesk_session", path=PREFIX)

__all__ = ["COOKIE", "LoginRequired", "safe_next", "web_user"]


def safe_next(candidate: str | None) -> str:
    return _safe_next(PREFIX, candidate)


async def web_user(request: Request) -> CurrentUser:
    """The FastAPI dependency of every page behind login."""
    token = COOKIE.read(request)
    if token is None:
        raise LoginRequired(url("/login"), current_path(request))
    try:
        return await accounts.current_user(request.app.state.pool, token, touch=True)
    except accounts.NotAuthenticated as exc:
        raise LoginRequired(url("/login"), current_path(request), "timeout" if exc.expired else None) from exc
