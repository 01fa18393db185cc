"""電子保証概要 and the rows of 保証契約一覧 (paged in handlers/contract_list.py) for a contractor: always its
own company's contracts; the 認証キー and the PDFs are fetched live from issuance only after the contract is
found in this service's read model. A paper certificate (証書(紙)) has no 認証キー and no key notice: issuance is not asked for them."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
import httpx

from shared.events import PRODUCT_LABELS, CertificateContent, Product
from shared.japanese import jst_minute
from services.application.domain import messages
from services.application.adapters import contracts_repository as repo
from services.application.adapters.issuance_client import IssuanceClient, IssuanceNotFound
from services.application.handlers.accounts import CurrentUser
from services.application.handlers import orderer_requests, status_view
from services.application.handlers.context import contract_status

PAPER = "paper"


class ContractNotFound(LookupError):
    pass


def _product_label(product: str) -> str:
    try:
        return PRODUCT_LABELS[Product(product)]
    except ValueError:  # a product this version does not know yet
        return product


def row_out(r: asyncpg.Record) -> dict[str, Any]:
    """One line of 保証契約一覧 (also the head of 電子保証概要)."""
    status = contract_status(r)
    return {
        "contract_number": r["contract_number"],
        "product": r["product"],
        "product_label": _product_label(r["product"]),
        "certificate_format": r["certificate_format"],
        "certificate_format_label": messages.CERTIFICATE_FORMAT_LABELS[r["certificate_format"]],
        "orderer_name": r["orderer_name"],
        "construction_name": r["construction_name"],
        "contract_amount": r["contract_amount"],
        "guaranteed_amount": r["guaranteed_amount"],
        "status": status,
        "status_label": status_view.status_label(status, r),  # 期間満了（令和…） / 解約（令和…） with the date
        "ended_on": r["ended_on"] if status in ("expired", "cancelled") else None,
        "version_label": r["version_label"],
        "issued_at": r["issued_at"],
        "latest_published_at_jst": jst_minute(r["latest_published_at"]) if r["latest_published_at"] else None,
        "advance_payment_contract_number": r["advance_payment_contract_number"],
        "bid_bond_contract_number": r["bid_bond_contract_number"],
        "converted_application_id": r["converted_application_id"],
    }


@dataclass(frozen=True)
class CertificateVersion:
    """One version of the 保証証書 as issued (④), for the certificate view."""

    contract_number: str
    version: int
    version_label: str
    content: CertificateContent
    content_digest: str
    published_at: datetime | None  # 電子保証発行日時; None on paper or before it arrived
    latest: bool  # the contract's current version
    status_note: str | None = None  # 期間満了 / 解約: the notice above the certificate
    status_title: str | None = None  # 期間満了（令和…） / 解約（令和…）


async def certificate_version(
    pool: asyncpg.Pool, user: CurrentUser, contract_number: str, version: int
) -> CertificateVersion:
    """A version of the company's own contract; ContractNotFound for anything else."""
    async with pool.acquire() as conn:
        contract = await repo.get_owned(conn, contract_number, user.company_id)
        if contract is None:
            raise ContractNotFound(contract_number)
        row = await repo.version(conn, contract_number, version)
    if row is None:
        raise ContractNotFound(contract_number)
    return CertificateVersion(
        contract_number=contract_number,
        version=row["version"],
        version_label=row["version_label"],
        content=CertificateContent.model_validate(row["content"]),
        content_digest=row["content_digest"],
        published_at=row["published_at"],
        latest=row["version"] == contract["version"],
        status_note=status_view.status_note(contract_status(contract), contract["ended_on"]),
        status_title=status_view.status_label(contract_status(contract), contract)
        if contract_status(contract) in ("expired", "cancelled") else None,
    )


async def _owned(pool: asyncpg.Pool, user: CurrentUser, contract_number: str) -> tuple[asyncpg.Record, list, list]:
    async with pool.acquire() as conn:
        row = await repo.get_owned(conn, contract_number, user.company_id)
        if row is None:
            raise ContractNotFound(contract_number)
        return row, await repo.history(conn, contract_number), await repo.versions(conn, contract_number)


async def _orderer_review(pool: asyncpg.Pool, contract_number: str) -> dict[str, Any] | None:
    """発注者閲覧 and 発注者確認 as the platform told them."""
    async with pool.acquire() as conn:
        r = await repo.orderer_review(conn, contract_number)
    if r is None:
        return None
    return {
        "organisation_name": r["organisation_name"],
        "first_viewed_at": r["first_viewed_at"],
        "decision": r["decision"],
        "decision_label": messages.ORDERER_DECISION_LABELS.get(r["decision"] or "", "未確認"),
        "decision_version": r["decision_version"],
        "decision_reason": r["decision_reason"],
        "decided_at": r["decided_at"],
    }


async def overview(
    pool: asyncpg.Pool, issuance: IssuanceClient, user: CurrentUser, contract_number: str
) -> dict[str, Any]:
    """電子保証概要 with the 認証キー (live from issuance; none on paper) and 電子保証情報（履歴情報）."""
    row, history, versions = await _owned(pool, user, contract_number)
    auth_key = None
    if row["certificate_format"] != PAPER:
        try:
            auth_key = await issuance.auth_key(contract_number, user.company_id)
        except IssuanceNotFound as exc:
            raise ContractNotFound(contract_number) from exc
    async with pool.acquire() as conn:  # 期間満了 / 解約 and the latest 解約の申込
        ending = await status_view.status_part(conn, row, user.company_id)
    return row_out(row) | ending | {
        "contractor_name": row["contractor_name"],
        "jv_name": row["jv_name"],
        "depository": row["depository"],
        "content_digest": row["content_digest"],
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
        "orderer_review": await _orderer_review(pool, contract_number),
        # 変更依頼 / 解除確認 the orderer sent on this contract (handlers/orderer_requests.py).
        "orderer_requests": await orderer_requests.of_contract(pool, user.company_id, contract_number),
        # Every issued version whose content is kept here (the certificate view), published or not.
        "versions": [
            {
                "version": v["version"],
                "label": v["version_label"],
                "issued_at": v["issued_at"],
                "published_at": v["published_at"],
                "content_digest": v["content_digest"],
            }
            for v in versions
        ],
    }


async def open_document(
    pool: asyncpg.Pool,
    issuance: IssuanceClient,
    user: CurrentUser,
    contract_number: str,
    document: str,
    version: int | None = None,
) -> httpx.Response:
    """The latest version's PDF, or version `version`'s (0 = 新規, N = 変更-N)."""
    row, _, _ = await _owned(pool, user, contract_number)
    if document == "key-notice" and row["certificate_format"] == PAPER:
        raise ContractNotFound(contract_number)  # a paper certificate has no 認証キー, so no key notice
    try:
        return await issuance.open_document(contract_number, user.company_id, document, version)
    except IssuanceNotFound as exc:
        raise ContractNotFound(contract_number) from exc
