"""The orderer HTTP API (保証確認サービス API): login, then open a certificate with 保証契約番号 + 認証キー."""

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

import asyncpg
import structlog
from fastapi import Depends, FastAPI, HTTPException, Path, Request, Response, status
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.documents import RenderTimeout
from shared.request_errors import DETAIL, error_responses, install_json_errors
from shared.unavailable import install_unavailable
from services.platform.adapters.pdf import CertificatePdf
from services.platform.domain import messages
from services.platform.domain.accounts import LoginThrottled, LookupFailed, LookupThrottled, OrdererUser, VersionNotFound
from services.platform.domain.orderer_requests import AMENDMENT_FIELD, GROUNDS_FIELD, NOTE_FIELD
from services.platform.entrypoints.schemas import (
    AmendmentRequestIn,
    CertificateResponse,
    CertificateStatus,
    LoginRequest,
    LookupRequest,
    ReleaseRequestIn,
    RequestSentOut,
    TokenResponse,
)
from services.platform.entrypoints.lookup_answer import lookup_answer
from services.platform.entrypoints.web import create_viewer
from services.platform.handlers import accounts, lookup, orderer_requests
from services.platform.settings import Settings

log = structlog.get_logger()

CORRELATION_HEADER = "X-Correlation-ID"
NO_STORE = {"Cache-Control": "no-store"}


