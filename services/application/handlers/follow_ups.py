"""Applications that start from an issued contract of the company:

- the result of a bid (入札結果) on a 契約保証予約 (bid bond): won → a new draft for 契約保証 + 前払金,
  pre-filled from the bond's application, the bond 'converted' and linked both ways; lost → 'lapsed';
- a 中間前払金保証 against an issued 前払金保証: a new draft pre-filled from the parent application;
- a 変更申込 of an issued guarantee: a new draft pre-filled from its latest version (domain/amendment).

The drafts are ordinary drafts: the contractor completes them and 申込確認 checks them.
"""

import copy
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import asyncpg

from shared.db.outbox import enqueue
from shared.events import BidBondLapsed, BidBondLapsedV1, Product
from services.application.adapters import applications_repository as applications_repo
from services.application.adapters import contracts_repository as repo
from services.application.adapters.orderer_registry import OrdererRegistry
from services.application.domain import amendment, cancellation, messages
from services.application.domain.ratios import CONTRACT_GUARANTEE_FLOOR, LOW_BID_CONTRACT_GUARANTEE_FLOOR
from services.application.domain.submission import SOURCE
from services.application.handlers import applications
from services.application.handlers.accounts import CurrentUser
from services.application.handlers.context import amended_guarantee
from services.application.handlers.contracts import ContractNotFound, row_out

FEE_FIELDS = ("fee_payment_method", "fee_billing_to", "fee_statement_paper")


class NotABidBond(LookupError):
    pass


class NotAnAdvancePayment(LookupError):
    pass


class NotAmendable(Exception):
    """The guarantee cannot be changed by a 変更申込 (a bid bond, no longer in force, or issued before
    this service kept each version's content); `reason` is the Japanese answer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class BidBondSettled(Exception):
    """The bid's result was recorded before (converted or lapsed)."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


@dataclass(frozen=True)
class BidResult:
    won: bool
    contract_amount: int | None = None
    contract_date: str | None = None  # as the form takes it: 20230320 or 2023-03-20
    award_date: str | None = None


