"""申込作成's own buttons: 保存 keeps a draft (作成中), Enter in a text box saves (never clears a
section), 「…をクリア」 empties only its section; the draft is continued from 手続状況."""

import re

import pytest

from tests.browser.netdesk import log_in, press
from tests.browser.pages import check_page, fill_form

pytestmark = pytest.mark.integration

NAME = "下書き確認工事"


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
async def test_save_enter_and_clear_a_section(open_page, portal, accounts, js):
    page = await open_page(js=js)
    await log_in(page, portal, accounts["clerk-b"])
    await page.goto(f"{portal}applications/new")
    name = f"{NAME}（{'JS' if js else 'JSなし'}）"
    await fill_form(page, {
        "contract.construction_name": name,
        "contract.contract_amount": "50000000",
        "advance_payment.apply": True,
        "advance_payment.depository": "○○銀行　××支店",
    })
    # Enter in a text box: the form's default button is 保存.
    await page.locator("#contract-construction_name").focus()
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    match = re.search(r"/portal/applications/([0-9a-f-]{36})/edit\?saved=1$", page.url)
    assert match, page.url
    application_id = match.group(1)
    await check_page(page, f"form-saved-{'js' if js else 'nojs'}")
    assert await page.get_by_role("status").filter(has_text="保存しました").count() == 1
    assert await page.locator("#contract-construction_name").input_value() == name
    assert await page.locator("#advance_payment-apply").is_checked()

    # 手続状況 (作成中) lists it, with a link to go on.
    await page.goto(f"{portal}applications?tab=draft")
    await check_page(page, f"draft-list-{'js' if js else 'nojs'}")
    row = page.locator("tbody tr", has_text=name)
    assert await row.count() == 1
    go_on = row.get_by_role("link", name=re.compile(r"^続きを入力"))
    assert await go_on.get_attribute("href") == f"/portal/applications/{application_id}/edit"
    async with page.expect_navigation():
        await go_on.click()

    # 「請負工事の情報をクリア」: that section only.
    await press(page, "請負工事の情報をクリア")
    assert re.search(rf"/portal/applications/{application_id}/edit(\?[^#]*)?(#contract)?$", page.url), page.url
    await check_page(page, f"form-cleared-{'js' if js else 'nojs'}")
    assert await page.locator("#contract-construction_name").input_value() == ""
    assert await page.locator("#contract-contract_amount").input_value() == ""
    assert await page.locator("#advance_payment-apply").is_checked()
    assert await page.locator("#advance_payment-depository").input_value() == "○○銀行　××支店"
