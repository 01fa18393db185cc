"""保証契約一覧 in the portal, paged by key (issue 12): 次へ / 前へ are plain links that keep the search and
the tab, numbered rows carry on across pages, and an edited cursor shows the first page again."""

import html
import re
from datetime import datetime, timedelta, timezone

import pytest

from services.application.entrypoints.cli import create_company, create_user
from tests.conftest import TEST_DATABASE_URL
from tests.integration.application.contract_rows import copy_contracts, record
from tests.integration.application.test_contract_list_paging import a_prefix, numbers_of
from tests.integration.application.test_portal_pages import browser, parse_strictly

pytestmark = pytest.mark.integration

ROW = re.compile(r'<td>(\d+)</td>\s*<td>[^<]*<br><span class="tag tag--grey">[^<]*</span></td>\s*<td class="mono">([^<]+)<')


def link(page: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}">', page)
    return html.unescape(found.group(1)) if found else None


async def test_next_and_previous_keep_the_search_and_number_the_rows(service):
    name = "ページ送り建設 株式会社"
    company_id = await create_company(name, "静岡県三島市北田町4-47", database_url=TEST_DATABASE_URL)
    await create_user(name, "pager", "pass-pager", "佐藤 花子", database_url=TEST_DATABASE_URL)
    prefix = a_prefix()
    numbers = numbers_of(prefix, 45, "K")
    t0 = datetime(2024, 5, 1, tzinfo=timezone.utc)
    rows = [record(company_id, n, t0 + timedelta(hours=i), product="contract_guarantee",
                   construction_name=f"県道改良工事その{i}") for i, n in enumerate(numbers)]
    rows += [record(company_id, n, t0, construction_name="県道改良工事（前払）") for n in numbers_of(prefix + 1, 3)]
    async with service.pool.acquire() as conn:
        await copy_contracts(conn, rows)
    newest_first = numbers[::-1]
    client = await browser(service.http_app, "pager", "pass-pager")

    first = await client.get("/portal/contracts", params={"construction_name": "県道改良", "product": "contract_guarantee"})
    assert first.status_code == 200
    parse_strictly(first.text)
    assert "45件（1〜20件目を表示）" in first.text
    assert ROW.findall(first.text) == [(str(i + 1), n) for i, n in enumerate(newest_first[:20])]
    assert link(first.text, "prev") is None
    following = link(first.text, "next")
    assert "construction_name=" in following and "product=contract_guarantee" in following and "tab=applications" in following

    second = await client.get(following)
    parse_strictly(second.text)
    assert "45件（21〜40件目を表示）" in second.text
    assert [n for _, n in ROW.findall(second.text)] == newest_first[20:40]
    third = await client.get(link(second.text, "next"))
    assert "45件（41〜45件目を表示）" in third.text and link(third.text, "next") is None
    assert ROW.findall(third.text) == [(str(41 + i), n) for i, n in enumerate(newest_first[40:])]

    back = await client.get(link(third.text, "prev"))
    assert ROW.findall(back.text) == ROW.findall(second.text)
    top = await client.get(link(back.text, "prev"))
    assert ROW.findall(top.text) == ROW.findall(first.text) and link(top.text, "prev") is None

    # A tab or a new search starts from the top; an edited cursor too (it is a link, nobody types it).
    assert "cursor=" not in re.search(r'<nav class="tabs".*?</nav>', second.text, re.S).group(0)
    edited = await client.get("/portal/contracts", params={"construction_name": "県道改良", "cursor": "edited!"})
    assert edited.status_code == 200 and "48件（1〜20件目を表示）" in edited.text
