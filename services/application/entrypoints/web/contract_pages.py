"""保証契約一覧, 電子保証概要 (with the 認証キー and its PDF), the certificate view (④) of each version,
both PDFs of any version (?version=N, as the JSON API), and the follow-ups of a contract: 変更を申し込む,
中間前払金を申し込む and 入札結果の登録 of a bid bond."""

import re
from datetime import date, datetime, timezone
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, StreamingResponse
from starlette.background import BackgroundTask

from shared.events import PRODUCT_LABELS, Product
from shared.japanese import jst_wareki_minute
from services.application.adapters.contract_list_repository import Filters
from services.application.domain import list_cursor, messages, values
from services.application.entrypoints.web.rendering import NO_STORE, Pages, url
from services.application.entrypoints.web.session import web_user
from services.application.handlers import contract_list, contracts, follow_ups
from services.application.handlers.accounts import CurrentUser
from services.application.settings import Settings

TABS = {
    "applications": "保証申込",
    "electronic": "電子保証（認証キー）",
    "bid_bond": "契約保証予約（入札ボンド）",
}
_NUMBER = re.compile(r"[0-9]{5}-[0-9]{5}[A-Z]")
MAX_QUERY = 200
# ?version=N of the PDFs, as the JSON API takes it (0 = 新規, N = 変更-N; absent: the latest).
VersionQuery = Annotated[int | None, Query(ge=0, le=9999)]


def document_links(contract_number: str, version: int, label: str, *, electronic: bool) -> list[dict[str, str]]:
    """Both PDFs of one version (the key notice only for 電子保証), named by the version they are of."""
    base = url(f"/contracts/{contract_number}")
    links = [{"href": f"{base}/certificate.pdf?version={version}", "label": f"保証証書PDF（{label}）"}]
    if electronic:
        links.append({"href": f"{base}/key-notice.pdf?version={version}", "label": f"認証キーのお知らせPDF（{label}）"})
    return links


def _number(contract_number: str) -> str:
    """The 保証契約番号 of a URL, or the same 404 as an unknown contract."""
    if not _NUMBER.fullmatch(contract_number):
        raise contracts.ContractNotFound(contract_number)
    return contract_number


def _search_value(raw: str | None, parse) -> tuple[object | None, str | None]:
    """(parsed value, None) or (None, error message) for one search field; blank → (None, None)."""
    if raw is None or not raw.strip():
        return None, None
    try:
        return parse(raw[:MAX_QUERY]), None
    except values.Invalid as exc:
        return None, exc.rule


