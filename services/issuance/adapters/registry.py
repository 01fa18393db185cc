"""asyncpg access to the reference data: orderers, branches, the issuer."""

import asyncpg

from services.issuance.domain.model import Branch, IssuerCompany, JudgedOn, Orderer

_ORDERER_COLUMNS = (
    "code, name, certificate_name, e_surety_from, judged_on, note, rounding_unit, requires_tender_status,"
    " advance_payment_percent"
)


def _orderer(row: asyncpg.Record) -> Orderer:
    return Orderer(
        code=row["code"],
        name=row["name"],
        certificate_name=row["certificate_name"],
        e_surety_from=row["e_surety_from"],
        judged_on=JudgedOn(row["judged_on"]),
        note=row["note"],
        rounding_unit=row["rounding_unit"],
        requires_tender_status=row["requires_tender_status"],
        advance_payment_percent=row["advance_payment_percent"],
    )


async def find_orderer(conn: asyncpg.Connection | asyncpg.Pool, code: str) -> Orderer | None:
    row = await conn.fetchrow(f"SELECT {_ORDERER_COLUMNS} FROM orderers WHERE code = $1", code)
    return _orderer(row) if row else None


async def all_orderers(conn: asyncpg.Connection | asyncpg.Pool) -> list[Orderer]:
    return [_orderer(r) for r in await conn.fetch(f"SELECT {_ORDERER_COLUMNS} FROM orderers ORDER BY code")]


async def save_orderer(conn: asyncpg.Connection | asyncpg.Pool, orderer: Orderer) -> None:
    """Insert or update (idempotent by code)."""
    await conn.execute(
        f"INSERT INTO orderers ({_ORDERER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, certificate_name = EXCLUDED.certificate_name,"
        " e_surety_from = EXCLUDED.e_surety_from, judged_on = EXCLUDED.judged_on, note = EXCLUDED.note,"
        " rounding_unit = EXCLUDED.rounding_unit, requires_tender_status = EXCLUDED.requires_tender_status,"
        " advance_payment_percent = EXCLUDED.advance_payment_percent",
        orderer.code,
        orderer.name,
        orderer.certificate_name,
        orderer.e_surety_from,
        orderer.judged_on.value,
        orderer.note,
        orderer.rounding_unit,
        orderer.requires_tender_status,
        orderer.advance_payment_percent,
    )


async def find_branch(conn: asyncpg.Connection | asyncpg.Pool, name_or_code: str) -> Branch | None:
    """申込送信先 names a branch by name (神奈川支店) or by its three-digit code."""
    row = await conn.fetchrow(
        "SELECT code, name, tel, fax, email FROM branches WHERE name = $1 OR code = $1", name_or_code.strip()
    )
    return Branch(**dict(row)) if row else None


async def all_branches(conn: asyncpg.Connection | asyncpg.Pool) -> list[Branch]:
    return [Branch(**dict(r)) for r in await conn.fetch("SELECT code, name, tel, fax, email FROM branches ORDER BY code")]


async def get_issuer(conn: asyncpg.Connection | asyncpg.Pool) -> IssuerCompany:
    row = await conn.fetchrow("SELECT name, address, president FROM issuer WHERE id = 1")
    if row is None:
        raise LookupError("no issuer configured (table issuer is empty)")
    return IssuerCompany(**dict(row))