class CorrelationIdMiddleware:
    """Binds the request's correlation id (X-Correlation-ID or a new one) on every log line, and echoes it."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(CORRELATION_HEADER.lower().encode())
        correlation_id = given.decode("latin-1")[:200] if given else str(uuid.uuid4())

        async def send_with_header(message) -> None:
            if message["type"] == "http.response.start":
                header = (CORRELATION_HEADER.lower().encode(), correlation_id.encode("latin-1"))
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        # Whatever the request binds (correlation id, user) is undone afterwards.
        before = structlog.contextvars.get_contextvars()
        structlog.contextvars.bind_contextvars(correlation_id=correlation_id)
        try:
            await self.app(scope, receive, send_with_header)
        finally:
            structlog.contextvars.clear_contextvars()
            structlog.contextvars.bind_contextvars(**before)


def _lookup_errors() -> dict:
    return error_responses(
        401, 404, 422, 429,
        descriptions={404: messages.LOOKUP_FAILED, 429: messages.LOOKUP_THROTTLED, 401: messages.NOT_AUTHENTICATED},
    )


# The page's field names → the JSON body's, for the problems of a refused request.
_REQUEST_PATHS = {AMENDMENT_FIELD: "message", GROUNDS_FIELD: "grounds", NOTE_FIELD: "note"}


def _refused(exc: orderer_requests.InvalidRequest) -> JSONResponse:
    problems = [
        {"path": _REQUEST_PATHS.get(field, field), "label": messages.PAGE_LABELS.get(field, field),
         "rule": "request_rule", "message": message}
        for field, message in exc.errors.items()
    ]
    return JSONResponse(status_code=422, content={"detail": DETAIL, "problems": problems})


def _status(ending) -> CertificateStatus | None:
    return CertificateStatus(status=ending.status, label=ending.label, ended_on=ending.ended_on) if ending else None


def create_app(*, pool: asyncpg.Pool, settings: Settings, pdf: CertificatePdf) -> FastAPI:
    app = FastAPI(
        title="保証確認サービス API",
        description="発注者が保証契約番号と認証キーで電子保証（電子証書）を閲覧するためのAPI。",
        version="1.0.0",
        # Answers any route may give (a body it cannot read, no login, too large, invalid input).
        responses=error_responses(400, 401, 413, 422, 503),
    )
    app.add_middleware(CorrelationIdMiddleware)
    install_json_errors(app, messages.FIELD_LABELS, pages_at=("/viewer",))
    # PostgreSQL down, or a PDF render over its time limit: 503 with Retry-After (shared/unavailable.py).
    install_unavailable(app, extra={RenderTimeout: "pdf-renderer"})
    bearer = HTTPBearer(auto_error=False)

    def signed_in(user: OrdererUser | None) -> OrdererUser:
        if user is None:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED, messages.NOT_AUTHENTICATED, headers={"WWW-Authenticate": "Bearer"}
            )
        structlog.contextvars.bind_contextvars(login_id=user.login_id, organisation=user.organisation.code)
        return user

    async def current_user(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> OrdererUser:
        return signed_in(await accounts.authenticate(pool, credentials.credentials) if credentials else None)

    async def user_on_connection(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> AsyncIterator[tuple[OrdererUser, asyncpg.Connection]]:
        """current_user, and the pool connection it was read on, kept for the request (one checkout)."""
        async with pool.acquire() as conn:
            yield signed_in(await accounts.authenticate_on(conn, credentials.credentials) if credentials else None), conn

    async def open_certificate(
        body: LookupRequest, user: OrdererUser, conn: asyncpg.Connection | None = None
    ) -> lookup.CertificateView:
        found = dict(contract_number=body.contract_number, auth_key=body.auth_key, version=body.version)
        try:
            if conn is not None:
                return await lookup.open_certificate_on(conn, settings, user, **found)
            return await lookup.open_certificate(pool, settings, user, **found)
        except LookupThrottled as exc:
            log.warning("certificate lookup throttled", retry_after=exc.retry_after)
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS, messages.LOOKUP_THROTTLED, headers={"Retry-After": str(exc.retry_after)}
            ) from None
        except LookupFailed:
            log.info("certificate lookup failed")
            raise HTTPException(status.HTTP_404_NOT_FOUND, messages.LOOKUP_FAILED) from None
        except VersionNotFound:
            raise HTTPException(status.HTTP_404_NOT_FOUND, messages.VERSION_NOT_FOUND) from None

    @app.post(
        "/auth/login", response_model=TokenResponse, responses=error_responses(401, 422, 429)
    )
    async def login(body: LoginRequest, request: Request) -> TokenResponse:
        try:
            token = await accounts.login(
                pool, body.login_id, body.password, ttl_seconds=settings.token_ttl_seconds,
                idle_timeout_seconds=settings.token_idle_seconds,
                source=request.client.host if request.client else "unknown",
            )
        except LoginThrottled as exc:
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS, messages.login_throttled(exc.retry_after),
                headers={"Retry-After": str(exc.retry_after)},
            ) from None
        if token is None:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, messages.LOGIN_FAILED)
        return TokenResponse(access_token=token)

    @app.post("/auth/logout", status_code=204, responses=error_responses(401))
    async def logout(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        _: Annotated[OrdererUser, Depends(current_user)],
    ) -> Response:
        """Ends this bearer token's session at once."""
        await accounts.logout(pool, credentials.credentials)
        return Response(status_code=204)

    @app.post("/certificates/lookup", response_model=CertificateResponse, responses=_lookup_errors())
    async def lookup_certificate(
        body: LookupRequest, signed: Annotated[tuple[OrdererUser, asyncpg.Connection], Depends(user_on_connection)]
    ) -> Response:
        view = await open_certificate(body, *signed)
        selected = view.selected
        log.info("certificate opened", contract_number=selected.contract_number, version=selected.version)
        # 期間満了 / 解約 (view.ending): read with the versions, in the lookup's round trips
        return Response(lookup_answer(view, _status(view.ending)), media_type="application/json", headers=NO_STORE)

    @app.post(
        "/certificates/pdf",
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}, "description": "保証証書 PDF"}, **_lookup_errors()},
    )
    async def certificate_pdf(body: LookupRequest, user: Annotated[OrdererUser, Depends(current_user)]) -> Response:
        view = await open_certificate(body, user)
        selected = view.selected
        document = await pdf.render(selected.content)
        filename = f"{selected.contract_number}-{selected.version}.pdf"
        return Response(
            document,
            media_type="application/pdf",
            headers={**NO_STORE, "Content-Disposition": f'inline; filename="{filename}"'},
        )

    async def send_request(send, contract_number: str, kind: str) -> JSONResponse:
        try:
            request_id = await send()
        except orderer_requests.InvalidRequest as exc:
            return _refused(exc)
        except LookupFailed:
            # Not in the organisation's 保証確認台帳 (never opened with its key) or not addressed to it.
            raise HTTPException(status.HTTP_404_NOT_FOUND, messages.LOOKUP_FAILED) from None
        answer = RequestSentOut(request_id=str(request_id), kind=kind)
        return JSONResponse(answer.model_dump(), status_code=201, headers=NO_STORE)

    request_errors = error_responses(
        401, 404, 422, descriptions={404: messages.LOOKUP_FAILED, 401: messages.NOT_AUTHENTICATED}
    )

    @app.post("/certificates/{contract_number}/amendment-requests", status_code=201,
              response_model=RequestSentOut, responses=request_errors)
    async def amendment_request(
        contract_number: Annotated[str, Path(max_length=64)], body: AmendmentRequestIn,
        user: Annotated[OrdererUser, Depends(current_user)],
    ) -> JSONResponse:
        """変更依頼: ask the contractor for a 変更 of a certificate in the organisation's 保証確認台帳 (the same
        handler as the viewer's form; the contractor sees it on Net Desk, the surety company gets an event)."""
        return await send_request(lambda: orderer_requests.request_amendment(
            pool, user, contract_number, body.version, body.message), contract_number, "amendment")

    @app.post("/certificates/{contract_number}/release-requests", status_code=201,
              response_model=RequestSentOut, responses=request_errors)
    async def release_request(
        contract_number: Annotated[str, Path(max_length=64)], body: ReleaseRequestIn,
        user: Annotated[OrdererUser, Depends(current_user)],
    ) -> JSONResponse:
        """解除確認: confirm that the guarantee may be released (工事完成・前払金精算済)."""
        return await send_request(lambda: orderer_requests.request_release(
            pool, user, contract_number, body.version, list(body.grounds), body.note), contract_number, "release")

    # The orderer's web pages: the same handlers, as HTML for staff (services/platform/entrypoints/web).
    app.mount("/viewer", create_viewer(pool, settings, pdf))

    @app.get("/", include_in_schema=False)
    async def to_viewer() -> RedirectResponse:
        return RedirectResponse("/viewer/", status_code=307)

    return app
