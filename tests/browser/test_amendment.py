"""変更申込 in the browser (issue 13, seeds 002: 保証金額 and 保証期限 of an issued 前払金保証 change, the same
保証契約番号): 電子保証概要 → 「変更を申し込む」 → 申込作成 with only the guarantee's sections under the notice of
what it changes (発注者 and 証書の形式 shown, not editable) → a change of 請負金額 alone first, answered with
the certificate's note → 保証金額, 工期 and 保証期限 changed → 申込確認 with 変更前 beside 変更後 → 送信 → 送信完了
→ 手続状況 marks it 変更. Once with the keyboard only (JavaScript on), once without JavaScript (as the
journeys of test_journey.py). check_page on every page (SCREENSHOTS_DIR)."""

import re
from datetime import date, timedelta

import pytest

from shared.japanese import wareki
from tests.browser import pages
from tests.browser.netdesk import log_in, press
from tests.browser.pages import check_page, fill_form, key_press_button
from tests.browser.viewer import issue_for_contractor

pytestmark = pytest.mark.integration

SEND = re.compile(r"^送信する")
NOTE = "請負金額のみの変更は、この保証契約の効力に影響を及ぼさないので、保証契約変更の手続きをとる必要はありません"


async def comparison_rows(page) -> dict[str, tuple[str, str, str]]:
    """申込確認's 変更の内容 table: 項目 → (変更前, 変更後, 変更)."""
    rows = {}
    for row in await page.locator("table.comparison tbody tr").all():
        label = (await row.locator("th").inner_text()).strip()
        cells = [c.strip() for c in await row.locator("td").all_inner_texts()]
        rows[label] = tuple(cells)
    return rows


