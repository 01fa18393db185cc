"""保証契約一覧 and 電子保証概要 for a contractor: always its own company's contracts; the 認証キー and the
PDFs are fetched live from issuance only after the contract is found in this service's read model."""

from datetime import date
from typing import Any

import asyncpg
import httpx

from shared.events import PRODUCT_LABELS, Product
from shared.japanese import jst_minute
from services.application.adapters import contracts_repository as repo
from services.application.adapters.issuance_client import IssuanceClient, IssuanceNotFound
from services.application.handlers.accounts import CurrentUser


class ContractNotFound(LookupError):
    pass


def _status(row: asyncpg.Record) -> str:
    """'published' once the certificate is on the platform (電子保証発行日時 known), else 'issued'."""
    return "published" if row["latest_published_at"] else "issued"


async def search(
    pool: asyncpg.Pool,
    user: CurrentUser,
    *,
    product: Product | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
    construction_name: str | None = None,
    contract_number: str | None = None,
) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        rows = await repo.search(
            conn,
            user.company_id,
            product=product.value if product else None,
            period_from=period_from,
            period_to=period_to,
            construction_name=construction_name or None,
            contract_number=contract_number or None,
        )
    return [
        {
            "contract_number": r["contract_number"],
            "product": r["product"],
            "product_label": PRODUCT_LABELS[Product(r["product"])],
            "orderer_name": r["orderer_name"],
            "construction_name": r["construction_name"],
            "contract_amount": r["contract_amount"],
            "guaranteed_amount": r["guaranteed_amount"],
            "status": _status(r),
            "version_label": r["version_label"],
            "issued_at": r["issued_at"],
            "latest_published_at_jst": jst_minute(r["latest_published_at"]) if r["latest_published_at"] else None,
        }
        for r in rows
    ]


async def _owned(pool: asyncpg.Pool, user: CurrentUser, contract_number: str) -> tuple[asyncpg.Record, list]:
    async with pool.acquire() as conn:
        row = await repo.get_owned(conn, contract_number, user.company_id)
        if row is None:
            raise ContractNotFound(contract_number)
        return row, await repo.history(conn, contract_number)


async def overview(
    pool: asyncpg.Pool, issuance: IssuanceClient, user: CurrentUser, contract_number: str
) -> dict[str, Any]:
    """電子保証概要 with the 認証キー (live from issuance) and 電子保証情報（履歴情報）."""
    row, history = await _owned(pool, user, contract_number)
    try:
        auth_key = await issuance.auth_key(contract_number, user.company_id)
    except IssuanceNotFound as exc:
        raise ContractNotFound(contract_number) from exc
    return {
        "contract_number": row["contract_number"],
        "product": row["product"],
        "product_label": PRODUCT_LABELS[Product(row["product"])],
        "contractor_name": row["contractor_name"],
        "jv_name": row["jv_name"],
        "construction_name": row["construction_name"],
        "orderer_name": row["orderer_name"],
        "contract_amount": row["contract_amount"],
        "guaranteed_amount": row["guaranteed_amount"],
        "depository": row["depository"],
        "content_digest": row["content_digest"],
        "version_label": row["version_label"],
        "status": _status(row),
        "auth_key": auth_key,
        "history": [
            {
                "no": i,
                "version": h["version"],
                "published_at": h["published_at"],
                "published_at_jst": jst_minute(h["published_at"]),
                "label": h["version_label"],
            }
            for i, h in enumerate(history, start=1)
        ],
    }


async def open_document(
    pool: asyncpg.Pool, issuance: IssuanceClient, user: CurrentUser, contract_number: str, document: str
) -> httpx.Response:
    await _owned(pool, user, contract_number)
    try:
        return await issuance.open_document(contract_number, user.company_id, document)
    except IssuanceNotFound as exc:
        raise ContractNotFound(contract_number) from exc