def router(pages: Pages, settings: Settings) -> APIRouter:
    r = APIRouter()
    User = Annotated[CurrentUser, Depends(web_user)]
    # contract.html lists both PDFs of every version of its history (the same links as the certificate view).
    pages.templates.env.globals["document_links"] = document_links

    @r.get("/contracts")
    async def listing(
        request: Request,
        user: User,
        tab: str = "applications",
        product: str = "",
        period_from: str = "",
        period_to: str = "",
        construction_name: str = "",
        contract_number: str = "",
        cursor: str = "",
    ):
        tab = tab if tab in TABS else "applications"
        chosen = product if product in {p.value for p in Product} else ""
        errors: dict[str, str] = {}
        start, rule = _search_value(period_from, values.a_date)
        if rule:
            errors["period_from"] = messages.WEB_SEARCH_DATE.format(label="期間（開始）")
        end, rule = _search_value(period_to, values.a_date)
        if rule:
            errors["period_to"] = messages.WEB_SEARCH_DATE.format(label="期間（終了）")
        number, rule = _search_value(contract_number, values.contract_number)
        if rule:
            errors["contract_number"] = messages.WEB_SEARCH_NUMBER
        if isinstance(start, date) and isinstance(end, date) and end < start:
            errors["period_to"] = messages.WEB_SEARCH_PERIOD_ORDER
        try:  # 次へ / 前へ; an edited or stale one shows the first page again
            position = list_cursor.decode(cursor) if cursor else None
        except list_cursor.InvalidCursor:
            position = None
        query = {
            "tab": tab, "product": chosen, "period_from": period_from[:MAX_QUERY], "period_to": period_to[:MAX_QUERY],
            "construction_name": construction_name[:MAX_QUERY], "contract_number": contract_number[:MAX_QUERY],
        }
        result = None
        if not errors:
            filters = Filters(
                product=chosen or None, period_from=start, period_to=end,
                construction_name=construction_name.strip()[:MAX_QUERY] or None, contract_number=number, tab=tab,
            )
            result = await contract_list.page(
                request.app.state.pool, user, filters, cursor=position, limit=settings.portal_page_size, count=True
            )

        def href(**changes) -> str:
            params = {k: v for k, v in (query | changes).items() if v}
            return url("/contracts") + "?" + urlencode(params)

        return pages.render(
            request, "contracts.html", user, status_code=422 if errors else 200,
            tabs=TABS, tab=tab, query=query, errors=errors, result=result, href=href, count_cap=contract_list.COUNT_CAP,
            products=[(p.value, PRODUCT_LABELS[p]) for p in Product],
        )

    @r.get("/contracts/{contract_number}")
    async def overview(request: Request, user: User, contract_number: str):
        detail = await contracts.overview(request.app.state.pool, request.app.state.issuance, user, _number(contract_number))
        return pages.render(request, "contract.html", user, c=detail, amendment_error=None)

    @r.get("/contracts/{contract_number}/versions/{version}")
    async def certificate_view(request: Request, user: User, contract_number: str, version: int):
        v = await contracts.certificate_version(request.app.state.pool, user, _number(contract_number), version)
        # This version's own PDFs (issuance keeps those of every version).
        documents = document_links(contract_number, v.version, v.version_label, electronic=v.content.electronic)
        # A printout must say what it is: a record of viewing the electronic certificate, not an original.
        viewer = None
        if v.content.electronic:
            who = f"{user.company_name}　{user.display_name or user.login_id}"
            viewer = {"at": jst_wareki_minute(datetime.now(timezone.utc)), "by": who}
        statement = None if v.content.electronic else messages.WEB_PAPER_CERTIFICATE_VIEW
        return pages.render(request, "certificate_view.html", user, v=v, c=v.content, pdf_url=None,
                            documents=documents, back_url=url(f"/contracts/{contract_number}"), viewer=viewer,
                            statement=statement, status_note=v.status_note, status_title=v.status_title)

    async def _pdf(request: Request, user: CurrentUser, contract_number: str, document: str, version: int | None):
        """The latest version's PDF, or version `version`'s: the JSON API's handler (contracts.open_document)."""
        number = _number(contract_number)
        upstream = await contracts.open_document(
            request.app.state.pool, request.app.state.issuance, user, number, document, version
        )
        stem = number if version is None else f"{number}-v{version}"
        return StreamingResponse(
            upstream.aiter_bytes(),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{stem}-{document}.pdf"', **NO_STORE},
            background=BackgroundTask(upstream.aclose),
        )

    @r.get("/contracts/{contract_number}/key-notice.pdf")
    async def key_notice_pdf(request: Request, user: User, contract_number: str, version: VersionQuery = None):
        return await _pdf(request, user, contract_number, "key-notice", version)

    @r.get("/contracts/{contract_number}/certificate.pdf")
    async def certificate_pdf(request: Request, user: User, contract_number: str, version: VersionQuery = None):
        return await _pdf(request, user, contract_number, "certificate", version)

    @r.post("/contracts/{contract_number}/intermediate")
    async def start_intermediate(request: Request, user: User, contract_number: str):
        """中間前払金を申し込む: the pre-filled draft, opened for the contractor to complete."""
        draft = await follow_ups.start_intermediate(
            request.app.state.pool, request.app.state.registry, user, _number(contract_number)
        )
        return RedirectResponse(url(f"/applications/{draft['id']}/edit"), status_code=303)

    @r.post("/contracts/{contract_number}/amendment")
    async def start_amendment(request: Request, user: User, contract_number: str):
        """変更を申し込む: a draft pre-filled from the latest version, opened to change; when the guarantee
        cannot be changed, 電子保証概要 again with the reason."""
        number = _number(contract_number)
        pool = request.app.state.pool
        try:
            draft = await follow_ups.start_amendment(pool, request.app.state.registry, user, number)
        except follow_ups.NotAmendable as exc:
            detail = await contracts.overview(pool, request.app.state.issuance, user, number)
            return pages.render(request, "contract.html", user, status_code=409, c=detail, amendment_error=exc.reason)
        return RedirectResponse(url(f"/applications/{draft['id']}/edit"), status_code=303)

    @r.get("/contracts/{contract_number}/bid-result")
    async def bid_result_form(request: Request, user: User, contract_number: str):
        detail = await contracts.overview(request.app.state.pool, request.app.state.issuance, user, _number(contract_number))
        if detail["product"] != Product.BID_BOND:
            raise follow_ups.NotABidBond(contract_number)
        return pages.render(request, "bid_result.html", user, c=detail, errors={}, entered={})

    @r.post("/contracts/{contract_number}/bid-result")
    async def bid_result(request: Request, user: User, contract_number: str):
        number = _number(contract_number)
        posted = await request.form()
        entered = {k: str(posted.get(k) or "")[:MAX_QUERY] for k in ("won", "contract_amount", "contract_date", "award_date")}
        errors: dict[str, str] = {}
        if entered["won"] not in ("true", "false"):
            errors["won"] = messages.WEB_BID_RESULT_CHOICE
        won = entered["won"] == "true"
        amount, rule = _search_value(entered["contract_amount"], values.amount)
        if rule:
            errors["contract_amount"] = messages.message(rule, "contract.contract_amount").replace("（contract.contract_amount）", "")
        for key, path in (("contract_date", "contract.contract_date"), ("award_date", "tender.award_date")):
            _, rule = _search_value(entered[key], values.a_date)
            if rule:
                errors[key] = messages.message(rule, path).replace(f"（{path}）", "")
        pool, registry, issuance = request.app.state.pool, request.app.state.registry, request.app.state.issuance
        if errors:
            detail = await contracts.overview(pool, issuance, user, number)
            return pages.render(request, "bid_result.html", user, status_code=422, c=detail, errors=errors, entered=entered)
        try:
            outcome, content = await follow_ups.record_bid_result(
                pool, registry, user, number,
                follow_ups.BidResult(
                    won=won,
                    contract_amount=amount if won else None,
                    contract_date=(entered["contract_date"] or None) if won else None,
                    award_date=(entered["award_date"] or None) if won else None,
                ),
                getattr(request.state, "correlation_id", None) or number,
            )
        except follow_ups.BidBondSettled as exc:
            detail = await contracts.overview(pool, issuance, user, number)
            label = messages.CONTRACT_STATUS_LABELS.get(exc.status, exc.status)
            return pages.render(request, "bid_result.html", user, status_code=409, c=detail, entered=entered,
                                errors={"won": messages.BID_BOND_ALREADY_SETTLED.format(status=label)})
        if outcome == "converted":
            return RedirectResponse(url(f"/applications/{content['id']}/edit"), status_code=303)
        return RedirectResponse(url(f"/contracts/{number}"), status_code=303)

    return r
