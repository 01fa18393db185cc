"""ログイン / ログアウト of orderer staff, and 「ログインを続ける」 (the timeout warning's keep-alive)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from shared.request_fields import Text
from shared.web.session_routes import session_routes
from services.platform.domain import messages
from services.platform.domain.accounts import LoginFailed, LoginThrottled, NotAuthenticated
from services.platform.entrypoints.web.rendering import Pages, url
from services.platform.entrypoints.web.session import COOKIE, safe_next
from services.platform.handlers import accounts
from services.platform.settings import Settings

REASONS = {"timeout": messages.SESSION_TIMED_OUT, "logout": messages.LOGGED_OUT, "password": messages.PASSWORD_CHANGED}


def router(pages: Pages, settings: Settings) -> APIRouter:
    r = APIRouter()
    idle = int(settings.viewer_idle_minutes * 60)

    def login_page(request: Request, *, next_path: str, reason: str | None = None, error: str | None = None,
                   login_id: str = "", status_code: int = 200, headers: dict | None = None):
        return pages.render(request, "login.html", None, status_code=status_code, headers=headers,
                            next_path=next_path, reason=REASONS.get(reason or ""), error=error, login_id=login_id)

    @r.get("/login")
    async def show_login(request: Request, next: str | None = None, reason: str | None = None):
        return login_page(request, next_path=safe_next(next), reason=reason)

    @r.post("/login")
    async def do_login(
        request: Request,
        login_id: Annotated[Text(64), Form()] = "",
        password: Annotated[Text(256), Form()] = "",
        next: Annotated[Text(2000), Form()] = "",
    ):
        target = safe_next(next)
        if not login_id.strip() or not password:
            return login_page(request, next_path=target, error=messages.LOGIN_BLANK, login_id=login_id, status_code=400)
        try:
            token = await accounts.web_login(
                request.app.state.pool, login_id.strip(), password, ttl_seconds=settings.token_ttl_seconds,
                source=request.client.host if request.client else "unknown", idle_timeout_seconds=idle,
            )
        except LoginFailed:
            return login_page(request, next_path=target, error=messages.LOGIN_FAILED, login_id=login_id, status_code=401)
        except LoginThrottled as exc:
            return login_page(request, next_path=target, error=messages.login_throttled(exc.retry_after),
                              login_id=login_id, status_code=429, headers={"Retry-After": str(exc.retry_after)})
        response = RedirectResponse(target, status_code=303)
        COOKIE.set(response, request, token)
        return response

    r.include_router(session_routes(COOKIE, url("/login"), accounts.logout, _touch))

    return r


async def _touch(pool, token: str) -> bool:
    try:
        await accounts.session_user(pool, token)
    except NotAuthenticated:
        return False
    return True
