"""保証契約一覧 of the JSON API, paged by key (issue 12): newest first, every contract once even when others
arrive between two pages, the filters kept across pages, and a bad cursor or limit refused in Japanese."""

import base64
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.application.entrypoints.cli import create_company, create_user
from tests.conftest import TEST_DATABASE_URL
from tests.integration.application.contract_rows import copy_contracts, record

pytestmark = pytest.mark.integration

T0 = datetime(2024, 4, 1, 0, 0, tzinfo=timezone.utc)


async def new_company(api, name: str):
    """A company of its own, so that its list holds only what the test put there."""
    login = "list-" + uuid.uuid4().hex[:10]
    company_id = await create_company(name, "静岡県三島市北田町4-47", database_url=TEST_DATABASE_URL)
    await create_user(name, login, "pass-" + login, "佐藤 花子", database_url=TEST_DATABASE_URL)
    token = (await api.post("/auth/login", json={"login_id": login, "password": "pass-" + login})).json()
    return company_id, {"Authorization": f"Bearer {token['access_token']}"}


def numbers_of(prefix: int, count: int, letter: str = "M") -> list[str]:
    return [f"{prefix}-{i:05d}{letter}" for i in range(1, count + 1)]


def a_prefix() -> int:
    return 10000 + uuid.uuid4().int % 20000  # below the other tests' prefixes (35072, 40000-89999)


async def walk(api, headers, **params) -> tuple[list[str], list[dict]]:
    """Every page from the first, following X-Next-Cursor; the numbers in order and each page's response."""
    seen, answers, cursor = [], [], None
    while True:
        response = await api.get("/contracts", headers=headers, params=params | ({"cursor": cursor} if cursor else {}))
        assert response.status_code == 200, response.text
        answers.append(response)
        seen += [r["contract_number"] for r in response.json()]
        cursor = response.headers.get("x-next-cursor")
        if cursor is None:
            assert "link" not in response.headers
            return seen, answers
        assert len(answers) < 100


async def test_pages_are_newest_first_with_every_contract_once(api, service):
    company_id, headers = await new_company(api, "ページ株式会社")
    prefix = a_prefix()
    numbers = numbers_of(prefix, 9)
    # Two pairs issued at the same moment: the tie is ordered by 保証契約番号 (ascending), as before paging.
    moments = [T0 + timedelta(minutes=m) for m in (5, 1, 7, 7, 3, 9, 2, 2, 8)]
    async with service.pool.acquire() as conn:
        await copy_contracts(conn, [record(company_id, n, t) for n, t in zip(numbers, moments)])
    expected = [n for n, _ in sorted(zip(numbers, moments), key=lambda p: (-p[1].timestamp(), p[0]))]

    seen, answers = await walk(api, headers, limit=2)
    assert seen == expected
    assert [len(a.json()) for a in answers] == [2, 2, 2, 2, 1]
    link = answers[0].headers["link"]
    assert link.startswith("</contracts?") and link.endswith('>; rel="next"')
    assert f"cursor={answers[0].headers['x-next-cursor']}" in link and "limit=2" in link
    # Without limit: 50 at most (the default); all nine fit on one page, so no cursor.
    whole = await api.get("/contracts", headers=headers)
    assert [r["contract_number"] for r in whole.json()] == expected and "x-next-cursor" not in whole.headers


async def test_the_default_page_is_fifty_and_limit_is_bounded(api, service):
    company_id, headers = await new_company(api, "件数株式会社")
    prefix = a_prefix()
    async with service.pool.acquire() as conn:
        await copy_contracts(conn, [record(company_id, n, T0 + timedelta(seconds=i))
                                    for i, n in enumerate(numbers_of(prefix, 201))])
    first = await api.get("/contracts", headers=headers)
    assert len(first.json()) == 50 and first.headers["x-next-cursor"]
    assert len((await api.get("/contracts", headers=headers, params={"limit": 200})).json()) == 200
    assert len((await api.get("/contracts", headers=headers, params={"limit": 1})).json()) == 1
    for limit, message in (("0", "件数（limit）は1以上にしてください。"), ("201", "件数（limit）は200以下にしてください。"),
                           ("-5", "件数（limit）は1以上にしてください。"), ("abc", "件数（limit）は整数で入力してください。")):
        refused = await api.get("/contracts", headers=headers, params={"limit": limit})
        assert refused.status_code == 422, limit
        assert [(p["path"], p["message"]) for p in refused.json()["problems"]] == [("limit", message)]


