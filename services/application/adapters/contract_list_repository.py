"""保証契約一覧 read by key: one page of the company's contracts in the list's order (issued_at DESC,
contract_number), after or before a row's key, with the filters the list offers. Every filter is answered
by an index of migration 008 (the period by the order's own index, 工事名 by a trigram index); an OFFSET
is never used, so a deep page costs what the first does."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.application.adapters.contracts_repository import LATEST
from services.application.adapters.status_repository import ENDED_COLUMNS

# 保証契約一覧's tabs: 保証申込 (前払・中間・契約), 電子保証（認証キー）, 契約保証予約（入札ボンド）.
TABS = {
    "applications": "c.product <> 'bid_bond'",
    "electronic": "c.certificate_format = 'electronic'",
    "bid_bond": "c.product = 'bid_bond'",
}


@dataclass(frozen=True)
class Filters:
    """The search of 保証契約一覧 (the period is on the issue date in JST)."""

    product: str | None = None
    period_from: date | None = None
    period_to: date | None = None
    construction_name: str | None = None  # 部分一致
    contract_number: str | None = None  # ピンポイント検索
    tab: str | None = None  # the portal's tabs; the JSON API has none


def _like_escaped(text: str) -> str:
    """`text` as a LIKE pattern matching itself only (as strpos did), so that the trigram index answers it."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _where(company_id: UUID, f: Filters) -> tuple[list[str], list[Any]]:
    conditions = ["c.company_id = $1", *([TABS[f.tab]] if f.tab else [])]
    args: list[Any] = [company_id]

    def where(sql: str, value: Any) -> None:
        args.append(value)
        conditions.append(sql.replace("?", f"${len(args)}"))

    if f.product:
        where("c.product = ?", f.product)
    # The JST day's bounds as instants, so that the index on issued_at answers them.
    if f.period_from:
        where("c.issued_at >= (?::date::timestamp AT TIME ZONE 'Asia/Tokyo')", f.period_from)
    if f.period_to:
        where("c.issued_at < ((?::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo')", f.period_to)
    if f.construction_name:
        where("c.construction_name LIKE ?", _like_escaped(f.construction_name))
    if f.contract_number:
        where("c.contract_number = ?", f.contract_number)
    return conditions, args


async def page(
    conn: asyncpg.Connection,
    company_id: UUID,
    filters: Filters,
    *,
    key: tuple[datetime, str] | None,
    backwards: bool,
    limit: int,
) -> list[asyncpg.Record]:
    """Up to `limit` rows in the list's order: the first ones (key None), those after `key`, or (backwards)
    those just before it. The caller asks one more than it shows to learn whether more follow."""
    conditions, args = _where(company_id, filters)
    if key is not None:
        args += list(key)
        t, n = f"${len(args) - 1}", f"${len(args)}"
        # Written as a range on issued_at (the index's seek) plus the tie-break on contract_number
        # (ascending within a moment, as the list shows it).
        if backwards:
            conditions.append(f"c.issued_at >= {t} AND (c.issued_at > {t} OR c.contract_number < {n})")
        else:
            conditions.append(f"c.issued_at <= {t} AND (c.issued_at < {t} OR c.contract_number > {n})")
    order = "c.issued_at, c.contract_number DESC" if backwards else "c.issued_at DESC, c.contract_number"
    rows = await conn.fetch(
        f"SELECT c.*, {LATEST} AS latest_published_at, {ENDED_COLUMNS} FROM contracts c"
        f" WHERE {' AND '.join(conditions)} ORDER BY {order} LIMIT {int(limit)}",
        *args,
    )
    return rows[::-1] if backwards else rows


async def count_up_to(conn: asyncpg.Connection, company_id: UUID, filters: Filters, cap: int) -> int:
    """How many rows match, counting no further than `cap` + 1 (the page says 「…件以上」 beyond `cap`)."""
    conditions, args = _where(company_id, filters)
    return await conn.fetchval(
        f"SELECT count(*) FROM (SELECT 1 FROM contracts c WHERE {' AND '.join(conditions)} LIMIT {int(cap) + 1}) s",
        *args,
    )
