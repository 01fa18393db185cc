"""What Net Desk shows of a guarantee's end: 期間満了 / 解約 with the date (保証契約一覧's 状況, 電子保証概要,
the certificate view, the JSON API), the latest 解約の申込 and whether 「解約を申し込む」 is offered. Read from
this service's own tables (migration 006), joined to the contract row by 保証契約番号."""

import uuid
from typing import Any

import asyncpg

from shared.events.status import CANCELLATION_REASON_LABELS
from services.application.adapters import status_repository as repo
from services.application.domain import cancellation, messages
from services.application.handlers.context import contract_status


def status_label(status: str, row: asyncpg.Record) -> str:
    """保証契約一覧's 状況: 期間満了（令和8年4月1日） / 解約（…）, else the label of the state."""
    if status in cancellation.ENDED:
        return cancellation.ended_label(status, row["ended_on"])
    return messages.CONTRACT_STATUS_LABELS[status]


def status_note(status: str, ended_on) -> str | None:
    """The notice above a certificate of an ended guarantee (both portals say the same)."""
    if status not in cancellation.ENDED:
        return None
    return cancellation.status_note(status, ended_on)


def request_out(r: asyncpg.Record | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "request_id": r["request_id"],
        "state": r["state"],
        "state_label": cancellation.REQUEST_STATE_LABELS[r["state"]],
        "reason": r["reason"],
        "reason_label": CANCELLATION_REASON_LABELS[r["reason"]],
        "reason_text": r["reason_text"],
        "requested_by_name": r["requested_by_name"],
        "requested_at": r["requested_at"],
        "refusal_reason": r["refusal_reason"],
        "decided_at": r["decided_at"],
    }


async def status_part(conn: asyncpg.Connection, row: asyncpg.Record, company_id: uuid.UUID) -> dict[str, Any]:
    """What 電子保証概要 (and the JSON API's contract detail) adds: the ending, the latest 解約の申込, and
    whether 「解約を申し込む」 is offered."""
    status = contract_status(row)
    number = row["contract_number"]
    latest = await repo.latest_request(conn, number, company_id)
    pending = latest is not None and latest["state"] == "pending"
    ended = status in cancellation.ENDED
    return {
        "ended_on": row["ended_on"] if ended else None,
        "status_note": status_note(status, row["ended_on"]),
        "cancellation": request_out(latest),
        "cancellable": cancellation.not_cancellable(number, row["product"], status, row["ended_on"], pending) is None,
    }


