"""保証確認台帳: every certificate the organisation has opened, with what the staff need for the 決裁 —
工事名, 受注者, 保証種類, 保証金額, 保証期限, the latest version, first and last viewing — marked 変更あり
when a newer version has arrived since it was last viewed and 期限間近 within 30 days of its 保証期限, or
期間満了 / 解約 with the date once the guarantee has ended (then never 期限間近)."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import asyncpg

from shared.events import PRODUCT_LABELS, CertificateContent
from shared.japanese import JST, jst_minute, wareki
from services.platform.adapters import register_repository, status_repository
from services.platform.domain.status import Ending
from services.platform.domain.messages import REVIEW_LABELS
from services.platform.domain.accounts import OrdererUser

EXPIRY_SOON_DAYS = 30
STATUSES = {"changed": "変更あり", "expiring": "期限間近", "expired": "期間満了", "cancelled": "解約"}


@dataclass(frozen=True)
class RegisterRow:
    contract_number: str
    construction_name: str
    contractor_name: str
    product_label: str
    guaranteed_amount: int
    guarantee_expiry: date
    latest_label: str
    latest_arrived_at: datetime
    first_viewed_at: datetime
    first_viewed_by: str
    last_viewed_at: datetime
    last_viewed_by: str
    changed: bool  # 変更あり: a version newer than the last one viewed (or a correction of it) has arrived
    expiring: bool  # 期限間近: the 保証期限 is within 30 days (and not yet past)
    decision: str | None  # accepted / returned (the organisation's 確認), None: 未確認
    decision_reason: str | None
    ending: Ending | None = None  # 期間満了 / 解約 (handlers/status.py); never 期限間近 then


@dataclass(frozen=True)
class RegisterFilter:
    construction_name: str | None = None
    contractor_name: str | None = None
    status: str | None = None  # changed / expiring
    expiry_until: date | None = None


def _row(r: asyncpg.Record, today: date, ending: Ending | None = None) -> RegisterRow:
    content = CertificateContent.model_validate(r["content"])
    return RegisterRow(
        contract_number=r["contract_number"],
        construction_name=content.construction_name,
        contractor_name=content.contractor.name,
        product_label=PRODUCT_LABELS[content.product],
        guaranteed_amount=content.guaranteed_amount,
        guarantee_expiry=content.guarantee_expiry,
        latest_label=r["latest_label"],
        latest_arrived_at=r["latest_arrived_at"],
        first_viewed_at=r["first_viewed_at"],
        first_viewed_by=r["first_by_name"] or r["first_by_login"],
        last_viewed_at=r["last_viewed_at"],
        last_viewed_by=r["last_by_name"] or r["last_by_login"],
        # A newer version, or the latest one corrected (訂正: same version, a later arrival) since last viewed.
        changed=r["latest_version"] > r["last_viewed_version"] or r["latest_arrived_at"] > r["last_viewed_at"],
        expiring=ending is None and today <= content.guarantee_expiry <= today + timedelta(days=EXPIRY_SOON_DAYS),
        decision=r["decision"],
        decision_reason=r["decision_reason"],
        ending=ending,
    )


def _matches(row: RegisterRow, f: RegisterFilter) -> bool:
    return (
        (not f.construction_name or f.construction_name in row.construction_name)
        and (not f.contractor_name or f.contractor_name in row.contractor_name)
        and (f.status != "changed" or row.changed)
        and (f.status != "expiring" or row.expiring)
        and (f.status not in ("expired", "cancelled") or (row.ending is not None and row.ending.status == f.status))
        and (f.expiry_until is None or row.guarantee_expiry <= f.expiry_until)
    )


async def register(
    pool: asyncpg.Pool, user: OrdererUser, f: RegisterFilter, *, today: date | None = None
) -> list[RegisterRow]:
    """The organisation's register, most recently viewed first, filtered."""
    today = today or datetime.now(JST).date()
    async with pool.acquire() as conn:
        rows = await register_repository.entries(conn, user.organisation.id)
        ended = await status_repository.endings(conn, [r["contract_number"] for r in rows])
    endings = {n: Ending(e["status"], e["ended_on"]) for n, e in ended.items()}
    return [row for row in (_row(r, today, endings.get(r["contract_number"])) for r in rows) if _matches(row, f)]


CSV_COLUMNS = (
    "保証契約番号", "工事名", "受注者", "保証種類", "保証金額（円）", "保証期限", "最新の版", "電子保証発行日時",
    "初回閲覧日時", "初回閲覧者", "最終閲覧日時", "最終閲覧者", "変更あり", "期限間近", "確認", "差戻しの理由",
    "期間満了・解約",
)


def register_csv(rows: list[RegisterRow]) -> bytes:
    """The register for the 決裁 file: UTF-8 with BOM (Excel opens it as Japanese), CRLF lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([
            r.contract_number, _cell(r.construction_name), _cell(r.contractor_name), r.product_label,
            r.guaranteed_amount, wareki(r.guarantee_expiry), r.latest_label, jst_minute(r.latest_arrived_at),
            jst_minute(r.first_viewed_at), _cell(r.first_viewed_by), jst_minute(r.last_viewed_at),
            _cell(r.last_viewed_by), "変更あり" if r.changed else "", "期限間近" if r.expiring else "",
            REVIEW_LABELS.get(r.decision or "", "未確認"), _cell(r.decision_reason or ""),
            r.ending.label if r.ending else "",
        ])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(text: str) -> str:
    """A spreadsheet must not run what a contractor typed: =, +, -, @ at the start are quoted."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


async def register_entry(pool: asyncpg.Pool, user: OrdererUser, contract_number: str) -> asyncpg.Record | None:
    """The organisation's register row of one certificate (its latest decision), or None."""
    async with pool.acquire() as conn:
        return await register_repository.entry(conn, user.organisation.id, contract_number)
