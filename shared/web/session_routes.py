"""The two session routes every portal has: ログアウト (the session ends at once, the cookie goes) and
「ログインを続ける」 (the timeout warning's keep-alive: 204 while the session lives, 401 once it ended)."""

from collections.abc import Awaitable, Callable

import asyncpg
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from shared.web.session_cookie import SessionCookie


def session_routes(
    cookie: SessionCookie,
    login_url: str,
    end_session: Callable[[asyncpg.Pool, str], Awaitable[None]],
    touch_session: Callable[[asyncpg.Pool, str], Awaitable[bool]],
) -> APIRouter:
    """`touch_session(pool, token)`: True (idle clock restarted) while the session lives."""
    r = APIRouter()

    @r.post("/logout")
    async def do_logout(request: Request):
        token = cookie.read(request)
        if token:
            await end_session(request.app.state.pool, token)
        response = RedirectResponse(login_url + "?reason=logout", status_code=303)
        cookie.clear(response)
        return response

    @r.post("/session/extend", status_code=204)
    async def extend(request: Request):
        token = cookie.read(request)
        live = token is not None and await touch_session(request.app.state.pool, token)
        return Response(status_code=204 if live else 401)

    return r
