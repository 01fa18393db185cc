"""The contractor HTTP API ("Net Desk 保証申込 API"): thin routes over the service layer.

Every route but /auth/login needs a bearer token; a contractor only ever sees its own company's data
(404 for anything else, so existence does not leak). The correlation id (X-Correlation-ID, or a new
one) is bound on every log line of the request and stored on an application when it is submitted.
"""

import re
import uuid
from datetime import timedelta
from typing import Annotated
from uuid import UUID

import asyncpg
import structlog
from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.background import BackgroundTask

from shared.events import Product
from shared.request_errors import error_responses, install_json_errors
from shared.request_fields import Date, Text
from shared.unavailable import install_unavailable
from services.application.adapters.issuance_client import DocumentNotReady, IssuanceClient, IssuanceUnavailable
from services.application.adapters.orderer_registry import OrdererRegistry
from services.application.domain import messages
from services.application.entrypoints import schemas
from services.application.entrypoints.web import create_portal
from services.application.entrypoints.web.requests import client_address
from services.application.domain import cancellation, list_cursor
from services.application.adapters.contract_list_repository import Filters
from services.application.handlers import accounts, applications, contract_list, contracts, follow_ups, guarantee_status
from services.application.handlers.accounts import CurrentUser
from services.application.settings import Settings

TITLE = "Net Desk 保証申込 API"
_CORRELATION_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_CONTRACT_NUMBER = re.compile(r"[0-9]{5}-[0-9]{5}[A-Z]")
_bearer = HTTPBearer(auto_error=False)


def _problem_responses(*codes: int) -> dict:
    """What a route answers besides success; 401 and 422 (every route reads a token or input) always."""
    return error_responses(*sorted({401, 422, *codes}), descriptions=_DESCRIPTIONS)


_DESCRIPTIONS = {
    401: "ログインしていない / 有効期限切れ",
    403: "送信パスワードが正しくない",
    404: "見つからない（他社のデータを含む）",
    409: "送信済み・送信待ちのため変更できない / 入札結果は登録済み / この保証契約は変更申込できない"
    " / 解約の申込ができない（期間満了・解約済み・申込中・契約保証予約）",
    422: "入力内容に誤りがある（problems）",
    429: "ログインの失敗が続いたため一時的に受け付けない（Retry-After 秒後に再試行）",
    503: "ただいま混み合っているか保守中（データベースまたは発行システムに接続できない。Retry-After 秒後に再試行）",
}


def _fixed_answer(status_code: int, detail: str):
    async def answer(_: Request, __: Exception) -> JSONResponse:
        return JSONResponse(status_code=status_code, content={"detail": detail})

    return answer