@pytest.mark.parametrize("keyboard", [True, False], ids=["kbd", "nojs"])
async def test_a_change_of_amount_and_expiry_from_the_contract_page(open_page, portal, system, accounts, keyboard):
    name = "amend-kbd" if keyboard else "amend-nojs"
    construction_name = "変更申込確認（" + ("一" if keyboard else "二") + "）工事"
    issued = await issue_for_contractor(system, accounts["clerk-b"], construction_name)
    advance = issued["advance_payment"]
    pages.KNOWN_KEYS.add(advance.auth_key)
    page = await open_page(js=keyboard)

    # 電子保証概要 (the completion email's link, after login): the button and what it is for.
    await log_in(page, portal, accounts["clerk-b"], keyboard=keyboard, start=f"contracts/{advance.number}")
    assert page.url == f"{portal}contracts/{advance.number}", page.url
    await check_page(page, f"{name}-contract")
    button = page.get_by_role("button", name="変更を申し込む", exact=True)
    assert await button.count() == 1
    hint = await page.locator("#amendment-hint").inner_text()
    assert "保証金額の増額・減額、保証期限・工期の変更、工事名など記載内容の変更" in hint and "新規" in hint
    if keyboard:
        await key_press_button(page, button)
    else:
        async with page.expect_navigation():
            await button.click()

    # 申込作成 of the change: only the guarantee's sections, under the notice of what it changes.
    match = re.search(r"/portal/applications/([0-9a-f-]{36})/edit$", page.url)
    assert match, page.url
    application_id = match.group(1)
    await check_page(page, f"{name}-form")
    assert "変更申込" in await page.title() and "申込作成" in await page.title()
    assert (await page.locator("h1").inner_text()).startswith("変更申込")
    notice = page.locator("#amendment")
    assert f"変更申込：保証契約番号 {advance.number}（前払金保証）の変更" in await notice.inner_text()
    assert "新規" in await notice.locator("dd").nth(1).inner_text()
    assert "発注者と保証証書の形式は変更できません" in await notice.inner_text()
    titles = [t.strip() for t in await page.locator("main section h2").all_inner_texts()]
    assert titles == ["請負工事の情報", "前払金保証", "インフォメーション"], titles
    for fixed in ("contract.orderer_code", "advance_payment.certificate_format", "advance_payment.apply"):
        assert await page.locator(f'[name="{fixed}"]').count() == 0, f"{fixed} is a control"
    assert "電子保証" in await page.locator("#advance_payment-certificate_format").inner_text()
    assert "川崎市" in await page.locator("#contract-orderer_code").inner_text()
    assert await page.get_by_role("button", name="請負工事の情報をクリア").count() == 0
    amount = page.locator("#advance_payment-guaranteed_amount")
    assert re.sub(r"[,，]", "", await amount.input_value()) == "20000000"

    # 請負金額 alone: the certificate's own note, at the field and in the summary.
    await fill_form(page, {"contract.contract_amount": "60,000,000"}, keyboard=keyboard)
    await press(page, "申込確認へ", keyboard=keyboard)
    assert page.url == f"{portal}applications/{application_id}/confirm", page.url
    await check_page(page, f"{name}-contract-amount-only")
    summary = page.locator("#error-summary")
    assert await summary.get_by_role("link", name=NOTE).get_attribute("href") == "#contract-contract_amount"
    assert NOTE in await page.locator("#contract-contract_amount-error").inner_text()
    if keyboard:
        assert await page.evaluate("document.activeElement && document.activeElement.id") == "error-summary"

    # 保証金額 raised with it (40%), 工期 and 保証期限 60 days later (seeds 002).
    issued_end = date.today() + timedelta(days=300)
    new_end = issued_end + timedelta(days=60)
    await fill_form(page, {
        "contract.period_end": new_end.strftime("%Y%m%d"),
        "advance_payment.guaranteed_amount": "24,000,000",
        "advance_payment.guarantee_expiry": new_end.strftime("%Y/%m/%d"),
    }, keyboard=keyboard)
    await press(page, "申込確認へ", keyboard=keyboard)
    assert page.url == f"{portal}applications/{application_id}/confirm", page.url

    # 申込確認: 変更前 beside 変更後.
    await check_page(page, f"{name}-confirm", printable=True)
    assert await page.locator("#error-summary").count() == 0
    assert "変更申込" in await page.title()
    assert (await page.locator("h1").inner_text()).strip() == "変更申込：申込確認"
    rows = await comparison_rows(page)
    assert rows["保証金額"] == ("20,000,000 円", "24,000,000 円", "変更"), rows
    assert rows["保証期限"] == (wareki(issued_end), wareki(new_end), "変更"), rows
    assert rows["請負金額"][:2] == ("50,000,000 円", "60,000,000 円")
    assert rows["工事名"][0] == rows["工事名"][1] == construction_name and rows["工事名"][2] != "変更"
    sections = [t.strip() for t in await page.locator("main section h2").all_inner_texts()]
    assert "契約保証" not in sections and "前払金保証" in sections, sections
    if await page.locator("#acknowledge_warnings").count():
        await fill_form(page, {"acknowledge_warnings": True}, keyboard=keyboard)
    await press(page, SEND, keyboard=keyboard)

    # 送信完了 says what was sent, and where the changed certificate will be.
    assert page.url == f"{portal}applications/{application_id}/done", page.url
    await check_page(page, f"{name}-done", printable=True)
    assert "変更申込" in await page.title()
    main = await page.locator("main").inner_text()
    assert f"保証契約番号 {advance.number}（前払金保証）の変更申込を送信しました" in main
    assert "送信完了" in await page.locator('[aria-current="step"]').inner_text()
    assert await page.locator(f'main a[href="/portal/contracts/{advance.number}"]').count() >= 1

    # 手続状況 (送信済): marked 変更, with the number it changes.
    await page.goto(f"{portal}applications?tab=sent")
    await check_page(page, f"{name}-sent-list")
    rows = page.locator("tbody tr", has_text=construction_name)
    assert await rows.count() == 2, "the first application and its change"
    row = rows.filter(has=page.locator(".tag", has_text="変更"))
    assert await row.count() == 1, "the change is not marked in 手続状況"
    assert await row.get_by_role("link", name=advance.number).get_attribute("href") == f"/portal/contracts/{advance.number}"
