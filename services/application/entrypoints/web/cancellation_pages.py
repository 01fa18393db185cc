"""解約の申込 from 電子保証概要 in three steps, as the other Net Desk forms: 解約申込の入力 > 申込確認 > 送信完了.

The entries travel in the form (no draft is kept): the input page posts to the check, which validates with
the same rules as the JSON API (domain/cancellation.checked_form) and shows them back with the 送信パスワード
field when the company has one; 送信 calls the API's handler (guarantee_status.request_cancellation) and
redirects to 送信完了. A guarantee that cannot be cancelled (ended, a bid bond, a request pending) answers
with 電子保証概要 and the reason. Works without JavaScript (POST, redirect, GET)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from services.application.domain import cancellation
from services.application.entrypoints.web.contract_pages import _number
from services.application.entrypoints.web.rendering import Pages, url
from services.application.entrypoints.web.session import web_user
from services.application.handlers import accounts, contracts, guarantee_status
from services.application.handlers.accounts import CurrentUser

STEPS = ("解約申込の入力", "申込確認", "送信完了")
MAX_POSTED = 4000  # what is read of a posted text before the rules (200 characters) judge it


def _page_errors(problems: list[dict[str, str]]) -> dict[str, str]:
    """The fields' messages as a page shows them (the label without the API's path)."""
    return {p["path"]: p["message"].replace(f"（{p['path']}）", "") for p in problems}


def router(pages: Pages) -> APIRouter:
    r = APIRouter()
    User = Annotated[CurrentUser, Depends(web_user)]

    async def detail(request: Request, user: CurrentUser, number: str) -> dict:
        return await contracts.overview(request.app.state.pool, request.app.state.issuance, user, number)

    async def refused(request: Request, user: CurrentUser, number: str, reason: str):
        """電子保証概要 again, with why no 解約の申込 can be made now."""
        return pages.render(request, "contract.html", user, status_code=409, c=await detail(request, user, number),
                            amendment_error=None, cancellation_error=reason)

    def form_page(request: Request, user: CurrentUser, c: dict, entered: dict, errors: dict, status_code: int = 200):
        return pages.render(request, "cancellation_form.html", user, status_code=status_code, c=c, steps=STEPS, step=1,
                            entered=entered, errors=errors, reasons=cancellation.REASON_CHOICES)

    async def confirm_page(request: Request, user: CurrentUser, c: dict, form: cancellation.CancellationForm,
                           errors: dict | None = None, status_code: int = 200):
        needs_password = await accounts.company_has_send_password(request.app.state.pool, user.company_id)
        return pages.render(request, "cancellation_confirm.html", user, status_code=status_code, c=c, steps=STEPS,
                            step=2, form=form, reason_label=dict(cancellation.REASON_CHOICES)[form.reason.value],
                            needs_password=needs_password, errors=errors or {})

    async def posted(request: Request) -> dict[str, str]:
        data = await request.form()
        return {k: str(data.get(k) or "")[:MAX_POSTED] for k in ("reason", "reason_text", "send_password")}

    @r.get("/contracts/{contract_number}/cancellation")
    async def start(request: Request, user: User, contract_number: str, reason: str = "", reason_text: str = ""):
        """Step 1; ?reason=…&reason_text=… when coming back from 申込確認 to change the entries."""
        number = _number(contract_number)
        c = await detail(request, user, number)
        if not c["cancellable"]:
            return await refused(request, user, number, _why(c))
        return form_page(request, user, c, {"reason": reason[:32], "reason_text": reason_text[:MAX_POSTED]}, {})

    @r.post("/contracts/{contract_number}/cancellation/confirm")
    async def check(request: Request, user: User, contract_number: str):
        number = _number(contract_number)
        entered = await posted(request)
        c = await detail(request, user, number)
        if not c["cancellable"]:
            return await refused(request, user, number, _why(c))
        try:
            form = cancellation.checked_form(entered["reason"], entered["reason_text"])
        except cancellation.InvalidCancellation as exc:
            return form_page(request, user, c, entered, _page_errors(exc.problems), status_code=422)
        return await confirm_page(request, user, c, form)

    @r.post("/contracts/{contract_number}/cancellation")
    async def send(request: Request, user: User, contract_number: str):
        number = _number(contract_number)
        entered = await posted(request)
        try:
            await guarantee_status.request_cancellation(
                request.app.state.pool, user, number, reason=entered["reason"], reason_text=entered["reason_text"],
                send_password=entered["send_password"] or None,
                correlation_id=getattr(request.state, "correlation_id", None) or number,
            )
        except guarantee_status.NotCancellable as exc:
            return await refused(request, user, number, exc.reason)
        except guarantee_status.InvalidCancellation as exc:
            c = await detail(request, user, number)
            errors = _page_errors(exc.problems)
            if set(errors) == {"send_password"}:
                form = cancellation.checked_form(entered["reason"], entered["reason_text"])
                return await confirm_page(request, user, c, form, errors, status_code=422)
            return form_page(request, user, c, entered, errors, status_code=422)
        except guarantee_status.SendPasswordRejected:
            c = await detail(request, user, number)
            form = cancellation.checked_form(entered["reason"], entered["reason_text"])
            errors = {"send_password": cancellation.SEND_PASSWORD_WRONG.replace("（send_password）", "")}
            return await confirm_page(request, user, c, form, errors, status_code=403)
        return RedirectResponse(url(f"/contracts/{number}/cancellation/done"), status_code=303)

    @r.get("/contracts/{contract_number}/cancellation/done")
    async def done(request: Request, user: User, contract_number: str):
        number = _number(contract_number)
        sent = await guarantee_status.done_request(request.app.state.pool, user, number)
        return pages.render(request, "cancellation_done.html", user, c=await detail(request, user, number),
                            steps=STEPS, step=3, sent=sent["request"])

    return r


def _why(c: dict) -> str:
    """Why 電子保証概要 offers no 「解約を申し込む」 for this contract."""
    pending = bool(c["cancellation"] and c["cancellation"]["state"] == "pending")
    return cancellation.not_cancellable(c["contract_number"], c["product"], c["status"], c["ended_on"], pending) or ""