def minimum_contract_guarantee(contract_amount: int | None, below_low_bid_price: bool) -> int | None:
    """The smallest 契約保証金額 the rules accept, rounded up to the yen.

    Decision: the converted draft carries this amount rather than leaving it empty, because the floor
    is what almost every contractor applies for; the contractor may raise it, and 申込確認 checks it.
    """
    if not contract_amount:
        return None
    numerator, denominator = LOW_BID_CONTRACT_GUARANTEE_FLOOR if below_low_bid_price else CONTRACT_GUARANTEE_FLOOR
    return -(-contract_amount * numerator // denominator)


def _contract_from_row(row: asyncpg.Record) -> dict[str, Any]:
    """The contract section as far as the read model knows it (when the bond's application is not here)."""
    section = {
        "construction_name": row["construction_name"],
        "orderer_code": row["orderer_code"],
        "orderer_name": row["orderer_name"],
        "period_start": row["period_start"].isoformat() if row["period_start"] else None,
        "period_end": row["period_end"].isoformat() if row["period_end"] else None,
    }
    return {k: v for k, v in section.items() if v is not None}


def converted_form(
    bond_form: dict[str, Any], bond: asyncpg.Record | dict, result: BidResult, fallback_contract: dict[str, Any]
) -> dict[str, Any]:
    """The draft of a won bid: 契約保証 (converted from the bond) + 前払金 (to complete), same contract."""
    contract = copy.deepcopy(bond_form.get("contract") or fallback_contract)
    if result.contract_amount is not None:
        contract["contract_amount"] = result.contract_amount
    if result.contract_date is not None:
        contract["contract_date"] = result.contract_date
    tender = copy.deepcopy(bond_form.get("tender") or {})
    if result.award_date is not None:
        tender["award_date"] = result.award_date
    bond_section = bond_form.get("bid_bond") or {}
    guarantee: dict[str, Any] = {
        "apply": True,
        "certificate_format": bond["certificate_format"],
        "bid_bond_contract_number": bond["contract_number"],
    }
    amount = minimum_contract_guarantee(result.contract_amount, tender.get("below_low_bid_price") is True)
    if amount:
        guarantee["guaranteed_amount"] = amount
    guarantee |= {k: bond_section[k] for k in FEE_FIELDS if k in bond_section}
    form: dict[str, Any] = {"contract": contract, "advance_payment": {"apply": True}, "contract_guarantee": guarantee}
    if tender:
        form["tender"] = tender
    if bond_form.get("information") is not None:
        form["information"] = copy.deepcopy(bond_form["information"])
    return form


def intermediate_form(parent_form: dict[str, Any], parent: asyncpg.Record | dict, fallback_contract) -> dict[str, Any]:
    """The draft of a 中間前払金保証: the parent's contract and information, linked to its 前払金."""
    depository = (parent_form.get("advance_payment") or {}).get("depository") or parent["depository"]
    section = {
        "apply": True,
        "certificate_format": "electronic",
        "advance_payment_contract_number": parent["contract_number"],
    }
    if depository:
        section["depository"] = depository
    form: dict[str, Any] = {
        "contract": copy.deepcopy(parent_form.get("contract") or fallback_contract),
        "intermediate_advance_payment": section,
    }
    if parent_form.get("information") is not None:
        form["information"] = copy.deepcopy(parent_form["information"])
    return form


async def _source_form(conn: asyncpg.Connection, user: CurrentUser, row: asyncpg.Record) -> dict[str, Any]:
    """The form of the application the contract was issued for (the company's own), or {}."""
    app = await applications_repo.get(conn, row["application_id"], user.company_id)
    return (app["form"] or {}) if app else {}


async def record_bid_result(
    pool: asyncpg.Pool,
    registry: OrdererRegistry,
    user: CurrentUser,
    contract_number: str,
    result: BidResult,
    correlation_id: str,
) -> tuple[str, dict[str, Any]]:
    """('converted', the new application) or ('lapsed', the bond's row of 保証契約一覧).

    A lapse is also told to the surety company (BidBondLapsed, through the outbox in the same
    transaction), under the bond application's correlation id when it is known."""
    orderers = await registry.orderers()
    async with pool.acquire() as conn, conn.transaction():
        bond = await repo.lock_owned(conn, contract_number, user.company_id)
        if bond is None or bond["product"] != Product.BID_BOND:
            raise NotABidBond(contract_number)
        if bond["status"] != "issued":
            raise BidBondSettled(bond["status"])
        if not result.won:
            await repo.set_status(conn, contract_number, "lapsed")
            bond_application = await applications_repo.get(conn, bond["application_id"], user.company_id)
            data = BidBondLapsedV1(
                contract_number=contract_number,
                contractor_company_id=user.company_id,
                lapsed_at=datetime.now(timezone.utc),
            )
            await enqueue(
                conn,
                BidBondLapsed.wrap(
                    data,
                    source=SOURCE,
                    subject=contract_number,
                    correlation_id=(bond_application and bond_application["correlation_id"]) or correlation_id,
                ),
            )
            return "lapsed", row_out(await repo.get_owned(conn, contract_number, user.company_id))
        form = converted_form(await _source_form(conn, user, bond), bond, result, _contract_from_row(bond))
        draft = await applications.insert_draft(conn, user, form)
        await repo.set_status(conn, contract_number, "converted", converted_application_id=draft["id"])
        return "converted", await applications.view(conn, draft, orderers, user)


async def start_intermediate(
    pool: asyncpg.Pool, registry: OrdererRegistry, user: CurrentUser, contract_number: str
) -> dict[str, Any]:
    orderers = await registry.orderers()
    async with pool.acquire() as conn, conn.transaction():
        parent = await repo.get_owned(conn, contract_number, user.company_id)
        if parent is None or parent["product"] != Product.ADVANCE_PAYMENT:
            raise NotAnAdvancePayment(contract_number)
        form = intermediate_form(await _source_form(conn, user, parent), parent, _contract_from_row(parent))
        draft = await applications.insert_draft(conn, user, form)
        return await applications.view(conn, draft, orderers, user)


async def start_amendment(
    pool: asyncpg.Pool, registry: OrdererRegistry, user: CurrentUser, contract_number: str
) -> dict[str, Any]:
    """変更申込: a draft pre-filled from the guarantee's latest version, to change and send like a new one."""
    orderers = await registry.orderers()
    async with pool.acquire() as conn, conn.transaction():
        row = await repo.get_owned(conn, contract_number, user.company_id)
        if row is None:
            raise ContractNotFound(contract_number)
        if row["product"] == Product.BID_BOND:
            raise NotAmendable(messages.AMENDMENT_BID_BOND)
        amended = await amended_guarantee(conn, user.company_id, contract_number)
        if amended is None:
            raise NotAmendable(messages.AMENDMENT_NOT_KEPT)
        if ended := cancellation.amendment_refusal(contract_number, amended.status, amended.ended_on):
            raise NotAmendable(ended)  # 期間満了 / 解約
        if amended.status not in amendment.IN_FORCE:
            raise NotAmendable(messages.AMENDMENT_NOT_IN_FORCE)
        form = amendment.draft_form(await _source_form(conn, user, row), amended)
        draft = await applications.insert_draft(conn, user, form)
        return await applications.view(conn, draft, orderers, user)
