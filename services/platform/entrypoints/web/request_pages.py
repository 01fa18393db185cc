"""変更依頼 and 解除確認 on the certificate view (the section #requests of viewer_certificate.html): the two
forms, the organisation's requests already sent on this certificate, and their POST routes, which answer
a problem with the certificate page again (422, the error summary and each field's message, input kept)
and a success with a redirect back to it (POST, redirect, GET)."""

import re
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from shared.events.requests import MAX_REQUEST_TEXT, RELEASE_GROUND_LABELS, REQUEST_KIND_LABELS
from shared.request_fields import Text
from shared.japanese import jst_wareki_minute
from services.platform.adapters.certificate_repository import StoredVersion
from services.platform.domain import messages
from services.platform.domain.accounts import LookupFailed, OrdererUser
from services.platform.domain.orderer_requests import AMENDMENT_FIELD, GROUNDS_FIELD, NOTE_FIELD, grounds_for
from services.platform.domain.status import Ending
from services.platform.entrypoints.web.rendering import url
from services.platform.entrypoints.web.session import web_user
from services.platform.handlers import orderer_requests

_NUMBER = re.compile(r"[0-9]{5}-[0-9]{5}[A-Z]")
SENT = {"amendment": messages.AMENDMENT_REQUESTED, "release": messages.RELEASE_REQUESTED}

# certificate_page(request, user, contract_number, version, *, status_code=…, requests_form=…) of lookup_pages.
CertificatePage = Callable[..., Awaitable[Any]]


async def section(request: Request, user: OrdererUser, contract_number: str, selected: StoredVersion,
                  form: dict | None = None, ending: Ending | None = None) -> dict[str, Any]:
    """The template's `requests_section`: forms (with `form`'s errors and input after a refusal), the notice
    after a request was sent (?requested=amendment|release) and the requests sent so far."""
    form = form or {}
    sent = await orderer_requests.requests_of(request.app.state.pool, user, contract_number)
    base = url(f"/certificates/{contract_number}")
    return {"requests_section": {
        "amendment_url": f"{base}/amendment-request",
        "release_url": f"{base}/release-request",
        "grounds": [(g.value, RELEASE_GROUND_LABELS[g]) for g in grounds_for(selected.product)],
        "errors": form.get("errors", {}),
        "entered": form.get("entered", {}),
        "sent_notice": SENT.get(request.query_params.get("requested", "")),
        "limit": MAX_REQUEST_TEXT,
        # 期間満了 / 解約: nothing is left to change or release, so the forms give way to this note.
        "ended_note": messages.REQUEST_AFTER_ENDING.format(label=ending.label) if ending else None,
        "sent": [
            {"at": jst_wareki_minute(r.requested_at), "kind": r.kind, "kind_label": REQUEST_KIND_LABELS[r.kind],
             "version_label": r.version_label, "message": r.message, "by": r.requested_by,
             "grounds": [RELEASE_GROUND_LABELS[g] for g in r.grounds]}
            for r in sent
        ],
    }}


def add_routes(r: APIRouter, certificate_page: CertificatePage) -> None:
    User = Annotated[OrdererUser, Depends(web_user)]

    def back(contract_number: str, version: int, kind: str) -> RedirectResponse:
        return RedirectResponse(url(f"/certificates/{contract_number}?version={version}&requested={kind}#requests"),
                                status_code=303)

    @r.post("/certificates/{contract_number}/amendment-request")
    async def amendment_request(
        request: Request,
        user: User,
        contract_number: str,
        version: Annotated[int, Form(ge=0, le=10_000)],
        amendment_message: Annotated[str, Form(max_length=2000)] = "",
    ):
        if not _NUMBER.fullmatch(contract_number):
            raise LookupFailed()
        try:
            await orderer_requests.request_amendment(
                request.app.state.pool, user, contract_number, version, amendment_message
            )
        except orderer_requests.InvalidRequest as exc:
            return await certificate_page(request, user, contract_number, version, status_code=422, requests_form={
                "errors": exc.errors, "entered": {AMENDMENT_FIELD: amendment_message}})
        return back(contract_number, version, "amendment")

    @r.post("/certificates/{contract_number}/release-request")
    async def release_request(
        request: Request,
        user: User,
        contract_number: str,
        version: Annotated[int, Form(ge=0, le=10_000)],
        release_grounds: Annotated[list[Text(32)], Form(max_length=4)] = [],  # noqa: B006 (FastAPI's form default)
        release_note: Annotated[str, Form(max_length=2000)] = "",
    ):
        if not _NUMBER.fullmatch(contract_number):
            raise LookupFailed()
        try:
            await orderer_requests.request_release(
                request.app.state.pool, user, contract_number, version, release_grounds, release_note
            )
        except orderer_requests.InvalidRequest as exc:
            return await certificate_page(request, user, contract_number, version, status_code=422, requests_form={
                "errors": exc.errors, "entered": {GROUNDS_FIELD: release_grounds, NOTE_FIELD: release_note}})
        return back(contract_number, version, "release")
