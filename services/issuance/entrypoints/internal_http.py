"""The internal HTTP API the application service calls: the orderer registry (for 申込確認) and the
contractor's key and PDFs.

Every route needs `Authorization: Bearer <INTERNAL_API_TOKEN>` (401 otherwise). The certificate routes
also need `X-Company-Id`, the contractor company the caller acts for: a certificate of another company
answers 404, exactly like an unknown number. A paper certificate (証書(紙)) has a certificate.pdf but
no 認証キー and no key notice: those answer 404 too.

The documents are those of the latest version (新規, 変更-1, …) unless `?version=N` names another one (0 =
新規); a version the certificate does not have answers 404. The 認証キー is the same for every version.
"""

import secrets
from typing import Annotated
from uuid import UUID

import asyncpg
import structlog
from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.issuance.adapters import registry, versions
from services.issuance.adapters.certificates import find_for_company
from services.issuance.domain.model import Orderer

NOT_FOUND = "保証契約が見つかりません。"
UNAUTHORIZED = "認証が必要です。"

_bearer = HTTPBearer(auto_error=False)


def create_app(pool: asyncpg.Pool, internal_api_token: str) -> FastAPI:
    app = FastAPI(title="issuance internal API", version="1.0.0", description="保証契約の認証キーとPDF（内部用）")

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

    async def lookup(number: str, company_id: UUID, column: str, version: int | None = None) -> asyncpg.Record:
        if version is None:
            row = await find_for_company(pool, number, company_id, column)
        else:
            row = await versions.find_document(pool, number, company_id, column, version)
        if row is None:
            raise HTTPException(404, detail=NOT_FOUND)
        return row

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

    def pdf(row: asyncpg.Record, name: str, version: int | None) -> Response:
        stem = row["contract_number"] if version is None else f'{row["contract_number"]}-v{version}'
        return Response(
            bytes(row["value"]),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{stem}-{name}"', "Cache-Control": "no-store"},
        )

    @app.get(
        "/internal/certificates/{number}/documents/certificate.pdf",
        dependencies=[Depends(authorized)],
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}}},
    )
    async def certificate_pdf(number: str, company_id: CompanyId, version: Version = None) -> Response:
        return pdf(await lookup(number, company_id, "certificate_pdf", version), "certificate.pdf", version)

    @app.get(
        "/internal/certificates/{number}/documents/key-notice.pdf",
        dependencies=[Depends(authorized)],
        response_class=Response,
        responses={200: {"content": {"application/pdf": {}}}},
    )
    async def key_notice_pdf(number: str, company_id: CompanyId, version: Version = None) -> Response:
        return pdf(await lookup(number, company_id, "key_notice_pdf", version), "key-notice.pdf", version)

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
