"""保証契約一覧, one page at a time, for the JSON API and the portal alike: always the company's own contracts,
newest first, paged by key (domain/list_cursor) so that neither the response nor the query grows with the
company's history."""

from dataclasses import dataclass
from typing import Any

import asyncpg

from services.application.adapters import contract_list_repository as repo
from services.application.adapters.contract_list_repository import Filters
from services.application.domain import list_cursor
from services.application.domain.list_cursor import Cursor
from services.application.handlers.accounts import CurrentUser
from services.application.handlers.contracts import row_out

TABS = tuple(repo.TABS)
MIN_LIMIT, MAX_LIMIT, DEFAULT_LIMIT = 1, 200, 50
COUNT_CAP = 1000  # the portal counts no further (「1000件以上」): a count must not cost a scan of the history


@dataclass(frozen=True)
class ContractPage:
    rows: list[dict[str, Any]]
    next_cursor: str | None  # None on the last page
    prev_cursor: str | None  # None on the first page
    first_no: int  # the No. of the first row shown
    total: int | None = None  # counted up to COUNT_CAP + 1 when asked for (the portal), else None

    @property
    def total_capped(self) -> bool:
        return self.total is not None and self.total > COUNT_CAP


def _key(row: dict[str, Any]) -> tuple:
    return row["issued_at"], row["contract_number"]


async def page(
    pool: asyncpg.Pool,
    user: CurrentUser,
    filters: Filters,
    *,
    cursor: Cursor | None = None,
    limit: int = DEFAULT_LIMIT,
    count: bool = False,
) -> ContractPage:
    """The page `cursor` points at (the first page without one). `limit` is bounded by the callers' edges."""
    limit = max(MIN_LIMIT, min(MAX_LIMIT, limit))
    key = (cursor.issued_at, cursor.contract_number) if cursor else None
    backwards = bool(cursor and cursor.backwards)
    async with pool.acquire() as conn:
        rows = await repo.page(conn, user.company_id, filters, key=key, backwards=backwards, limit=limit + 1)
        total = await repo.count_up_to(conn, user.company_id, filters, COUNT_CAP) if count else None
    more = len(rows) > limit  # one more row than shown: there is a page beyond, in the direction read
    rows = (rows[1:] if backwards else rows[:-1]) if more else rows
    if backwards:
        # Back at the top when nothing precedes: number from 1 again (rows may have arrived meanwhile).
        first_no = max(1, cursor.position - len(rows) + 1) if more else 1
        has_next, has_prev = True, more
    else:
        first_no = cursor.position if cursor else 1
        has_next, has_prev = more, cursor is not None
    if not rows:
        if backwards:  # what preceded is gone (a stale 前へ): the first page instead of an empty one
            return await page(pool, user, filters, limit=limit, count=count)
        return ContractPage([], None, None, 1, total)
    shown = [row_out(r) for r in rows]
    next_cursor = list_cursor.encode(Cursor(*_key(rows[-1]), False, min(first_no + len(rows), list_cursor.MAX_POSITION))) if has_next else None
    prev_cursor = list_cursor.encode(Cursor(*_key(rows[0]), True, min(first_no - 1, list_cursor.MAX_POSITION))) if has_prev else None
    return ContractPage(shown, next_cursor, prev_cursor, first_no, total)
