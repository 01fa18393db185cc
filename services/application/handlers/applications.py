"""申込作成 > 申込確認 > 送信完了, and reading one's own applications.

Submitting locks the application row, re-validates and, in the same transaction, writes the new
status and the ApplicationSubmitted outbox row: a second submit finds it sent and files nothing.

With a company send password (送信パスワード), a submit without it only parks the application as
送信待ち (prepared_by); a user holding the password sends it (sent_by). Warnings are sent only when
acknowledged, and the acknowledged ones are kept.
"""

import asyncio
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from shared.auth import verify_secret
from shared.db.outbox import enqueue
from shared.events import Contractor
from shared.japanese import jst_minute
from services.application.domain import limits, messages
from services.application.domain.messages import label, message
from services.application.domain.problems import Problem
from services.application.adapters import accounts_repository as accounts
from services.application.adapters import applications_repository as repo
from services.application.adapters import contracts_repository as contracts
from services.application.adapters.orderer_registry import OrdererRegistry
from services.application.domain.context import FormContext
from services.application.domain.model import EDITABLE, SENT, Status, applied_products
from services.application.domain.submission import application_submitted
from services.application.domain.validation import Validation, validate_form
from services.application.handlers.accounts import CurrentUser
from services.application.handlers.context import form_context

AWAITING_SEND = Status.AWAITING_SEND
# The sections a contractor can clear (…をクリア) on a draft.
SECTIONS = (
    "contract",
    "advance_payment",
    "intermediate_advance_payment",
    "contract_guarantee",
    "bid_bond",
    "tender",
    "information",
)


class ApplicationNotFound(LookupError):
    pass


class UnknownSection(LookupError):
    def __init__(self, section: str) -> None:
        super().__init__(section)
        self.section = section


class NotEditable(Exception):
    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


class InvalidApplication(Exception):
    def __init__(self, validation: Validation) -> None:
        super().__init__("invalid application")
        self.validation = validation


class WarningsNotAcknowledged(Exception):
    def __init__(self, validation: Validation) -> None:
        super().__init__("warnings not acknowledged")
        self.validation = validation


class SendPasswordRejected(Exception):
    pass


