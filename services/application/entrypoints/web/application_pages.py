"""保証申込 in three steps — 申込作成 > 申込確認 > 送信完了 — and the lists of the company's applications.

Every POST answers with a redirect (or the same page with its errors); the handlers are the JSON API's
(services.application.handlers.applications), so the rules and their Japanese messages are the same.
"""

from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from services.application.domain import messages
from services.application.domain.model import EDITABLE, SENT, Status
from services.application.entrypoints.web import form_view
from services.application.entrypoints.web.form_layout import ALL_SECTIONS, BID_BOND_FORM, GUARANTEE_FORM, sections_for
from services.application.entrypoints.web.form_parsing import parse_form, shown_value
from services.application.entrypoints.web.rendering import Pages, url
from services.application.entrypoints.web.session import web_user
from services.application.handlers import accounts, applications, contracts
from services.application.handlers.accounts import CurrentUser

STEPS = ("申込作成", "申込確認", "送信完了")
LIST_TABS = {
    "draft": ("作成中", {Status.DRAFT, Status.CONFIRMED}),
    "awaiting": ("送信待ち", {Status.AWAITING_SEND}),
    "sent": ("送信済", set(SENT)),
}
MAX_SEND_PASSWORD = 256


def _edit_url(application_id: UUID, anchor: str = "") -> str:
    return url(f"/applications/{application_id}/edit") + (f"#{anchor}" if anchor else "")


