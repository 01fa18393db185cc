"""What 申込確認, 送信 and the application view validate against (FormContext): today's date in Japan,
the orderer registry (from issuance, cached; None when unreachable) and of the company's own contracts
those the form's rules look at (a 中間前払金's 前払金保証 and its siblings, the guarantee a 変更申込 changes),
never the company's whole history."""

from datetime import datetime
from uuid import UUID

import asyncpg

from typing import Any

from shared.events import CertificateContent, CertificateFormat, Product
from shared.japanese import JST
from services.application.adapters import contracts_repository as contracts
from services.application.domain.amendment import amended_number
from services.application.domain.intermediate import named_parent
from services.application.domain.context import AmendedGuarantee, ExistingContract, FormContext, OrdererRules

_KNOWN_PRODUCTS = {p.value for p in Product}


def contract_status(row: asyncpg.Record) -> str:
    """converted / lapsed (a bid bond's outcome); expired / cancelled (期間満了 / 解約, told by the surety
    company); else 'published' once on the platform, else 'issued'."""
    if row.get("ended_status"):
        return row["ended_status"]
    if row["status"] != "issued":
        return row["status"]
    return "published" if row["latest_published_at"] else "issued"


def existing_contract(row: asyncpg.Record) -> ExistingContract:
    return ExistingContract(
        contract_number=row["contract_number"],
        product=Product(row["product"]),
        certificate_format=CertificateFormat(row["certificate_format"]),
        construction_name=row["construction_name"],
        orderer_code=row["orderer_code"] or "",  # rows recorded before the code was kept
        contract_amount=row["contract_amount"],
        guaranteed_amount=row["guaranteed_amount"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        status=contract_status(row),
        advance_payment_contract_number=row["advance_payment_contract_number"],
    )


async def amended_guarantee(conn: asyncpg.Connection, company_id: UUID, number: str) -> AmendedGuarantee | None:
    """The company's guarantee `number` with its latest version's content, or None."""
    row = await contracts.get_owned(conn, number, company_id)
    if row is None or row["product"] not in _KNOWN_PRODUCTS:
        return None
    latest = await contracts.version(conn, number, row["version"])
    if latest is None:  # issued before this service kept each version's content (migration 003)
        return None
    return AmendedGuarantee(
        contract_number=number,
        product=Product(row["product"]),
        certificate_format=CertificateFormat(row["certificate_format"]),
        version=row["version"],
        version_label=row["version_label"],
        status=contract_status(row),
        ended_on=row.get("ended_on"),
        content=CertificateContent.model_validate_json(latest["content"])
        if isinstance(latest["content"], str)
        else CertificateContent.model_validate(latest["content"]),
    )


async def form_context(
    conn: asyncpg.Connection,
    orderers: dict[str, OrdererRules] | None,
    company_id: UUID,
    form: dict[str, Any] | None = None,
) -> FormContext:
    """`orderers` is fetched by the caller before it opens a transaction (issuance may be slow); `form` is
    the one to be validated (without it, no contract is read: a 中間前払金's parent is then 'not found')."""
    parent = named_parent(form)
    rows = await contracts.for_intermediate(conn, company_id, [parent] if parent else [])
    number = amended_number(form) if isinstance(form, dict) else None
    return FormContext(
        today=datetime.now(JST).date(),
        orderers=orderers,
        contracts={r["contract_number"]: existing_contract(r) for r in rows if r["product"] in _KNOWN_PRODUCTS},
        amended=await amended_guarantee(conn, company_id, number) if number else None,
    )
