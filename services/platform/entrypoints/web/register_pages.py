"""保証確認台帳: the certificates this organisation has opened, filtered, and as CSV for the 決裁."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from services.platform.domain import messages
from services.platform.domain.accounts import OrdererUser
from services.platform.entrypoints.web.rendering import NO_STORE, Pages
from services.platform.entrypoints.web.session import web_user
from services.platform.handlers.register import STATUSES, RegisterFilter, register, register_csv

MAX_QUERY = 200


def _date(raw: str) -> date | None | str:
    """A typed date (20260401, 2026-04-01, 2026/04/01), None when blank, "" when unreadable."""
    text = raw.strip().replace("/", "-")
    if not text:
        return None
    if text.isdigit() and len(text) == 8:
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return date.fromisoformat(text)
    except ValueError:
        return ""


def router(pages: Pages) -> APIRouter:
    r = APIRouter()
    User = Annotated[OrdererUser, Depends(web_user)]

    def read_filter(construction_name: str, contractor_name: str, status: str, expiry_until: str):
        until = _date(expiry_until[:MAX_QUERY])
        errors = {"expiry_until": messages.REGISTER_DATE} if until == "" else {}
        f = RegisterFilter(
            construction_name=construction_name.strip()[:MAX_QUERY] or None,
            contractor_name=contractor_name.strip()[:MAX_QUERY] or None,
            status=status if status in STATUSES else None,
            expiry_until=until or None,
        )
        return f, errors

    @r.get("/register")
    async def register_page(request: Request, user: User, construction_name: str = "", contractor_name: str = "",
                            status: str = "", expiry_until: str = ""):
        f, errors = read_filter(construction_name, contractor_name, status, expiry_until)
        rows = [] if errors else await register(request.app.state.pool, user, f)
        query = {"construction_name": construction_name[:MAX_QUERY], "contractor_name": contractor_name[:MAX_QUERY],
                 "status": f.status or "", "expiry_until": expiry_until[:MAX_QUERY]}
        return pages.render(request, "register.html", user, status_code=422 if errors else 200,
                            rows=rows, query=query, errors=errors, statuses=STATUSES)

    @r.get("/register.csv")
    async def register_download(request: Request, user: User, construction_name: str = "", contractor_name: str = "",
                                status: str = "", expiry_until: str = ""):
        f, errors = read_filter(construction_name, contractor_name, status, expiry_until)
        rows = [] if errors else await register(request.app.state.pool, user, f)
        return Response(register_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="hosho-kakunin-daicho.csv"', **NO_STORE})

    return r