class FormNotStorable(ValueError):
    """What was entered cannot be kept even as a draft (too long, NUL, not a value): nothing is stored."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("form not storable")
        self.problems = problems
        self.entered: dict[str, Any] | None = None  # the web page shows it again


def _storable(form: dict[str, Any]) -> dict[str, Any]:
    found = limits.storage_problems(form)
    if found:
        raise FormNotStorable([Problem(path, label(path), rule, message(rule, path, **fill)) for path, rule, fill in found])
    return form


@dataclass(frozen=True)
class Submission:
    id: UUID
    status: str
    correlation_id: str | None  # None while 送信待ち
    already_submitted: bool


async def create_draft(
    pool: asyncpg.Pool, registry: OrdererRegistry, user: CurrentUser, form: dict[str, Any]
) -> dict[str, Any]:
    _storable(form)
    orderers = await registry.orderers()
    async with pool.acquire() as conn:
        row = await insert_draft(conn, user, form)
        return await _view(conn, row, await form_context(conn, orderers, user.company_id, row["form"]))


async def insert_draft(conn: asyncpg.Connection, user: CurrentUser, form: dict[str, Any]) -> asyncpg.Record:
    """A new 作成中 application (also the pre-filled ones: a bid bond won, a 中間前払金)."""
    return await repo.insert(conn, application_id=uuid4(), company_id=user.company_id, user_id=user.user_id, form=form)


async def replace_form(
    pool: asyncpg.Pool, registry: OrdererRegistry, user: CurrentUser, application_id: UUID, form: dict[str, Any]
) -> dict[str, Any]:
    _storable(form)
    return await _edit(pool, registry, user, application_id, lambda stored: _keep_amendment(stored, form))


def _keep_amendment(stored: dict[str, Any], form: dict[str, Any]) -> dict[str, Any]:
    """What a 変更申込 changes is fixed when it is started: an edit never drops or redirects it."""
    if isinstance(stored.get("amendment"), dict):
        return {**form, "amendment": stored["amendment"]}
    return form


async def clear_section(
    pool: asyncpg.Pool, registry: OrdererRegistry, user: CurrentUser, application_id: UUID, section: str
) -> dict[str, Any]:
    """…をクリア: the section goes; the rest of the draft stays as entered."""
    if section not in SECTIONS:
        raise UnknownSection(section)
    return await _edit(
        pool, registry, user, application_id, lambda form: {k: v for k, v in form.items() if k != section}
    )


async def _edit(pool, registry, user, application_id, change) -> dict[str, Any]:
    """An edit puts the application back to 作成中; only 作成中 / 確認済 can be edited."""
    orderers = await registry.orderers()
    async with pool.acquire() as conn, conn.transaction():
        row = await _owned(conn, user, application_id, for_update=True)
        if row["status"] not in EDITABLE:
            raise NotEditable(row["status"])
        row = await repo.replace_form(conn, application_id, change(row["form"] or {}))
        return await _view(conn, row, await form_context(conn, orderers, user.company_id, row["form"]))


async def confirm(
    pool: asyncpg.Pool, registry: OrdererRegistry, user: CurrentUser, application_id: UUID
) -> dict[str, Any]:
    """申込確認: every problem at once; 'confirmed' when there is no error. Otherwise only reported on."""
    orderers = await registry.orderers()
    async with pool.acquire() as conn, conn.transaction():
        row = await _owned(conn, user, application_id, for_update=True)
        validation = validate_form(row["form"], await form_context(conn, orderers, user.company_id, row["form"]))
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


async def submit(
    pool: asyncpg.Pool,
    registry: OrdererRegistry,
    user: CurrentUser,
    application_id: UUID,
    correlation_id: str,
    *,
    send_password: str | None = None,
    acknowledge_warnings: bool = False,
) -> Submission:
    """送信完了 (or 送信待ち): idempotent. Raises InvalidApplication (errors), WarningsNotAcknowledged,
    SendPasswordRejected (a wrong send password)."""
    orderers = await registry.orderers()
    async with pool.acquire() as conn:
        company = await accounts.company_by_id(conn, user.company_id)
    # Checked before any lock is taken: Argon2 is deliberately slow.
    sends = await _may_send(company["send_password_hash"], send_password)
    failure: Exception | None = None
    async with pool.acquire() as conn, conn.transaction():
        row = await _owned(conn, user, application_id, for_update=True)
        if row["status"] in SENT:
            return Submission(application_id, row["status"], row["correlation_id"], already_submitted=True)
        if row["status"] == AWAITING_SEND and not sends:
            return Submission(application_id, AWAITING_SEND, None, already_submitted=True)
        validation = validate_form(row["form"], await form_context(conn, orderers, user.company_id, row["form"]))
        warnings = [p.as_dict() for p in validation.warnings]
        if not validation.ok:
            failure = InvalidApplication(validation)
            if row["status"] == AWAITING_SEND:
                # It no longer passes at send time (e.g. a contract changed): back to 作成中 so it can be fixed.
                problems = [p.as_dict() for p in validation.problems]
                await repo.record_confirmation(
                    conn, application_id, status=Status.DRAFT, form=row["form"], problems=problems
                )
        elif warnings and not acknowledge_warnings:
            raise WarningsNotAcknowledged(validation)
        elif not sends:
            await repo.mark_awaiting_send(
                conn,
                application_id,
                form=validation.normalized,
                prepared_by=user.user_id,
                prepared_at=datetime.now(timezone.utc),
                acknowledged_warnings=warnings,
            )
            return Submission(application_id, AWAITING_SEND, None, already_submitted=False)
        else:
            await _send(conn, user, row, validation, warnings, correlation_id, company)
            return Submission(application_id, Status.SUBMITTED.value, correlation_id, already_submitted=False)
    raise failure


async def _may_send(stored_hash: str | None, send_password: str | None) -> bool:
    """True when this submit sends: no send password on the company, or the right one given."""
    if stored_hash is None:
        return True
    if not send_password:
        return False
    if not await asyncio.to_thread(verify_secret, stored_hash, send_password):
        raise SendPasswordRejected()
    return True


async def _send(conn, user, row, validation: Validation, warnings, correlation_id: str, company) -> None:
    submitted_at = datetime.now(timezone.utc)
    event = application_submitted(
        application_id=row["id"],
        form=validation.valid,
        contractor=Contractor(company_id=company["id"], name=company["name"], address=company["address"]),
        submitted_at=submitted_at,
        correlation_id=correlation_id,
    )
    await repo.mark_submitted(
        conn,
        row["id"],
        form=validation.normalized,
        applied_products=applied_products(validation.normalized),
        correlation_id=correlation_id,
        submitted_at=submitted_at,
        sent_by=user.user_id,
        acknowledged_warnings=warnings,
    )
    await enqueue(conn, event)


async def list_own(pool: asyncpg.Pool, registry: OrdererRegistry, user: CurrentUser) -> list[dict[str, Any]]:
    orderers = await registry.orderers()
    async with pool.acquire() as conn:
        # Each with its own context: what one form's rules read (its 前払金保証), not every contract.
        return [
            await _view(conn, row, await form_context(conn, orderers, user.company_id, row["form"]))
            for row in await repo.list_for_company(conn, user.company_id)
        ]


async def get_own(
    pool: asyncpg.Pool, registry: OrdererRegistry, user: CurrentUser, application_id: UUID
) -> dict[str, Any]:
    orderers = await registry.orderers()
    async with pool.acquire() as conn:
        row = await _owned(conn, user, application_id)
        return await view(conn, row, orderers, user)


async def view(conn: asyncpg.Connection, row: asyncpg.Record, orderers, user: CurrentUser) -> dict[str, Any]:
    return await _view(conn, row, await form_context(conn, orderers, user.company_id, row["form"]))


async def _owned(conn: asyncpg.Connection, user: CurrentUser, application_id: UUID, *, for_update: bool = False):
    row = await repo.get(conn, application_id, user.company_id, for_update=for_update)
    if row is None:
        raise ApplicationNotFound(application_id)
    return row


def _who(users: dict, user_id: UUID | None) -> dict[str, Any] | None:
    if user_id is None or user_id not in users:
        return None
    u = users[user_id]
    return {"user_id": u["id"], "login_id": u["login_id"], "display_name": u["display_name"]}


async def _view(conn: asyncpg.Connection, row: asyncpg.Record, context: FormContext) -> dict[str, Any]:
    certificates = [
        {
            "product": c["product"],
            "contract_number": c["contract_number"],
            "version_label": c["version_label"],
            "certificate_format": c["certificate_format"],
            "certificate_format_label": messages.CERTIFICATE_FORMAT_LABELS[c["certificate_format"]],
            "published_at": c["published_at"],
            "published_at_jst": jst_minute(c["published_at"]) if c["published_at"] else None,
        }
        for c in await contracts.for_application(conn, row["id"])
    ]
    users = await accounts.users_by_ids(conn, [u for u in (row["prepared_by"], row["sent_by"]) if u])
    return {
        "id": row["id"],
        "status": row["status"],
        "status_label": messages.application_status_label(row["status"]),
        "form": row["form"],
        "problems": row["problems"] or [],
        "ratios": validate_form(row["form"], context).ratios,
        "rejection_reasons": row["rejection_reasons"],
        "certificates": certificates,
        "submitted_at": row["submitted_at"],
        "correlation_id": row["correlation_id"],
        "prepared_by": _who(users, row["prepared_by"]),
        "prepared_at": row["prepared_at"],
        "sent_by": _who(users, row["sent_by"]),
        "sent_at": row["sent_at"],
        "acknowledged_warnings": row["acknowledged_warnings"] or [],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
