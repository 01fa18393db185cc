"""ログイン / ログアウト, the wrong-password message, where login leads (next, never off the portal), and why a
session ended (idle timeout)."""

import asyncpg
import pytest

from tests.browser.netdesk import LOGIN_FAILED, log_in, log_out
from tests.browser.pages import check_page

pytestmark = pytest.mark.integration


async def test_login_with_the_keyboard_and_logout(page, portal, accounts):
    await log_in(page, portal, accounts["clerk-a"], keyboard=True, check="login")
    assert page.url == portal, page.url
    await check_page(page, "top")
    for menu in ("保証申込（前払・中間・契約）", "契約保証予約申込（入札ボンド）", "保証契約一覧", "手続状況"):
        assert await page.get_by_role("link", name=menu, exact=True).count() >= 1, menu
    for heading in ("最近のお手続き", "お勧め", "お知らせ"):
        assert await page.get_by_role("heading", name=heading).count() == 1, heading

    await log_out(page)
    assert page.url.endswith("/portal/login?reason=logout"), page.url
    await check_page(page, "logged-out")
    # The session is over: the portal leads to login again.
    await page.goto(portal)
    assert "/portal/login" in page.url, page.url


async def test_a_wrong_password_and_an_unknown_id_get_one_and_the_same_message(page, portal, accounts):
    texts = []
    for login_id, password in (("clerk-b", "not-the-password"), ("nobody-here", "whatever")):
        await page.goto(f"{portal}login")
        await page.locator("#login_id").fill(login_id)
        await page.locator("#password").fill(password)
        async with page.expect_navigation():
            await page.get_by_role("button", name="ログイン", exact=True).click()
        html = await check_page(page, "login-failed", status=401)
        assert html.count(LOGIN_FAILED) == 1, f"「{LOGIN_FAILED}」 not exactly once"
        assert await page.locator("#password").input_value() == ""  # never echoed back
        assert "not-the-password" not in html
        texts.append((await page.locator("main").inner_text()).replace(login_id, "<id>"))
    assert texts[0] == texts[1]


async def test_login_returns_to_the_page_asked_for_and_never_leaves_the_portal(page, portal, accounts):
    await log_in(page, portal, accounts["clerk-b"], start="contracts?tab=electronic")
    assert page.url == f"{portal}contracts?tab=electronic", page.url
    await log_out(page)
    await page.goto(f"{portal}login?next=https://example.com/phish")
    await page.locator("#login_id").fill(accounts["clerk-b"][0])
    await page.locator("#password").fill(accounts["clerk-b"][1])
    async with page.expect_navigation():
        await page.get_by_role("button", name="ログイン", exact=True).click()
    assert page.url.startswith(portal), page.url


async def test_an_idle_session_ends_and_the_login_page_says_why(page, portal, accounts, common_env):
    await log_in(page, portal, accounts["clerk-b"])
    # The user did nothing for a day: the session's idle clock says so.
    conn = await asyncpg.connect(common_env["database_url"])
    try:
        changed = await conn.execute(
            "UPDATE application.sessions SET last_seen_at = now() - interval '1 day'"
            " WHERE idle_timeout_seconds IS NOT NULL AND revoked_at IS NULL"
            " AND user_id = (SELECT id FROM application.users WHERE login_id = $1)",
            accounts["clerk-b"][0],
        )
    finally:
        await conn.close()
    assert changed != "UPDATE 0"
    await page.goto(f"{portal}applications?tab=sent")
    assert "/portal/login" in page.url and "reason=timeout" in page.url, page.url
    html = await check_page(page, "login-timeout")
    assert "ログイン" in await page.title()
    reason = page.locator(".notice")
    assert await reason.count() == 1, "the login page does not say why the session ended"
    reason_text = (await reason.inner_text()).strip()
    assert reason_text and reason_text in html
    # The same reason on the page the portal's own timer goes to.
    await page.goto(f"{portal}login?reason=timeout")
    assert (await page.locator(".notice").inner_text()).strip() == reason_text
    # Logging in again comes back to the page asked for.
    await page.goto(f"{portal}applications?tab=sent")
    await page.locator("#login_id").fill(accounts["clerk-b"][0])
    await page.locator("#password").fill(accounts["clerk-b"][1])
    async with page.expect_navigation():
        await page.get_by_role("button", name="ログイン", exact=True).click()
    assert page.url == f"{portal}applications?tab=sent", page.url


async def test_the_session_timeout_warning_offers_to_stay_and_then_ends_at_the_login_page(page, portal, accounts):
    """WCAG 2.2.1: two minutes before the idle session ends a dialog says so; 「ログインを続ける」 (keyboard)
    restarts the clock; left alone, the page goes to the login page, which says why."""
    await page.clock.install()
    await log_in(page, portal, accounts["clerk-b"])
    body = page.locator("body")
    timeout = int(await body.get_attribute("data-session-timeout"))
    warn = int(await body.get_attribute("data-session-warn"))
    dialog = page.locator("#timeout-dialog")
    assert not await dialog.is_visible()

    await page.clock.run_for((timeout - warn + 1) * 1000)
    assert await dialog.is_visible(), "no warning before the session ends"
    assert await page.evaluate("document.activeElement && document.activeElement.id") == "timeout-stay"
    await check_page(page, "timeout-warning")
    async with page.expect_response(lambda r: r.url.endswith("/portal/session/extend")) as extended:
        await page.keyboard.press("Enter")
    assert (await extended.value).status == 204
    await dialog.wait_for(state="hidden")

    async with page.expect_navigation():
        await page.clock.run_for((timeout + 1) * 1000)
    assert "/portal/login" in page.url and "reason=timeout" in page.url, page.url
    await check_page(page, "login-after-timeout")
    assert await page.locator(".notice").count() == 1