async def test_contracts_arriving_between_pages_neither_repeat_nor_hide_a_row(api, service):
    company_id, headers = await new_company(api, "到着株式会社")
    prefix = a_prefix()
    old = numbers_of(prefix, 6)
    async with service.pool.acquire() as conn:
        await copy_contracts(conn, [record(company_id, n, T0 + timedelta(minutes=i)) for i, n in enumerate(old)])
    first = await api.get("/contracts", headers=headers, params={"limit": 3})
    assert [r["contract_number"] for r in first.json()] == old[::-1][:3]

    # Newer contracts arrive (and one at the very moment of the page's last row, ordered after it).
    new = numbers_of(prefix + 1, 3, "K")
    arriving = [record(company_id, new[0], T0 + timedelta(days=1), product="contract_guarantee"),
                record(company_id, new[1], T0 + timedelta(days=2), product="contract_guarantee"),
                record(company_id, new[2], T0 + timedelta(minutes=3), product="contract_guarantee")]
    async with service.pool.acquire() as conn:
        await copy_contracts(conn, arriving)
    rest = []
    cursor = first.headers["x-next-cursor"]
    while cursor:
        page = await api.get("/contracts", headers=headers, params={"limit": 3, "cursor": cursor})
        rest += [r["contract_number"] for r in page.json()]
        cursor = page.headers.get("x-next-cursor")
    seen = [r["contract_number"] for r in first.json()] + rest
    # Page 2 goes on from the last row shown: the newer ones are not on it (nor is anything repeated); the one
    # issued at that row's very moment sorts after it (by 保証契約番号) and so is next.
    assert rest == [new[2], *old[::-1][3:]]
    assert len(seen) == len(set(seen)) and set(old) <= set(seen)
    fresh = await api.get("/contracts", headers=headers, params={"limit": 3})
    assert [r["contract_number"] for r in fresh.json()][:2] == [new[1], new[0]]


async def test_filters_hold_across_pages(api, service):
    company_id, headers = await new_company(api, "絞込株式会社")
    prefix = a_prefix()
    rows, wanted = [], []
    for i, n in enumerate(numbers_of(prefix, 30)):
        product = ("advance_payment", "contract_guarantee", "bid_bond")[i % 3]
        name = "国道１号橋梁補修工事" if i % 2 else "市道維持工事"
        # Issued 2024-04-01 .. 04-30 in JST (each at 23:30 JST = 14:30 UTC: the JST day, not the UTC day).
        issued = datetime(2024, 4, 1, 14, 30, tzinfo=timezone.utc) + timedelta(days=i)
        rows.append(record(company_id, n, issued, product=product, construction_name=name))
        day = (issued + timedelta(hours=9)).date()
        if product == "contract_guarantee" and "橋梁" in name and datetime(2024, 4, 5).date() <= day <= datetime(2024, 4, 28).date():
            wanted.append((issued, n))
    async with service.pool.acquire() as conn:
        await copy_contracts(conn, rows)
    expected = [n for _, n in sorted(wanted, reverse=True)]
    assert len(expected) >= 3
    params = {"product": "contract_guarantee", "construction_name": "号橋梁", "period_from": "2024-04-05",
              "period_to": "20240428", "limit": 1}
    seen, answers = await walk(api, headers, **params)
    assert seen == expected
    assert [len(a.json()) for a in answers] == [1] * len(expected)  # one a page, as asked
    for answer in answers[:-1]:  # each 次 link keeps the search
        link = answer.headers["link"]
        assert "product=contract_guarantee" in link and "period_from=2024-04-05" in link and "construction_name=" in link
    # LIKE's own characters are searched for as themselves (as strpos did).
    assert (await api.get("/contracts", headers=headers, params={"construction_name": "%"})).json() == []
    assert (await api.get("/contracts", headers=headers, params={"construction_name": "_"})).json() == []
    pinpoint = await api.get("/contracts", headers=headers, params={"contract_number": expected[0], "limit": 1})
    assert [r["contract_number"] for r in pinpoint.json()] == [expected[0]] and "x-next-cursor" not in pinpoint.headers


@pytest.mark.parametrize("cursor", [
    "not-a-cursor",
    base64.urlsafe_b64encode(b'["2024-04-01T00:00:00+00:00","10000-00001M","next"]').decode(),  # a field short
    base64.urlsafe_b64encode(b'["2024-04-01T00:00:00","10000-00001M","next",1]').decode(),  # no time zone
    base64.urlsafe_b64encode(b'["2024-04-01T00:00:00+00:00","10000-00001M","sideways",1]').decode(),
    base64.urlsafe_b64encode(b'{"t":1}').decode(),
    "x" * 300,
])
async def test_a_bad_cursor_is_refused_in_japanese_naming_the_field(api, contractor_a, cursor):
    refused = await api.get("/contracts", headers=contractor_a.headers, params={"cursor": cursor})
    assert refused.status_code == 422
    body = refused.json()
    assert body["detail"] == "入力内容に誤りがあります。"
    [problem] = body["problems"]
    assert problem["path"] == "cursor" and problem["label"] == "続きの位置（cursor）"
    assert problem["message"].startswith("続きの位置（cursor）")
