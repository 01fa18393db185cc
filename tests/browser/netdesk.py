"""Net Desk's pages as a contractor uses them: log in and out, 申込作成 → 申込確認 → 送信, and the way to a
contract. Selectors are the pages' own: form names (the JSON API's paths), ids (dots as dashes) and
visible Japanese texts."""

import re
from typing import Any

from playwright.async_api import Page

from tests.browser.pages import check_page, fill_form, flatten, key_press_button, key_type, submit_with
from tests.conftest import eventually

LOGIN_FAILED = "ログインIDまたはパスワードが正しくありません"


async def log_in(page: Page, portal: str, credentials: tuple[str, str], *, keyboard: bool = False,
                 check: str | None = None, start: str = "login") -> None:
    """Opens `start` (a portal path; the login page, or a page behind login that leads to it) and logs in.
    `check`: check_page the login page under this name first."""
    await page.goto(f"{portal}{start}")
    assert re.search(r"/portal/login(\?|$)", page.url), f"not at the login page: {page.url}"
    if check:
        await check_page(page, check)
    login_id, password = credentials
    if keyboard:
        await key_type(page, "#login_id", login_id)
        await key_type(page, "#password", password)
        await key_press_button(page, page.get_by_role("button", name="ログイン", exact=True))
    else:
        await page.locator("#login_id").fill(login_id)
        await page.locator("#password").fill(password)
        async with page.expect_navigation():
            await page.get_by_role("button", name="ログイン", exact=True).click()
    assert "/portal/login" not in page.url, f"still at the login page after logging in as {login_id}"


async def log_out(page: Page) -> None:
    async with page.expect_navigation():
        await page.get_by_role("button", name="ログアウト", exact=True).first.click()
    assert "/portal/login" in page.url


def form_values(form: dict[str, Any]) -> dict[str, Any]:
    """The sample form as the page's controls take it: amounts and dates as typed text."""
    return flatten(form)


async def fill_application(page: Page, form: dict[str, Any], *, keyboard: bool = False) -> None:
    await fill_form(page, form_values(form), keyboard=keyboard)


async def press(page: Page, name: "str | re.Pattern", *, keyboard: bool = False) -> None:
    """Presses the visible submit button with this accessible name and waits for the next page."""
    exact = isinstance(name, str)
    buttons = page.get_by_role("button", name=name, exact=True) if exact else page.get_by_role("button", name=name)
    count = await buttons.count()
    visible = [i for i in range(count) if await buttons.nth(i).is_visible()]
    assert visible, f"no visible button 「{name}」 on {page.url}"
    await submit_with(page, buttons.nth(visible[0]), keyboard=keyboard)


async def contract_rows(page: Page) -> list[dict[str, str]]:
    """The 保証契約一覧 table as {column header: cell text} rows."""
    table = page.locator("table")
    if await table.count() == 0:
        return []
    headers = [t.strip() for t in await table.first.locator("thead th").all_inner_texts()]
    rows = []
    for row in await table.first.locator("tbody tr").all():
        cells = [c.strip() for c in await row.locator("td").all_inner_texts()]
        rows.append(dict(zip(headers, cells)))
    return rows


async def wait_for_contracts(page: Page, portal: str, construction_name: str, count: int, timeout: float = 60) -> list[dict]:
    """Reloads 保証契約一覧 searched by 工事名 until `count` contracts are listed (issued)."""

    async def listed():
        await page.goto(f"{portal}contracts?tab=applications&construction_name={construction_name}")
        rows = await contract_rows(page)
        return rows if len(rows) >= count else None

    return await eventually(listed, timeout=timeout, interval=0.5)
