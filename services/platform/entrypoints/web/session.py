"""The signed-in orderer staff member of a page: the session cookie checked by the platform's account
handler (touching the idle clock); without a live session, the login page (shared/web/login.py)."""

from starlette.requests import Request

from shared.web import SessionCookie
from shared.web.login import LoginRequired, current_path, safe_next as _safe_next
from services.platform.domain.accounts import NotAuthenticated, OrdererUser
from services.platform.entrypoints.web.rendering import PREFIX, url
from services.platform.handlers import accounts

COOKIE = SessionCookie(name="viewer_session", path=PREFIX)

__all__ = ["COOKIE", "Forbidden", "LoginRequired", "PasswordChangeRequired", "admin_user", "safe_next", "signed_in", "web_user"]


def safe_next(candidate: str | None) -> str:
    return _safe_next(PREFIX, candidate)


class PasswordChangeRequired(Exception):
    """A reset or first password: every page leads to the change form until it is changed."""


class Forbidden(Exception):
    """Not the organisation's 利用者ID管理者."""


async def signed_in(request: Request) -> OrdererUser:
    """The user of the session, whether or not a password change is pending (the change page itself)."""
    token = COOKIE.read(request)
    if token is None:
        raise LoginRequired(url("/login"), current_path(request))
    try:
        return await accounts.session_user(request.app.state.pool, token)
    except NotAuthenticated as exc:
        raise LoginRequired(url("/login"), current_path(request), "timeout" if exc.expired else None) from exc


async def web_user(request: Request) -> OrdererUser:
    user = await signed_in(request)
    if user.must_change_password:
        raise PasswordChangeRequired()
    return user


async def admin_user(request: Request) -> OrdererUser:
    user = await web_user(request)
    if not user.is_admin:
        raise Forbidden()
    return user