def router(pages: Pages) -> APIRouter:
    r = APIRouter()
    User = Annotated[CurrentUser, Depends(web_user)]

    def deps(request: Request):
        return request.app.state.pool, request.app.state.registry

    async def render_form(request: Request, user: CurrentUser, app: dict[str, Any] | None, *, kind: str,
                          step: int, show_errors: bool, status_code: int = 200, extra_errors: dict | None = None,
                          saved: bool = False, entered: dict[str, Any] | None = None):
        """`entered`: what was posted but refused (FormNotStorable), shown again instead of the stored draft."""
        pool, registry = deps(request)
        form = app["form"] if app else ({"bid_bond": {"apply": True}} if kind == "bid_bond" else {})
        form = entered if entered is not None else form
        sections = sections_for(form) if app else (BID_BOND_FORM if kind == "bid_bond" else GUARANTEE_FORM)
        problems = [p for p in (app["problems"] if app and show_errors else []) if p["severity"] == "error"]
        view = form_view.form_page(sections, form, problems, app["ratios"] if app else {}, extra_errors or {})
        action = url(f"/applications/{app['id']}/edit") if app else url(f"/applications/new?kind={kind}")
        changed = form_view.amendment_of(form)
        return pages.render(
            request, "application_form.html", user, status_code=status_code,
            view=view, action=action, steps=STEPS, step=step, title=_title(sections, changed), app=app, saved=saved,
            orderers=form_view.orderer_options(await registry.orderers()), amendment=changed,
            paper_fixed=_fixed_format(sections, form),
        )

    async def save(request: Request, user: CurrentUser, app: dict[str, Any] | None, kind: str):
        """The posted page saved as the draft (a new one when `app` is None); returns (app, action)."""
        pool, registry = deps(request)
        posted = await request.form()
        action = str(posted.get("action") or "save")
        stored = app["form"] if app else ({"bid_bond": {"apply": True}} if kind == "bid_bond" else {})
        sections = sections_for(stored) if app else (BID_BOND_FORM if kind == "bid_bond" else GUARANTEE_FORM)
        form = parse_form(posted, sections, stored)
        try:
            if app is None:
                app = await applications.create_draft(pool, registry, user, form)
            else:
                app = await applications.replace_form(pool, registry, user, app["id"], form)
        except applications.FormNotStorable as exc:
            exc.entered = form
            raise
        return app, action

    async def refused(request: Request, user: CurrentUser, app: dict[str, Any] | None, kind: str,
                      exc: applications.FormNotStorable):
        """The page again with what was typed and why it cannot be kept; the stored draft is unchanged."""
        errors = {p.path: p.message for p in exc.problems}
        return await render_form(request, user, app, kind=kind, step=1, show_errors=False, status_code=422,
                                 extra_errors=errors, entered=exc.entered)

    async def after_save(request: Request, user: CurrentUser, app: dict[str, Any], action: str):
        pool, registry = deps(request)
        if action.startswith("clear:"):
            section = action.removeprefix("clear:")
            shown = {s.key: s for s in sections_for(app["form"])}
            if section not in ALL_SECTIONS or (section in shown and not shown[section].clearable):
                raise applications.UnknownSection(section)
            await applications.clear_section(pool, registry, user, app["id"], section)
            return RedirectResponse(_edit_url(app["id"], section), status_code=303)
        if action == "confirm":
            await applications.confirm(pool, registry, user, app["id"])
            return RedirectResponse(url(f"/applications/{app['id']}/confirm"), status_code=303)
        return RedirectResponse(_edit_url(app["id"]) + "?saved=1", status_code=303)

    @r.get("/applications/new")
    async def new_form(request: Request, user: User, kind: str = "guarantee"):
        return await render_form(request, user, None, kind=_kind(kind), step=1, show_errors=False)

    @r.post("/applications/new")
    async def create(request: Request, user: User, kind: str = "guarantee"):
        try:
            app, action = await save(request, user, None, _kind(kind))
        except applications.FormNotStorable as exc:
            return await refused(request, user, None, _kind(kind), exc)
        return await after_save(request, user, app, action)

    @r.get("/applications/{application_id}/edit")
    async def edit_form(request: Request, user: User, application_id: UUID, saved: str | None = None):
        pool, registry = deps(request)
        app = await applications.get_own(pool, registry, user, application_id)
        if app["status"] not in EDITABLE:
            return RedirectResponse(url(f"/applications/{application_id}/confirm"), status_code=303)
        return await render_form(request, user, app, kind="", step=1, show_errors=True, saved=bool(saved))

    @r.post("/applications/{application_id}/edit")
    async def edit(request: Request, user: User, application_id: UUID):
        pool, registry = deps(request)
        app = await applications.get_own(pool, registry, user, application_id)
        if app["status"] not in EDITABLE:
            return RedirectResponse(url(f"/applications/{application_id}/confirm"), status_code=303)
        try:
            app, action = await save(request, user, app, "")
        except applications.FormNotStorable as exc:
            return await refused(request, user, app, "", exc)
        return await after_save(request, user, app, action)

    async def confirm_page(request: Request, user: CurrentUser, app: dict[str, Any], *, status_code: int = 200,
                           errors: dict[str, str] | None = None):
        pool, _ = deps(request)
        warnings = [p for p in app["problems"] if p["severity"] == "warning"]
        if app["status"] == Status.AWAITING_SEND and not warnings:
            warnings = list(app["acknowledged_warnings"])
        changed = form_view.amendment_of(app["form"])
        return pages.render(
            request, "application_confirm.html", user, status_code=status_code,
            app=app, steps=STEPS, step=2, amendment=changed,
            comparison=await _comparison(pool, user, changed, app["form"]),
            summary=form_view.summary(sections_for(app["form"]), app["form"], app["ratios"]),
            warnings=[form_view.for_person(p) for p in warnings],
            needs_password=await accounts.company_has_send_password(pool, user.company_id),
            errors=errors or {},
        )

    @r.get("/applications/{application_id}/confirm")
    async def confirm(request: Request, user: User, application_id: UUID):
        pool, registry = deps(request)
        app = await applications.get_own(pool, registry, user, application_id)
        if app["status"] in SENT:
            return RedirectResponse(url(f"/applications/{application_id}/done"), status_code=303)
        if app["status"] == Status.DRAFT:
            # Not (or no longer) confirmed: the form again, with the problems of 申込確認.
            if not any(p["severity"] == "error" for p in app["problems"]):
                await applications.confirm(pool, registry, user, application_id)
                app = await applications.get_own(pool, registry, user, application_id)
            if app["status"] == Status.DRAFT:
                return await render_form(request, user, app, kind="", step=2, show_errors=True, status_code=200)
        return await confirm_page(request, user, app)

    @r.post("/applications/{application_id}/submit")
    async def submit(request: Request, user: User, application_id: UUID):
        pool, registry = deps(request)
        posted = await request.form()
        password = str(posted.get("send_password") or "")[:MAX_SEND_PASSWORD] or None
        acknowledged = posted.get("acknowledge_warnings") == "true"
        correlation_id = getattr(request.state, "correlation_id", None) or str(uuid4())
        try:
            await applications.submit(
                pool, registry, user, application_id, correlation_id,
                send_password=password, acknowledge_warnings=acknowledged,
            )
        except applications.InvalidApplication:
            return RedirectResponse(url(f"/applications/{application_id}/confirm"), status_code=303)
        except applications.WarningsNotAcknowledged:
            app = await applications.get_own(pool, registry, user, application_id)
            return await confirm_page(request, user, app, status_code=422,
                                      errors={"acknowledge_warnings": messages.WEB_ACKNOWLEDGE_WARNINGS})
        except applications.SendPasswordRejected:
            app = await applications.get_own(pool, registry, user, application_id)
            return await confirm_page(request, user, app, status_code=422,
                                      errors={"send_password": messages.SEND_PASSWORD_WRONG})
        return RedirectResponse(url(f"/applications/{application_id}/done"), status_code=303)

    @r.get("/applications/{application_id}/done")
    async def done(request: Request, user: User, application_id: UUID):
        pool, registry = deps(request)
        app = await applications.get_own(pool, registry, user, application_id)
        if app["status"] in EDITABLE:
            return RedirectResponse(_edit_url(application_id), status_code=303)
        # 送信待ち has not been sent yet: the step stays at 申込確認.
        return pages.render(
            request, "application_done.html", user, app=app, steps=STEPS,
            step=2 if app["status"] == Status.AWAITING_SEND else 3,
            products=form_view.applied_labels(app["form"]), amendment=form_view.amendment_of(app["form"]),
            construction_name=(app["form"].get("contract") or {}).get("construction_name", ""),
        )

    @r.get("/applications")
    async def listing(request: Request, user: User, tab: str = "draft"):
        pool, registry = deps(request)
        tab = tab if tab in LIST_TABS else "draft"
        everything = await applications.list_own(pool, registry, user)
        counts = {key: sum(1 for a in everything if a["status"] in statuses) for key, (_, statuses) in LIST_TABS.items()}
        rows = [a for a in everything if a["status"] in LIST_TABS[tab][1]]
        return pages.render(
            request, "applications.html", user, tab=tab, tabs=LIST_TABS, counts=counts,
            rows=[form_view.list_row(a) for a in rows],
        )

    return r


async def _comparison(pool, user: CurrentUser, changed: dict[str, Any] | None, form: dict[str, Any]) -> list[dict]:
    """変更前 and 変更後 side by side; none when the version it was prepared from is not kept here."""
    if changed is None or not isinstance(changed["base_version"], int):
        return []
    try:
        before = await contracts.certificate_version(pool, user, changed["contract_number"], changed["base_version"])
    except contracts.ContractNotFound:
        return []
    return form_view.comparison(before.content, form)


def _title(sections, amendment: dict[str, Any] | None) -> str:
    if amendment is not None:
        return f"変更申込（{amendment['product_label']}）" if amendment["product_label"] else "変更申込"
    return "契約保証予約申込（入札ボンド）" if sections is BID_BOND_FORM else "保証申込（前払・中間・契約）"


def _fixed_format(sections, form: dict[str, Any]) -> bool:
    """A 変更申込 of a paper certificate: its 証書（紙）の受取 fields always apply (no radio to watch)."""
    return any(
        f.fixed and f.name.endswith(".certificate_format") and shown_value(form, f.name) == "paper"
        for s in sections for f in s.fields
    )


def _kind(kind: str) -> str:
    return "bid_bond" if kind == "bid_bond" else "guarantee"

