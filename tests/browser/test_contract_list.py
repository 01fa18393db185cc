"""保証契約一覧 with more contracts than a page: 次へ and 前へ reached and followed with the keyboard alone, each
page well-formed and free of axe-core violations, the search kept (issue 12)."""

import re
from datetime import datetime, timedelta, timezone

import pytest

from services.application.entrypoints import cli as application_cli
from tests.browser.netdesk import log_in
from tests.browser.pages import check_page, key_press_button
from tests.integration.application.contract_rows import copy_contracts, record

pytestmark = pytest.mark.integration

COMPANY = "◇◇ページ建設 株式会社"


async def test_next_and_previous_with_the_keyboard(page, portal, system, common_env):
    url = common_env["database_url"]
    company_id = await application_cli.create_company(COMPANY, "静岡県沼津市", database_url=url)
    await application_cli.create_user(COMPANY, "pager-a", "password-pager-a", "頁 太郎", database_url=url)
    t0 = datetime(2024, 6, 1, tzinfo=timezone.utc)
    numbers = [f"28080-{i:05d}K" for i in range(1, 26)]
    async with system.contexts["application"].pool.acquire() as conn:
        await copy_contracts(conn, [
            record(company_id, n, t0 + timedelta(hours=i), product="contract_guarantee", construction_name=f"港湾整備工事{i:02d}")
            for i, n in enumerate(numbers)
        ])
    await log_in(page, portal, ("pager-a", "password-pager-a"), start="contracts?construction_name=港湾整備")
    html = await check_page(page, "contracts-page-1")
    assert "25件（1〜20件目を表示）" in html

    def shown(text: str) -> list[str]:
        return re.findall(r'class="mono">(\d{5}-\d{5}K)<', text)

    assert shown(html) == numbers[::-1][:20]
    await key_press_button(page, page.get_by_role("link", name="次へ", exact=True))
    html = await check_page(page, "contracts-page-2")
    assert "25件（21〜25件目を表示）" in html and shown(html) == numbers[::-1][20:]
    assert await page.locator("#construction_name").input_value() == "港湾整備"  # the search is kept
    assert await page.get_by_role("link", name="次へ", exact=True).count() == 0

    await key_press_button(page, page.get_by_role("link", name="前へ", exact=True))
    html = await check_page(page, "contracts-page-1-again")
    assert shown(html) == numbers[::-1][:20] and await page.get_by_role("link", name="前へ", exact=True).count() == 0
