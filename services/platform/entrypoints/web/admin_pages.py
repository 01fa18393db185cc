"""利用者ID管理者's pages: the organisation's users (登録, パスワード再設定, 利用停止/再開, 閲覧制限の解除),
the 閲覧履歴 and the record of these actions; and every user's own パスワード変更."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from shared.request_fields import Text
from services.platform.domain import messages
from services.platform.domain.accounts import OrdererUser
from services.platform.entrypoints.web.rendering import Pages, url
from services.platform.entrypoints.web.session import admin_user, signed_in
from services.platform.handlers import administration as admin


def router(pages: Pages) -> APIRouter:
    r = APIRouter()
    Admin = Annotated[OrdererUser, Depends(admin_user)]
    Anyone = Annotated[OrdererUser, Depends(signed_in)]

    async def users_page(request: Request, user: OrdererUser, *, issued=None, errors=None, entered=None,
                         done: str | None = None, status_code: int = 200):
        rows = await admin.users(request.app.state.pool, user)
        return pages.render(request, "admin_users.html", user, status_code=status_code, rows=rows, issued=issued,
                            errors=errors or {}, entered=entered or {}, done=done)

    @r.get("/admin")
    async def users(request: Request, user: Admin, done: str = ""):
        return await users_page(request, user, done=messages.ADMIN_ACTION_LABELS.get(done))

    @r.post("/admin/users")
    async def create(request: Request, user: Admin, login_id: Annotated[Text(64), Form()] = "",
                     display_name: Annotated[str, Form(max_length=200)] = ""):
        try:
            issued = await admin.create_user(request.app.state.pool, user, login_id, display_name)
        except admin.InvalidInput as exc:
            return await users_page(request, user, errors={exc.field: exc.message}, status_code=422,
                                    entered={"login_id": login_id, "display_name": display_name})
        # The initial password is shown on this answer only (never in a URL, never stored in clear).
        return await users_page(request, user, issued=issued)

    @r.post("/admin/users/{login_id}/{action}")
    async def act(request: Request, user: Admin, login_id: str, action: str):
        pool = request.app.state.pool
        try:
            if action == "reset_password":
                return await users_page(request, user, issued=await admin.reset_password(pool, user, login_id))
            if action in ("disable", "enable"):
                await admin.set_disabled(pool, user, login_id, action == "disable")
            elif action == "unlock":
                await admin.unlock(pool, user, login_id)
            else:
                raise admin.NotMember(login_id)
        except admin.InvalidInput as exc:
            return await users_page(request, user, errors={"users": exc.message}, status_code=422)
        return RedirectResponse(url(f"/admin?done={action}"), status_code=303)

    @r.get("/admin/records")
    async def records(request: Request, user: Admin):
        views, actions = await admin.records(request.app.state.pool, user)
        return pages.render(request, "admin_records.html", user, views=views, actions=actions,
                            labels=messages.ADMIN_ACTION_LABELS)

    @r.get("/password")
    async def password_form(request: Request, user: Anyone):
        return pages.render(request, "password.html", user, errors={}, required=user.must_change_password)

    @r.post("/password")
    async def change_password(request: Request, user: Anyone,
                              current_password: Annotated[Text(256), Form()] = "",
                              new_password: Annotated[Text(256), Form()] = "",
                              new_password_again: Annotated[Text(256), Form()] = ""):
        try:
            await admin.change_own_password(request.app.state.pool, user, current_password, new_password,
                                            new_password_again)
        except admin.InvalidInput as exc:
            return pages.render(request, "password.html", user, status_code=422, errors={exc.field: exc.message},
                                required=user.must_change_password)
        # Every session of the user ended with the change: log in again with the new password.
        return RedirectResponse(url("/login?reason=password"), status_code=303)

    return r
