"""The internal HTTP API the application service calls: the orderer registry (for 申込確認) and the
contractor's key and PDFs.

Every route needs `Authorization: Bearer <INTERNAL_API_TOKEN>` (401 otherwise). The certificate routes
also need `X-Company-Id`, the contractor company the caller acts for: a certificate of another company
answers 404, exactly like an unknown number. A paper certificate (証書(紙)) has a certificate.pdf but
no 認証キー and no key notice: those answer 404 too.

The documents are those of the latest version (新規, 変更-1, …) unless `?version=N` names another one (0 =
新規); a version the certificate does not have answers 404. The 認証キー is the same for every version.

A PDF is rendered after the certificate commits (docs/pdf-rendering.md). A download that comes first renders
it now (or waits for whoever is rendering it) and gets the bytes stored, the same every later download gets;
when that cannot happen within PDF_DOWNLOAD_WAIT_SECONDS (a render that failed waits for its retry) it
answers 503 with Retry-After and `{"detail": …, "document": "certificate" | "key_notice"}`.
"""

import secrets
from typing import Annotated
from uuid import UUID

import asyncpg
import structlog
from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.issuance.adapters import registry, versions
from services.issuance.adapters.certificates import find_for_company
from services.issuance.adapters.pdf_jobs import Job
from services.issuance.domain.model import Orderer
from services.issuance.handlers.render_documents import NotReady, document_for_download
from shared.documents import DocumentRenderer

NOT_FOUND = "保証契約が見つかりません。"
UNAUTHORIZED = "認証が必要です。"
NOT_READY = {
    "certificate": "保証証書PDFを作成中です。しばらくしてから再度お試しください。",
    "key_notice": "「認証キー」のお知らせPDFを作成中です。しばらくしてから再度お試しください。",
}

_bearer = HTTPBearer(auto_error=False)


def create_app(
    pool: asyncpg.Pool, internal_api_token: str, renderer: DocumentRenderer, *, download_wait_seconds: float = 8.0
) -> FastAPI:
    app = FastAPI(title="issuance internal API", version="1.0.0", description="保証契約の認証キーとPDF（内部用）")

    @app.exception_handler(NotReady)
    async def not_ready(_: Request, exc: NotReady) -> JSONResponse:
        return JSONResponse(
            status_code=503,
            content={"detail": NOT_READY[exc.document], "document": exc.document},
            headers={"Retry-After": str(exc.retry_after), "Cache-Control": "no-store"},
        )

    @app.middleware("http")
    async def bind_correlation_id(request: Request, call_next):
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            service="issuance", correlation_id=request.headers.get("X-Correlation-ID"), path=request.url.path
        )
        return await call_next(request)

    def authorized(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
        supplied = credentials.credentials if credentials else ""
        # An empty token (possible only with ESURETY_ENVIRONMENT=development) must not let "no header" in.
        if not internal_api_token or not secrets.compare_digest(supplied.encode(), internal_api_token.encode()):
            raise HTTPException(401, detail=UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})

    async def lookup(number: str, company_id: UUID, column: str) -> asyncpg.Record:
        row = await find_for_company(pool, number, company_id, column)
        if row is None:
            raise HTTPException(404, detail=NOT_FOUND)
        return row

    async def document(number: str, company_id: UUID, document: str, version: int | None) -> tuple[str, bytes]:
        column = "certificate_pdf" if document == "certificate" else "key_notice_pdf"
        row = await versions.find_document(pool, number, company_id, column, version)
        if row is None:
            raise HTTPException(404, detail=NOT_FOUND)
        if row["value"] is not None:
            return row["contract_number"], bytes(row["value"])
        job = Job(row["contract_number"], row["version"], row["revision"], document)
        return row["contract_number"], await document_for_download(pool, renderer, job, wait_seconds=download_wait_seconds)

    @app.get("/internal/orderers", dependencies=[Depends(authorized)])
    async def orderers() -> list[dict]:
        """The orderer registry (発注者): 電子保証 start and rule, rounding unit, 入札の状況 required."""
        return [_orderer_json(o) for o in await registry.all_orderers(pool)]

    CompanyId = Annotated[UUID, Header(alias="X-Company-Id", description="the caller's contractor company")]
    Version = Annotated[
        int | None, Query(ge=0, description="the version (0 = 新規, N = 変更-N) whose document to send; the latest when absent")
    ]

    @app.get("/internal/certificates/{number}/auth-key", dependencies=[Depends(authorized)])
    async def auth_key(number: str, company_id: CompanyId, response: Response) -> dict[str, str]:
        row = await lookup(number, company_id, "auth_key")
        response.headers["Cache-Control"] = "no-store"
        return {"contract_number": row["contract_number"], "auth_key": row["value"]}

    def pdf(found: tuple[str, bytes], name: str, version: int | None) -> Response:
        number, content = found
        stem = number if version is None else f"{number}-v{version}"
        return Response(
            content,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{stem}-{name}"', "Cache-Control": "no-store"},
        )

    @app.get(
        "/internal/certificates/{number}/documents/certificate.pdf",
        dependencies=[Depends(authorized)],
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}}, 503: {"description": "PDF作成中（Retry-After 秒後に再試行）"}},
    )
    async def certificate_pdf(number: str, company_id: CompanyId, version: Version = None) -> Response:
        return pdf(await document(number, company_id, "certificate", version), "certificate.pdf", version)

    @app.get(
        "/internal/certificates/{number}/documents/key-notice.pdf",
        dependencies=[Depends(authorized)],
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}}, 503: {"description": "PDF作成中（Retry-After 秒後に再試行）"}},
    )
    async def key_notice_pdf(number: str, company_id: CompanyId, version: Version = None) -> Response:
        return pdf(await document(number, company_id, "key_notice", version), "key-notice.pdf", version)

    return app


def _orderer_json(orderer: Orderer) -> dict:
    return {
        "code": orderer.code,
        "name": orderer.name,
        "certificate_name": orderer.certificate_name,
        "e_surety_from": orderer.e_surety_from.isoformat() if orderer.e_surety_from else None,
        "judged_on": orderer.judged_on.value,
        "rounding_unit": orderer.rounding_unit,
        "requires_tender_status": orderer.requires_tender_status,
        "advance_payment_percent": orderer.advance_payment_percent,
        "note": orderer.note,
    }
