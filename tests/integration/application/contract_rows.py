"""Contracts written straight into the read model (as CertificateIssued would leave them), many at once with
COPY: for the list's paging tests and the benchmark (tests/bench/contract_list.py)."""

import uuid
from datetime import datetime
from typing import Any

import asyncpg

COLUMNS = (
    "contract_number", "product", "application_id", "company_id", "contractor_name", "construction_name",
    "orderer_name", "contract_amount", "guaranteed_amount", "content_digest", "version", "version_label",
    "issued_at", "certificate_format", "orderer_code", "advance_payment_contract_number",
)


def record(
    company_id: uuid.UUID,
    number: str,
    issued_at: datetime,
    *,
    product: str = "advance_payment",
    construction_name: str = "河川維持（○○）工事",
    certificate_format: str = "electronic",
    advance_payment_contract_number: str | None = None,
    application_id: uuid.UUID | None = None,
) -> tuple[Any, ...]:
    return (
        number, product, application_id or uuid.uuid4(), company_id, "○○建設 株式会社", construction_name, "川崎市",
        None if product == "bid_bond" else 100_000_000, 20_000_000, "0" * 64, 0, "新規", issued_at,
        certificate_format, "kawasaki-city", advance_payment_contract_number,
    )


async def copy_contracts(conn: asyncpg.Connection, records) -> None:
    await conn.copy_records_to_table("contracts", records=records, columns=COLUMNS)
