"""全体トップ: the menus, 最近のお手続き since the previous login, お勧め, お知らせ."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from services.application.entrypoints.web.rendering import Pages
from services.application.entrypoints.web.session import web_user
from services.application.handlers.accounts import CurrentUser
from services.application.handlers.top import top_page


def router(pages: Pages) -> APIRouter:
    r = APIRouter()
    User = Annotated[CurrentUser, Depends(web_user)]

    @r.get("/")
    async def top(request: Request, user: User):
        page = await top_page(request.app.state.pool, user)
        return pages.render(request, "top.html", user, page=page)

    return r
