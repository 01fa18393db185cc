"""電子証書の閲覧: number + key typed or pasted (forgiving where nothing is ambiguous), then the
certificate as issued with its versions, PDF and a printable viewing record; re-opening from the
保証確認台帳 needs no key. A wrong key, an unknown number and another orderer's certificate: one answer."""

import re
import unicodedata
from datetime import datetime, timezone
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from shared.request_fields import Text
from shared.japanese import jst_wareki_minute
from services.platform.domain import messages
from services.platform.domain.accounts import LookupFailed, LookupThrottled, OrdererUser, VersionNotFound
from services.platform.entrypoints.web import request_pages
from services.platform.entrypoints.web.rendering import NO_STORE, Pages, url
from services.platform.entrypoints.web.session import web_user
from services.platform.handlers import lookup, reviews, status
from services.platform.handlers.register import register_entry
from services.platform.settings import Settings

_NUMBER = re.compile(r"[0-9]{5}-[0-9]{5}[A-Z]")
# What people paste for the hyphen of 37071-00000M: hyphen, minus, katakana prolonged sound mark, dashes.
_HYPHENS = dict.fromkeys(map(ord, "‐‑‒–—―−ーｰ－﹣"), "-")


def normalised_number(typed: str) -> str:
    """３５０２６－０００１２Ｍ, ' 35026ー00012m ' → 35026-00012M (no ambiguity is possible here)."""
    text = unicodedata.normalize("NFKC", typed.translate(_HYPHENS)).translate(_HYPHENS)
    return re.sub(r"\s+", "", text).upper()


def normalised_key(typed: str) -> str:
    """Surrounding spaces go and full-width letters become ASCII; the key's case is kept (it matters)."""
    return unicodedata.normalize("NFKC", typed).strip()


def router(pages: Pages, settings: Settings) -> APIRouter:
    r = APIRouter()
    User = Annotated[OrdererUser, Depends(web_user)]

    def form_page(request: Request, user: OrdererUser, *, number: str = "", errors: dict | None = None,
                  status_code: int = 200, headers: dict | None = None):
        return pages.render(request, "lookup.html", user, status_code=status_code, headers=headers,
                            number=number, errors=errors or {}, is_admin=user.is_admin)

    @r.get("/")
    async def lookup_form(request: Request, user: User):
        return form_page(request, user)

    @r.post("/lookup")
    async def open_with_key(
        request: Request,
        user: User,
        contract_number: Annotated[Text(64), Form()] = "",
        auth_key: Annotated[Text(64), Form()] = "",
    ):
        number, key = normalised_number(contract_number), normalised_key(auth_key)
        errors = {}
        if not number:
            errors["contract_number"] = messages.LOOKUP_BLANK_NUMBER
        elif not _NUMBER.fullmatch(number):
            errors["contract_number"] = messages.LOOKUP_NUMBER_FORMAT
        if not key:
            errors["auth_key"] = messages.LOOKUP_BLANK_KEY
        if errors:
            return form_page(request, user, number=contract_number, errors=errors, status_code=422)
        try:
            view = await lookup.open_certificate(
                request.app.state.pool, settings, user, contract_number=number, auth_key=key
            )
        except LookupThrottled as exc:
            return form_page(request, user, number=contract_number, status_code=429,
                             errors={"contract_number": messages.lookup_throttled(exc.retry_after)},
                             headers={"Retry-After": str(exc.retry_after)})
        except LookupFailed:
            return form_page(request, user, number=contract_number, status_code=422,
                             errors={"auth_key": messages.LOOKUP_FAILED})
        return RedirectResponse(url(f"/certificates/{number}?version={view.selected.version}"), status_code=303)

    async def registered(request: Request, user: OrdererUser, number: str, version: int | None):
        if not _NUMBER.fullmatch(number):
            raise LookupFailed()
        return await lookup.open_registered(request.app.state.pool, user, number, version)

    async def certificate_page(request: Request, user: OrdererUser, contract_number: str, version: int | None, *,
                               reviewed: str | None = None, review_errors: dict | None = None,
                               review_entered: dict | None = None, status_code: int = 200,
                               requests_form: dict | None = None):
        view = await registered(request, user, contract_number, version)
        selected = view.selected
        base = url(f"/certificates/{contract_number}")
        entry = await register_entry(request.app.state.pool, user, contract_number)
        ending = await status.ending_of(request.app.state.pool, contract_number)  # 期間満了 / 解約
        current = None
        if entry and entry["decision"]:
            labels = {h.version: h.label for h in view.history}
            current = {"label": messages.REVIEW_LABELS[entry["decision"]], "reason": entry["decision_reason"],
                       "version_label": labels.get(entry["decision_version"], ""), "at": jst_wareki_minute(entry["decided_at"])}
        return pages.render(
            request, "viewer_certificate.html", user, status_code=status_code,
            review_url=f"{base}/review", reviewed=reviewed, current_review=current,
            review_errors=review_errors or {}, review_entered=review_entered or {},
            c=selected.content,
            v={"version": selected.version, "version_label": selected.version_label,
               "content_digest": selected.content_digest, "published_at": selected.arrived_at},
            history=[{"no": h.no, "published_at_jst": h.published_at_jst, "label": h.label,
                      "href": f"{base}?version={h.version}", "current": h.version == selected.version}
                     for h in view.history],
            pdf_url=f"{base}/pdf?version={selected.version}",
            back_url=url("/register"), back_label="保証確認台帳へ",
            statement="ご覧いただいている本画面の情報は、受注者に発行した保証証書と同一です。",
            status_note=ending.note if ending else None, status_title=ending.label if ending else None,
            viewer={"at": jst_wareki_minute(datetime.now(timezone.utc)),
                    "by": f"{user.organisation.name}　{user.shown_name}"},
            **await request_pages.section(request, user, contract_number, selected, requests_form, ending),
        )

    @r.get("/certificates/{contract_number}")
    async def certificate(request: Request, user: User, contract_number: str, version: int | None = None,
                          reviewed: str | None = None):
        return await certificate_page(request, user, contract_number, version,
                                      reviewed=messages.REVIEW_RECORDED if reviewed else None)

    @r.post("/certificates/{contract_number}/review")
    async def review(
        request: Request,
        user: User,
        contract_number: str,
        version: Annotated[int, Form(ge=0, le=10_000)],
        decision: Annotated[Text(16), Form()] = "",
        reason: Annotated[str, Form(max_length=2000)] = "",
    ):
        if not _NUMBER.fullmatch(contract_number):
            raise LookupFailed()
        try:
            await reviews.record_decision(request.app.state.pool, user, contract_number, version, decision, reason)
        except reviews.InvalidDecision as exc:
            return await certificate_page(request, user, contract_number, version, status_code=422,
                                          review_errors={exc.field: exc.message},
                                          review_entered={"decision": decision, "reason": reason})
        return RedirectResponse(url(f"/certificates/{contract_number}?version={version}&reviewed=1#review"),
                                status_code=303)

    request_pages.add_routes(r, certificate_page)  # 変更依頼 / 解除確認 (re-render this page on a refusal)

    @r.get("/certificates/{contract_number}/pdf")
    async def certificate_pdf(request: Request, user: User, contract_number: str, version: int | None = None):
        view = await registered(request, user, contract_number, version)
        document = await request.app.state.pdf.render(view.selected.content)
        filename = f"{view.selected.contract_number}-{view.selected.version}.pdf"
        return Response(document, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"', **NO_STORE})

    return r


NOT_FOUND = (LookupFailed, VersionNotFound)
