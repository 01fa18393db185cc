"""全体トップ: 最近のお手続き since the user's previous login, お勧め (suggested applications) and お知らせ
(変更依頼 / 解除確認 from the orderers)."""

from dataclasses import dataclass
from typing import Any

import asyncpg

from services.application.adapters import contracts_repository as repo
from services.application.handlers.accounts import CurrentUser
from services.application.handlers.contracts import row_out
from services.application.handlers.orderer_requests import Notices, notices

RECENT_LIMIT = 10


@dataclass(frozen=True)
class TopPage:
    recent: list[dict[str, Any]]  # rows of 保証契約一覧 changed since the previous login (all, at a first login)
    since_previous_login: bool
    intermediate_suggestions: list[dict[str, Any]]  # 前払金保証 with a 中間前払金 planned and none yet
    notices: Notices | None = None  # お知らせ: the orderers' requests on the company's contracts, newest first


async def top_page(pool: asyncpg.Pool, user: CurrentUser) -> TopPage:
    async with pool.acquire() as conn:
        recent = await repo.issued_since(conn, user.company_id, user.previous_login_at, RECENT_LIMIT)
        suggestions = await repo.intermediate_recommended(conn, user.company_id, RECENT_LIMIT)
    return TopPage(
        recent=[row_out(r) | {"updated_at": r["updated_at"]} for r in recent],
        since_previous_login=user.previous_login_at is not None,
        intermediate_suggestions=[row_out(r) for r in suggestions],
        notices=await notices(pool, user),
    )
