"""申込作成 > 申込確認 > 送信完了, and reading one's own applications.

Submitting locks the application row, re-validates and, in the same transaction, writes the new
status and the ApplicationSubmitted outbox row: a second submit finds it sent and files nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from shared.db.outbox import enqueue
from shared.events import Contractor
from shared.japanese import jst_minute
from services.application.adapters import accounts_repository as accounts
from services.application.adapters import applications_repository as repo
from services.application.adapters import contracts_repository as contracts
from services.application.domain.messages import STATUS_LABELS
from services.application.domain.model import EDITABLE, SENT, Status, applied_products
from services.application.domain.submission import application_submitted
from services.application.domain.validation import Validation, validate_form
from services.application.handlers.accounts import CurrentUser


class ApplicationNotFound(LookupError):
    pass


class NotEditable(Exception):
    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


class InvalidApplication(Exception):
    def __init__(self, validation: Validation) -> None:
        super().__init__("invalid application")
        self.validation = validation


@dataclass(frozen=True)
class Submission:
    id: UUID
    status: str
    correlation_id: str
    already_submitted: bool


async def create_draft(pool: asyncpg.Pool, user: CurrentUser, form: dict[str, Any]) -> dict[str, Any]:
    async with pool.acquire() as conn:
        row = await repo.insert(
            conn, application_id=uuid4(), company_id=user.company_id, user_id=user.user_id, form=form
        )
        return await _view(conn, row)


async def replace_form(
    pool: asyncpg.Pool, user: CurrentUser, application_id: UUID, form: dict[str, Any]
) -> dict[str, Any]:
    async with pool.acquire() as conn, conn.transaction():
        row = await _owned(conn, user, application_id, for_update=True)
        if row["status"] not in EDITABLE:
            raise NotEditable(row["status"])
        row = await repo.replace_form(conn, application_id, form)
        return await _view(conn, row)


async def confirm(pool: asyncpg.Pool, user: CurrentUser, application_id: UUID) -> dict[str, Any]:
    """申込確認: every problem at once; 'confirmed' when there is none. A sent application is only reported on."""
    async with pool.acquire() as conn, conn.transaction():
        row = await _owned(conn, user, application_id, for_update=True)
        validation = validate_form(row["form"])
        problems = [p.as_dict() for p in validation.problems]
        status = row["status"]
        if status in EDITABLE:
            status = Status.CONFIRMED if validation.ok else Status.DRAFT
            await repo.record_confirmation(
                conn, application_id, status=status, form=validation.normalized, problems=problems
            )
        return {
            "id": application_id,
            "status": str(status),
            "ok": validation.ok,
            "problems": problems,
            "ratios": validation.ratios,
        }


async def submit(pool: asyncpg.Pool, user: CurrentUser, application_id: UUID, correlation_id: str) -> Submission:
    """送信完了: idempotent; raises InvalidApplication with every problem when the form is not valid."""
    async with pool.acquire() as conn, conn.transaction():
        row = await _owned(conn, user, application_id, for_update=True)
        if row["status"] in SENT:
            return Submission(application_id, row["status"], row["correlation_id"], already_submitted=True)
        validation = validate_form(row["form"])
        if not validation.ok:
            raise InvalidApplication(validation)
        company = await accounts.company_by_id(conn, user.company_id)
        submitted_at = datetime.now(timezone.utc)
        event = application_submitted(
            application_id=application_id,
            form=validation.valid,
            contractor=Contractor(company_id=company["id"], name=company["name"], address=company["address"]),
            submitted_at=submitted_at,
            correlation_id=correlation_id,
        )
        await repo.mark_submitted(
            conn,
            application_id,
            form=validation.normalized,
            applied_products=applied_products(validation.normalized),
            correlation_id=correlation_id,
            submitted_at=submitted_at,
        )
        await enqueue(conn, event)
        return Submission(application_id, Status.SUBMITTED.value, correlation_id, already_submitted=False)


async def list_own(pool: asyncpg.Pool, user: CurrentUser) -> list[dict[str, Any]]:
    async with pool.acquire() as conn:
        return [await _view(conn, row) for row in await repo.list_for_company(conn, user.company_id)]


async def get_own(pool: asyncpg.Pool, user: CurrentUser, application_id: UUID) -> dict[str, Any]:
    async with pool.acquire() as conn:
        return await _view(conn, await _owned(conn, user, application_id))


async def _owned(conn: asyncpg.Connection, user: CurrentUser, application_id: UUID, *, for_update: bool = False):
    row = await repo.get(conn, application_id, user.company_id, for_update=for_update)
    if row is None:
        raise ApplicationNotFound(application_id)
    return row


async def _view(conn: asyncpg.Connection, row: asyncpg.Record) -> dict[str, Any]:
    certificates = [
        {
            "product": c["product"],
            "contract_number": c["contract_number"],
            "version_label": c["version_label"],
            "published_at": c["published_at"],
            "published_at_jst": jst_minute(c["published_at"]) if c["published_at"] else None,
        }
        for c in await contracts.for_application(conn, row["id"])
    ]
    return {
        "id": row["id"],
        "status": row["status"],
        "status_label": STATUS_LABELS[row["status"]],
        "form": row["form"],
        "problems": row["problems"] or [],
        "ratios": validate_form(row["form"]).ratios,
        "rejection_reasons": row["rejection_reasons"],
        "certificates": certificates,
        "submitted_at": row["submitted_at"],
        "correlation_id": row["correlation_id"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