def create_app(
    pool: asyncpg.Pool, issuance: IssuanceClient, settings: Settings, registry: OrdererRegistry | None = None
) -> FastAPI:
    registry = registry or OrdererRegistry(issuance)
    app = FastAPI(
        title=TITLE,
        version="1",
        description=(
            "受注者（請負契約者）が前払金保証・中間前払金保証・契約保証・契約保証予約（入札ボンド）を申し込み、"
            "保証契約と認証キーを確認する API。"
        ),
        # Answers any route may give (a body it cannot read, no login, too large, invalid input).
        responses=error_responses(400, 401, 413, 422, 503, descriptions=_DESCRIPTIONS),
    )
    session_ttl = timedelta(hours=settings.application_session_hours)
    api_idle = timedelta(minutes=settings.application_api_idle_minutes)
    app.state.orderer_registry = registry  # tests and operators may invalidate the cached registry

    @app.middleware("http")
    async def bind_correlation_id(request: Request, call_next):
        given = request.headers.get("x-correlation-id", "")
        correlation_id = given if _CORRELATION_ID.fullmatch(given) else str(uuid.uuid4())
        request.state.correlation_id = correlation_id
        with structlog.contextvars.bound_contextvars(correlation_id=correlation_id):
            response = await call_next(request)
        response.headers["X-Correlation-ID"] = correlation_id
        return response

    install_json_errors(
        app,
        {**messages.BID_RESULT_LABELS, **messages.LABELS, **messages.REQUEST_LABELS, **cancellation.FIELD_LABELS},
        pages_at=("/portal",),
    )

    @app.exception_handler(applications.FormNotStorable)
    async def not_storable(_: Request, exc: applications.FormNotStorable) -> JSONResponse:
        problems = [p.as_dict() for p in exc.problems]
        return JSONResponse(status_code=422, content={"detail": messages.FORM_NOT_STORABLE, "problems": problems})

    # Errors whose answer is a fixed status and Japanese detail.
    fixed_answers = {
        applications.ApplicationNotFound: (404, messages.APPLICATION_NOT_FOUND),
        contracts.ContractNotFound: (404, messages.CONTRACT_NOT_FOUND),
        applications.SendPasswordRejected: (403, messages.SEND_PASSWORD_WRONG),
        follow_ups.NotABidBond: (404, messages.NOT_A_BID_BOND),
        follow_ups.NotAnAdvancePayment: (404, messages.NOT_AN_ADVANCE_PAYMENT),
    }
    for error, (status_code, detail) in fixed_answers.items():
        app.add_exception_handler(error, _fixed_answer(status_code, detail))

    @app.exception_handler(applications.NotEditable)
    async def not_editable(_: Request, exc: applications.NotEditable) -> JSONResponse:
        if exc.status == applications.AWAITING_SEND:
            return JSONResponse(status_code=409, content={"detail": messages.AWAITING_SEND_NOT_EDITABLE})
        label = messages.application_status_label(exc.status)
        return JSONResponse(status_code=409, content={"detail": messages.ALREADY_SUBMITTED.format(status=label)})

    @app.exception_handler(applications.UnknownSection)
    async def unknown_section(_: Request, exc: applications.UnknownSection) -> JSONResponse:
        sections = "、".join(applications.SECTIONS)
        return JSONResponse(
            status_code=404, content={"detail": messages.SECTION_NOT_FOUND.format(section=exc.section, sections=sections)}
        )

    @app.exception_handler(follow_ups.NotAmendable)
    async def not_amendable(_: Request, exc: follow_ups.NotAmendable) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": exc.reason})

    @app.exception_handler(guarantee_status.NotCancellable)
    async def not_cancellable(_: Request, exc: guarantee_status.NotCancellable) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": exc.reason})

    @app.exception_handler(guarantee_status.InvalidCancellation)
    async def invalid_cancellation(_: Request, exc: guarantee_status.InvalidCancellation) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": cancellation.INVALID, "problems": exc.problems})

    @app.exception_handler(follow_ups.BidBondSettled)
    async def bid_bond_settled(_: Request, exc: follow_ups.BidBondSettled) -> JSONResponse:
        label = messages.CONTRACT_STATUS_LABELS.get(exc.status, exc.status)
        return JSONResponse(status_code=409, content={"detail": messages.BID_BOND_ALREADY_SETTLED.format(status=label)})

    # PostgreSQL or issuance's internal API down: 503 with Retry-After (shared/unavailable.py).
    install_unavailable(app, extra={IssuanceUnavailable: "issuance"})

    # A PDF asked for before issuance has rendered it: 503 with its own message and Retry-After.
    @app.exception_handler(DocumentNotReady)
    async def document_not_ready(_: Request, exc: DocumentNotReady) -> JSONResponse:
        structlog.get_logger().warning("pdf not rendered yet", document=exc.document, retry_after=exc.retry_after)
        return JSONResponse(status_code=503, content={"detail": messages.PDF_NOT_READY[exc.document]},
                            headers={"Retry-After": str(exc.retry_after)})

    async def current_user(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> CurrentUser:
        if credentials is None:
            raise HTTPException(401, messages.LOGIN_REQUIRED, headers={"WWW-Authenticate": "Bearer"})
        try:
            user = await accounts.current_user(pool, credentials.credentials, touch=True)
        except accounts.NotAuthenticated as exc:
            detail = messages.SESSION_EXPIRED if exc.expired else messages.LOGIN_REQUIRED
            raise HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"}) from exc
        structlog.contextvars.bind_contextvars(company_id=str(user.company_id), login_id=user.login_id)
        return user

    User = Annotated[CurrentUser, Depends(current_user)]

    @app.post("/auth/login", response_model=schemas.TokenOut, tags=["auth"], responses=_problem_responses(401, 429))
    async def login(body: schemas.LoginIn, request: Request) -> schemas.TokenOut:
        try:
            token = await accounts.login(
                pool, login_id=body.login_id, password=body.password, ttl=session_ttl, source=client_address(request),
                idle_timeout=api_idle,
            )
        except accounts.LoginFailed as exc:
            raise HTTPException(401, messages.LOGIN_FAILED, headers={"WWW-Authenticate": "Bearer"}) from exc
        except accounts.LoginThrottled as exc:
            detail = messages.login_throttled(exc.retry_after)
            raise HTTPException(429, detail, headers={"Retry-After": str(exc.retry_after)}) from exc
        return schemas.TokenOut(access_token=token)

    @app.post("/auth/logout", status_code=204, tags=["auth"], responses=_problem_responses(401))
    async def logout(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)], _: User
    ) -> None:
        """Ends this bearer token's session at once."""
        await accounts.logout(pool, credentials.credentials)

    @app.post("/applications", status_code=201, response_model=schemas.ApplicationOut, tags=["申込"])
    async def create_application(user: User, form: schemas.ApplicationForm | None = None):
        """申込作成: a draft keeps whatever was entered."""
        return await applications.create_draft(pool, registry, user, form.as_entered() if form else {})

    @app.put(
        "/applications/{application_id}",
        response_model=schemas.ApplicationOut,
        tags=["申込"],
        responses=_problem_responses(404, 409),
    )
    async def replace_application(application_id: UUID, user: User, form: schemas.ApplicationForm):
        """Replace the form while 作成中 or 確認済 (an edit puts it back to 作成中)."""
        return await applications.replace_form(pool, registry, user, application_id, form.as_entered())

    @app.delete(
        "/applications/{application_id}/sections/{section}",
        response_model=schemas.ApplicationOut,
        tags=["申込"],
        responses=_problem_responses(404, 409),
    )
    async def clear_section(application_id: UUID, section: str, user: User):
        """…をクリア: empty one section of a draft (contract, advance_payment, intermediate_advance_payment,
        contract_guarantee, bid_bond, tender, information); the rest stays as entered."""
        return await applications.clear_section(pool, registry, user, application_id, section)

    @app.get("/applications", response_model=list[schemas.ApplicationOut], tags=["申込"])
    async def list_applications(user: User):
        return await applications.list_own(pool, registry, user)

    @app.get(
        "/applications/{application_id}",
        response_model=schemas.ApplicationOut,
        tags=["申込"],
        responses=_problem_responses(404),
    )
    async def get_application(application_id: UUID, user: User):
        return await applications.get_own(pool, registry, user, application_id)

    @app.post(
        "/applications/{application_id}/confirm",
        response_model=schemas.ConfirmationOut,
        tags=["申込"],
        responses=_problem_responses(404),
    )
    async def confirm_application(application_id: UUID, user: User):
        """申込確認: every problem at once, and the ratios."""
        return await applications.confirm(pool, registry, user, application_id)

    @app.post(
        "/applications/{application_id}/submit",
        status_code=202,
        response_model=schemas.SubmissionOut,
        tags=["申込"],
        responses={200: {"description": "送信済み・送信待ち（二重送信はしない）", "model": schemas.SubmissionOut}}
        | _problem_responses(403, 404, 422),
    )
    async def submit_application(
        application_id: UUID, user: User, request: Request, body: schemas.SubmitIn | None = None
    ):
        """送信完了: re-validates, files once; a repeated submit answers 200 with the same body.
        With a company send password, a submit without it parks the application (送信待ち, 202)."""
        body = body or schemas.SubmitIn()
        try:
            sent = await applications.submit(
                pool,
                registry,
                user,
                application_id,
                request.state.correlation_id,
                send_password=body.send_password,
                acknowledge_warnings=body.acknowledge_warnings,
            )
        except applications.InvalidApplication as exc:
            return _refused(application_id, messages.INVALID_APPLICATION, exc.validation, exc.validation.problems)
        except applications.WarningsNotAcknowledged as exc:
            v = exc.validation
            return _refused(application_id, messages.WARNINGS_NOT_ACKNOWLEDGED, v, v.warnings)
        body = {"id": str(sent.id), "status": sent.status, "correlation_id": sent.correlation_id}
        return JSONResponse(status_code=200 if sent.already_submitted else 202, content=body)

    def _refused(application_id: UUID, detail: str, validation, problems) -> JSONResponse:
        return JSONResponse(
            status_code=422,
            content={
                "detail": detail,
                "id": str(application_id),
                "ok": validation.ok,
                "problems": [p.as_dict() for p in problems],
                "ratios": validation.ratios,
            },
        )

    @app.get(
        "/contracts",
        response_model=list[schemas.ContractRowOut],
        tags=["保証契約"],
        responses={200: {"description": "1ページ分（新しい順）", "headers": schemas.NEXT_PAGE_HEADERS}},
    )
    async def list_contracts(
        request: Request,
        response: Response,
        user: User,
        product: Product | None = None,
        period_from: Annotated[Date | None, Query(description="発行日（JST）から: 2023-03-20 または 20230320")] = None,
        period_to: Annotated[Date | None, Query(description="発行日（JST）まで")] = None,
        construction_name: Annotated[Text(100) | None, Query(description="工事名（部分一致）")] = None,
        contract_number: Annotated[Text(20) | None, Query(description="保証契約番号（ピンポイント検索）")] = None,
        limit: Annotated[int, Query(ge=contract_list.MIN_LIMIT, le=contract_list.MAX_LIMIT,
                                    description="1ページの件数")] = contract_list.DEFAULT_LIMIT,
        cursor: Annotated[schemas.ListCursor | None, Query(
            description="続きの位置: 前の応答の X-Next-Cursor をそのまま（クライアントが作るものではない）")] = None,
    ):
        """保証契約一覧: 新しい順（発行日時の降順、同時刻は保証契約番号順）に limit 件ずつ。続きがあれば
        X-Next-Cursor と Link（rel="next"）ヘッダーで次のページの cursor を返す。ページの間に発行された
        保証契約があっても、行が重複したり抜けたりしない。"""
        result = await contract_list.page(
            pool,
            user,
            Filters(
                product=product.value if product else None,
                period_from=period_from,
                period_to=period_to,
                construction_name=construction_name or None,
                contract_number=contract_number or None,
            ),
            cursor=list_cursor.decode(cursor) if cursor else None,
            limit=limit,
        )
        if result.next_cursor:
            following = request.url.include_query_params(cursor=result.next_cursor)
            response.headers["X-Next-Cursor"] = result.next_cursor
            response.headers["Link"] = f'<{following.path}?{following.query}>; rel="next"'
        return result.rows

    def _known_format(contract_number: str) -> str:
        if not _CONTRACT_NUMBER.fullmatch(contract_number):
            raise contracts.ContractNotFound(contract_number)
        return contract_number

    @app.get(
        "/contracts/{contract_number}",
        response_model=schemas.ContractOverviewOut,
        tags=["保証契約"],
        responses=_problem_responses(404, 503),
    )
    async def contract_overview(contract_number: str, user: User):
        """電子保証概要: with the 認証キー and the history (電子保証情報)."""
        return await contracts.overview(pool, issuance, user, _known_format(contract_number))

    async def _pdf(contract_number: str, user: CurrentUser, document: str, version: int | None) -> StreamingResponse:
        number = _known_format(contract_number)
        upstream = await contracts.open_document(pool, issuance, user, number, document, version)
        return StreamingResponse(
            upstream.aiter_bytes(),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{number}-{document}.pdf"'},
            background=BackgroundTask(upstream.aclose),
        )

    @app.post(
        "/contracts/{contract_number}/bid-result",
        tags=["保証契約"],
        status_code=201,
        responses={
            201: {"description": "落札: 契約保証＋前払金保証の申込（作成中）", "model": schemas.ApplicationOut},
            200: {"description": "落札できなかった: 契約保証予約は失効", "model": schemas.ContractRowOut},
        }
        | _problem_responses(404, 409),
    )
    async def bid_result(contract_number: str, body: schemas.BidResultIn, user: User, request: Request):
        """入札結果 of a 契約保証予約: won → a new draft pre-filled from the bond (転換済); lost → 失効."""
        outcome, content = await follow_ups.record_bid_result(
            pool,
            registry,
            user,
            _known_format(contract_number),
            follow_ups.BidResult(
                won=body.won,
                contract_amount=body.contract_amount,
                contract_date=body.contract_date,
                award_date=body.award_date,
            ),
            request.state.correlation_id,
        )
        if outcome == "converted":
            out = schemas.ApplicationOut.model_validate(content)
            return JSONResponse(status_code=201, content=jsonable_encoder(out))
        return JSONResponse(status_code=200, content=jsonable_encoder(schemas.ContractRowOut.model_validate(content)))

    @app.post(
        "/contracts/{contract_number}/intermediate-application",
        status_code=201,
        response_model=schemas.ApplicationOut,
        tags=["保証契約"],
        responses=_problem_responses(404),
    )
    async def intermediate_application(contract_number: str, user: User):
        """中間前払金保証の申込 against this 前払金保証: a draft pre-filled from its application."""
        return await follow_ups.start_intermediate(pool, registry, user, _known_format(contract_number))

    @app.post(
        "/contracts/{contract_number}/amendment-application",
        status_code=201,
        response_model=schemas.ApplicationOut,
        tags=["保証契約"],
        responses=_problem_responses(404, 409),
    )
    async def amendment_application(contract_number: str, user: User):
        """変更申込: a draft pre-filled from the guarantee's latest version (保証金額の増額・減額, 保証期限・工期の
        変更, 工事名など記載内容の変更). Complete it and send it like a new application (申込確認 > 送信): the
        surety company issues 変更-N with the same 保証契約番号 and 認証キー."""
        return await follow_ups.start_amendment(pool, registry, user, _known_format(contract_number))

    @app.post(
        "/contracts/{contract_number}/cancellation-request",
        status_code=202,
        response_model=schemas.CancellationRequestOut,
        tags=["保証契約"],
        responses=_problem_responses(403, 404, 409, 422),
    )
    async def cancellation_request(
        contract_number: str, body: schemas.CancellationRequestIn, user: User, request: Request
    ):
        """解約の申込: the surety company checks it and cancels the guarantee (状況 解約, with the 解約日) or answers
        why it cannot (the request's state refused, with the reason). One request at a time per guarantee;
        not for a 契約保証予約, nor once the guarantee has ended (期間満了 / 解約: 409)."""
        return await guarantee_status.request_cancellation(
            pool, user, _known_format(contract_number), reason=body.reason.value, reason_text=body.reason_text,
            send_password=body.send_password, correlation_id=request.state.correlation_id,
        )

    pdf = {200: {"content": {"application/pdf": {}}, "description": "PDF"}} | _problem_responses(404, 503)
    VersionQuery = Annotated[int | None, Query(ge=0, le=9999, description="版: 0 = 新規, N = 変更-N（省略時は最新）")]

    @app.get(
        "/contracts/{contract_number}/certificate.pdf", tags=["保証契約"], response_class=StreamingResponse, responses=pdf
    )
    async def certificate_pdf(contract_number: str, user: User, version: VersionQuery = None):
        """保証証書 (PDF): the latest version, or `version` (0 = 新規, N = 変更-N)."""
        return await _pdf(contract_number, user, "certificate", version)

    @app.get(
        "/contracts/{contract_number}/key-notice.pdf", tags=["保証契約"], response_class=StreamingResponse, responses=pdf
    )
    async def key_notice_pdf(contract_number: str, user: User, version: VersionQuery = None):
        """電子保証にかかる「認証キー」のお知らせ (PDF): the latest version, or `version`."""
        return await _pdf(contract_number, user, "key-notice", version)

    # Net Desk's web pages: the same handlers, as HTML for people (services/application/entrypoints/web).
    app.mount("/portal", create_portal(pool, issuance, registry, settings))

    @app.get("/", include_in_schema=False)
    async def to_portal() -> RedirectResponse:
        return RedirectResponse("/portal/", status_code=307)

    return app
