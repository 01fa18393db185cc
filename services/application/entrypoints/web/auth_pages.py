"""ログイン / ログアウト and the session's 「ログインを続ける」 (the timeout warning's keep-alive)."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from shared.request_fields import Text
from shared.web.session_routes import session_routes
from services.application.domain import messages
from services.application.entrypoints.web.rendering import Pages, url
from services.application.entrypoints.web.requests import client_address
from services.application.entrypoints.web.session import COOKIE, safe_next
from services.application.handlers import accounts
from services.application.settings import Settings

# Why the login page is shown (?reason=…).
REASONS = {
    "timeout": messages.WEB_SESSION_TIMED_OUT,
    "logout": messages.WEB_LOGGED_OUT,
}
MAX_LOGIN_ID = 64
MAX_PASSWORD = 256


def router(pages: Pages, settings: Settings) -> APIRouter:
    r = APIRouter()
    ttl = timedelta(hours=settings.application_session_hours)
    idle = timedelta(minutes=settings.portal_idle_minutes)

    def login_page(request: Request, *, next_path: str, reason: str | None = None, error: str | None = None,
                   login_id: str = "", status_code: int = 200, headers: dict | None = None):
        return pages.render(
            request, "login.html", None, status_code=status_code, headers=headers,
            next_path=next_path, reason=REASONS.get(reason or ""), error=error, login_id=login_id,
        )

    @r.get("/login")
    async def show_login(request: Request, next: str | None = None, reason: str | None = None):
        return login_page(request, next_path=safe_next(next), reason=reason)

    @r.post("/login")
    async def do_login(
        request: Request,
        login_id: Annotated[Text(MAX_LOGIN_ID), Form()] = "",
        password: Annotated[Text(MAX_PASSWORD), Form()] = "",
        next: Annotated[Text(2000), Form()] = "",
    ):
        target = safe_next(next)
        if not login_id.strip() or not password:
            return login_page(request, next_path=target, error=messages.WEB_LOGIN_BLANK, login_id=login_id,
                              status_code=400)
        try:
            token = await accounts.login(
                request.app.state.pool,
                login_id=login_id.strip(),
                password=password,
                ttl=ttl,
                source=client_address(request),
                idle_timeout=idle,
            )
        except accounts.LoginFailed:
            return login_page(request, next_path=target, error=messages.LOGIN_FAILED, login_id=login_id,
                              status_code=401)
        except accounts.LoginThrottled as exc:
            return login_page(request, next_path=target, error=messages.login_throttled(exc.retry_after),
                              login_id=login_id, status_code=429, headers={"Retry-After": str(exc.retry_after)})
        response = RedirectResponse(target, status_code=303)
        COOKIE.set(response, request, token)
        return response

    r.include_router(session_routes(COOKIE, url("/login"), accounts.logout, _touch))

    return r


async def _touch(pool, token: str) -> bool:
    try:
        await accounts.current_user(pool, token, touch=True)
    except accounts.NotAuthenticated:
        return False
    return True
