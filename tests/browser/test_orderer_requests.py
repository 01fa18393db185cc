"""Orderer-started requests in the browser: 川崎市's staff, with the keyboard only, send a 変更依頼 (first
blank: the error summary links to the field) and a 解除確認 from the certificate view and see both listed
under it; without JavaScript a 解除確認 of a 契約保証 (only 工事完成 is offered there); the contractor finds
each on 全体トップ as a お知らせ and follows it to the contract's 電子保証概要. check_page (axe-core, strict
HTML, screenshots with SCREENSHOTS_DIR) on every page on the way."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Page

from tests.browser import netdesk, pages
from tests.browser.pages import check_page, key_check, key_press_button, key_type, tab_to
from tests.browser.viewer import issue_for_contractor, log_in, look_up, viewer_base
from tests.conftest import eventually

pytestmark = pytest.mark.integration

CONSTRUCTION = "依頼確認（ブラウザ）工事"
CHANGE = "工期を令和8年3月31日まで延長します。\n保証期限の変更をお願いします。"


@pytest.fixture(scope="module")
async def issued(system, accounts):
    found = await issue_for_contractor(system, accounts["clerk-b"], CONSTRUCTION)
    for certificate in found.values():
        pages.KNOWN_KEYS.add(certificate.auth_key)
    return found


async def sent_rows(page: Page) -> list[dict[str, str]]:
    table = page.locator("#sent-requests")
    if await table.count() == 0:
        return []
    headers = [t.strip() for t in await table.locator("thead th").all_inner_texts()]
    return [dict(zip(headers, [c.strip() for c in await row.locator("td").all_inner_texts()]))
            for row in await table.locator("tbody tr").all()]


async def test_the_orderer_sends_both_and_the_contractor_sees_them(open_page, system, orderers, accounts, issued):
    base = viewer_base(system)
    c = issued["advance_payment"]
    page = await open_page(js=True)
    await log_in(page, base, orderers["k-suzuki"], keyboard=True)
    await look_up(page, base, c.number, c.auth_key, keyboard=True)
    await check_page(page, "viewer-certificate-requests", printable=True)
    section = page.locator("#requests")
    assert await section.locator("h2").inner_text() == "変更依頼・解除確認"
    assert "送信した変更依頼・解除確認はありません" in await section.inner_text()
    assert await section.is_visible()  # on screen; printed, it is left out (no-print):
    await page.emulate_media(media="print")
    try:
        assert not await section.is_visible(), "the request forms are printed on the viewing record"
    finally:
        await page.emulate_media(media="null")

    # 変更依頼 sent blank: the page again, the summary first, its link leads to the field.
    await key_press_button(page, page.get_by_role("button", name="変更依頼を送信する", exact=True))
    await check_page(page, "viewer-request-amendment-blank", status=422)
    assert (await page.title()).startswith("エラー：")
    summary = page.locator("#error-summary")
    assert await page.evaluate("() => document.activeElement && document.activeElement.id") == "error-summary"
    link = summary.get_by_role("link", name="変更してほしい内容を入力してください。", exact=True)
    assert await link.get_attribute("href") == "#amendment_message"
    await tab_to(page, link)
    await page.keyboard.press("Enter")
    assert await page.evaluate("() => document.activeElement.id") == "amendment_message"
    assert await page.locator("#amendment_message").get_attribute("aria-invalid") == "true"
    assert "＊変更してほしい内容を入力してください。" in await page.locator("#amendment_message-error").inner_text()

    await key_type(page, "#amendment_message", CHANGE)
    await key_press_button(page, page.get_by_role("button", name="変更依頼を送信する", exact=True))
    assert urlsplit(page.url).query == "version=0&requested=amendment", page.url
    await check_page(page, "viewer-request-amendment-sent")
    assert "変更依頼を送信しました。" in await page.locator("#requests [role=status]").inner_text()

    # 解除確認: both grounds (a 前払金保証) and a note, with the keyboard.
    labels = [t.strip() for t in await page.locator("#release_grounds label").all_inner_texts()]
    assert labels == ["工事完成", "前払金精算済"], labels
    await key_check(page, "#release_grounds-1")
    await key_check(page, "#release_grounds-2")
    await key_type(page, "#release_note", "令和7年12月10日に完成検査を終えました。")
    await key_press_button(page, page.get_by_role("button", name="解除確認を送信する", exact=True))
    await check_page(page, "viewer-request-release-sent")
    rows = await sent_rows(page)
    assert [(r["種類"], r["対象"], r["送信者"]) for r in rows] == [("解除確認", "新規", "工事課 鈴木"),
                                                                  ("変更依頼", "新規", "工事課 鈴木")], rows
    assert rows[0]["内容"] == "工事完成・前払金精算済\n備考：令和7年12月10日に完成検査を終えました。", rows[0]
    assert rows[1]["内容"] == CHANGE, rows[1]
    assert all(re.fullmatch(r"令和\d+年\d+月\d+日 \d{2}:\d{2}", r["送信日時"]) for r in rows), rows

    # The contractor: 全体トップ's お知らせ, newest first, then the contract by its link.
    contractor = await open_page(js=True)
    await netdesk.log_in(contractor, system.portal, accounts["clerk-b"], keyboard=True)

    async def both_notices():
        await contractor.goto(system.portal)
        table = contractor.locator("#orderer-notices")
        if await table.count() == 0:
            return None
        mine = contractor.locator("#orderer-notices tbody tr", has_text=c.number)
        return mine if await mine.count() == 2 else None

    mine = await eventually(both_notices, timeout=30)
    await check_page(contractor, "top-orderer-notices")
    headers = [t.strip() for t in await contractor.locator("#orderer-notices thead th").all_inner_texts()]
    assert headers == ["受付日時", "発注者名", "工事名", "保証契約番号", "種類", "内容"], headers
    cells = [[t.strip() for t in await mine.nth(i).locator("td").all_inner_texts()] for i in range(2)]
    assert [row[1:5] for row in cells] == [["川崎市", CONSTRUCTION, c.number, "解除確認"],
                                           ["川崎市", CONSTRUCTION, c.number, "変更依頼"]], cells
    assert cells[0][5].startswith("工事完成・前払金精算済のため、保証を解除してよいことを確認しました。"), cells[0]
    assert cells[1][5] == CHANGE, cells[1]
    link = mine.nth(1).get_by_role("link", name=c.number, exact=True)
    await tab_to(contractor, link)
    async with contractor.expect_navigation():
        await contractor.keyboard.press("Enter")
    assert urlsplit(contractor.url).path == f"/portal/contracts/{c.number}", contractor.url
    await check_page(contractor, "contract-orderer-requests", printable=True)
    listed = await contractor.locator("#orderer-requests").inner_text()
    assert listed.index("解除確認") < listed.index(CHANGE.split("\n")[0]) and "備考：令和7年12月10日" in listed


async def test_a_release_of_a_contract_guarantee_without_javascript(open_page, system, orderers, accounts, issued):
    base = viewer_base(system)
    c = issued["contract_guarantee"]
    page = await open_page(js=False)
    await log_in(page, base, orderers["k-sato"])
    await look_up(page, base, c.number, c.auth_key)
    await check_page(page, "nojs-viewer-certificate-requests")
    labels = [t.strip() for t in await page.locator("#release_grounds label").all_inner_texts()]
    assert labels == ["工事完成"], labels  # a 契約保証 has no 前払金
    assert "前払金精算済は前払金保証・中間前払金保証の場合だけ選択できます。" in await page.locator("#release_grounds-hint").inner_text()
    # Nothing chosen: said at the fieldset, the note kept.
    await page.locator("#release_note").fill("契約を解除しました。")
    async with page.expect_navigation():
        await page.get_by_role("button", name="解除確認を送信する", exact=True).click()
    await check_page(page, "nojs-viewer-request-release-blank", status=422)
    assert "＊解除確認の内容（工事完成）を選択してください。" in await page.locator(
        "#release_grounds-error").inner_text()
    assert await page.locator("#release_note").input_value() == "契約を解除しました。"
    await page.locator("#release_grounds-1").check()
    async with page.expect_navigation():
        await page.get_by_role("button", name="解除確認を送信する", exact=True).click()
    await check_page(page, "nojs-viewer-request-release-sent")
    rows = await sent_rows(page)
    assert [(r["種類"], r["内容"], r["送信者"]) for r in rows] == [
        ("解除確認", "工事完成\n備考：契約を解除しました。", "契約課 佐藤")], rows

    contractor = await open_page(js=False)
    await netdesk.log_in(contractor, system.portal, accounts["clerk-b"])

    async def shown():
        await contractor.goto(f"{system.portal}contracts/{c.number}")
        text = await contractor.locator("#orderer-requests").inner_text()
        return text if "契約を解除しました。" in text else None

    await eventually(shown, timeout=30)
    await check_page(contractor, "nojs-contract-orderer-requests")
