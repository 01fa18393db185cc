"""The contractor's journey through Net Desk's pages, as in the issue: log in; file the seeds' 川崎市 sample
through 申込作成 (first with 前払金 at 41% of 請負金額 to meet the error summary, then corrected), acknowledge
a warning, 送信 (with the company's 送信パスワード held by a second user, or without one), 送信完了; the
issue and its email; the email's link opens the contract after login; 保証契約一覧 searched by 工事名
and by number; 電子保証概要 with the 認証キー; 印刷 (the key notice PDF); the certificate view with the
same content digest as the JSON API. Once with the keyboard only (JavaScript on), once without
JavaScript. check_page on every page on the way (SCREENSHOTS_DIR: `make screenshots`).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.async_api import Page

from deploy.demo import sample_form
from shared.japanese import JST
from tests.browser import pages
from tests.browser.netdesk import contract_rows, fill_application, log_in, log_out, press, wait_for_contracts
from tests.browser.pages import KEY_PATTERN, check_page, fill_form, pdf_text, squashed, tab_to
from tests.conftest import eventually

pytestmark = pytest.mark.integration

CEILING_MESSAGE = re.compile(r"40%以下にしてください")
WARNING_TEXT = "工期の開始日"
SEND = re.compile(r"^送信する")  # 「送信する」 (「送信する（または送信待ちにする）」 for a user without the password)
LIST_COLUMNS = ["No.", "保証種類", "保証契約番号", "発注者名・工事名", "請負金額", "詳細"]


@dataclass
class Journey:
    name: str  # screenshot prefix
    keyboard: bool
    preparer: tuple[str, str]
    sender: tuple[str, str] | None  # holds the 送信パスワード (None: the company has none)
    send_password: str | None
    construction_name: str


def journey_form(construction_name: str) -> dict:
    """The seeds' sample, with 請負契約日 after 工期の開始日 (a warning to acknowledge) and 41% 前払金 (an error)."""
    today = date.today()
    form = sample_form(today)
    form["contract"]["construction_name"] = construction_name
    form["contract"]["period_start"] = (today + timedelta(days=7)).strftime("%Y%m%d")
    form["contract"]["contract_date"] = (today + timedelta(days=10)).strftime("%Y%m%d")
    form["advance_payment"]["guaranteed_amount"] = 20_500_000  # 41% of 50,000,000
    return form


async def go(page: Page, link_name: str, *, keyboard: bool) -> None:
    """Follows a link by its accessible name."""
    await follow(page, page.get_by_role("link", name=link_name, exact=True).first, keyboard=keyboard)


async def follow(page: Page, link, *, keyboard: bool) -> None:
    """Follows a link: Tab to it and Enter, or a click."""
    async with page.expect_navigation():
        if keyboard:
            await tab_to(page, link)
            await page.keyboard.press("Enter")
        else:
            await link.click()


async def file_and_correct(page: Page, portal: str, j: Journey) -> str:
    """申込作成 with the 41% error, its error summary, the correction; returns the application's URL id."""
    await go(page, "保証申込（前払・中間・契約）", keyboard=j.keyboard)
    assert page.url == f"{portal}applications/new", page.url
    await check_page(page, f"{j.name}-application-new")
    assert "申込作成" in await page.locator('[aria-current="step"]').inner_text()
    orderer = page.locator("#contract-orderer_code")
    assert await orderer.evaluate("(el) => el.tagName") == "SELECT"
    assert await orderer.locator('option[value="kawasaki-city"]').count() == 1

    form = journey_form(j.construction_name)
    await fill_application(page, form, keyboard=j.keyboard)
    await press(page, "申込確認へ", keyboard=j.keyboard)

    # Back at the form, now at step 申込確認, with the error summary and the same message at the field.
    match = re.search(r"/portal/applications/([0-9a-f-]{36})/confirm$", page.url)
    assert match, f"申込確認へ did not lead to the application's 申込確認: {page.url}"
    application_id = match.group(1)
    await check_page(page, f"{j.name}-application-errors")
    assert "申込確認" in await page.locator('[aria-current="step"]').inner_text()
    assert (await page.title()).startswith("エラー：")
    summary = page.locator("#error-summary")
    assert await summary.is_visible()
    assert (await summary.get_by_role("heading").first.inner_text()).strip() == "入力内容に誤りがあります"
    links = summary.locator("a")
    hrefs = [await links.nth(i).get_attribute("href") for i in range(await links.count())]
    texts = await links.all_inner_texts()
    assert "#advance_payment-guaranteed_amount" in hrefs, hrefs
    ceiling = texts[hrefs.index("#advance_payment-guaranteed_amount")]
    assert CEILING_MESSAGE.search(ceiling), ceiling
    # Every problem links to an element of the page.
    for href in hrefs:
        assert href.startswith("#") and await page.locator(href).count() == 1, f"{href} goes nowhere"
    # Only the one error: everything else of the sample is right.
    assert len(hrefs) == 1, texts
    inline = page.locator("#advance_payment-guaranteed_amount-error")
    assert CEILING_MESSAGE.search(await inline.inner_text())
    assert ceiling.strip() in (await inline.inner_text())
    amount = page.locator("#advance_payment-guaranteed_amount")
    assert await amount.get_attribute("aria-invalid") == "true"
    assert "advance_payment-guaranteed_amount-error" in (await amount.get_attribute("aria-describedby") or "")
    # What was typed is still there.
    assert re.sub(r"[,，]", "", await amount.input_value()) == "20500000"
    assert await page.locator("#contract-construction_name").input_value() == j.construction_name
    if j.keyboard:
        # The summary takes the focus, so a screen reader reads it first.
        assert await page.evaluate("document.activeElement && document.activeElement.id") == "error-summary"

    await fill_form(page, {"advance_payment.guaranteed_amount": "20000000"}, keyboard=j.keyboard)
    await press(page, "申込確認へ", keyboard=j.keyboard)
    assert page.url == f"{portal}applications/{application_id}/confirm", page.url
    return application_id


async def confirm_and_send(page: Page, portal: str, j: Journey, application_id: str, *, password: str | None,
                           first_time: bool) -> None:
    """申込確認: the summary with a 修正 link per section, the warning to acknowledge, the password; 送信."""
    await check_page(page, f"{j.name}-confirm" + ("" if first_time else "-sender"), printable=True)
    assert "申込確認" in await page.locator('[aria-current="step"]').inner_text()
    assert await page.locator("#error-summary").count() == 0
    main = await page.locator("main").inner_text()
    for shown in (j.construction_name, "川崎市長", "20,000,000", "5,000,000", "50,000,000"):
        assert shown in main, f"申込確認 does not show {shown}"
    if first_time:
        edits = page.get_by_role("link", name=re.compile(r"^修正"))
        sections = page.locator("main section h2")
        assert await edits.count() >= 4, "a 修正 link per section"
        for i in range(await edits.count()):
            href = await edits.nth(i).get_attribute("href")
            assert href and re.search(rf"/portal/applications/{application_id}/edit#\w+$", href), href
        assert await sections.count() >= await edits.count()
    assert WARNING_TEXT in main, "the 請負契約日 warning is not shown"
    acknowledge = page.locator("#acknowledge_warnings")
    assert await acknowledge.get_attribute("name") == "acknowledge_warnings"
    has_password = await page.locator('input[name="send_password"]').count() == 1
    assert has_password == (j.send_password is not None), "send_password input only where the company has one"

    if first_time:
        # 送信 without acknowledging the warning is refused, and says so.
        await press(page, SEND, keyboard=j.keyboard)
        await check_page(page, f"{j.name}-confirm-unacknowledged", status=422)
        links = page.locator("#error-summary a")
        assert await links.count() == 1 and await links.first.get_attribute("href") == "#acknowledge_warnings"
        assert await page.locator("#acknowledge_warnings-error").count() == 1

    await fill_form(page, {"acknowledge_warnings": True}, keyboard=j.keyboard)
    if password is not None:
        if not first_time:
            # A wrong password first: refused at the field.
            await fill_form(page, {"send_password": "wrong-password"}, keyboard=j.keyboard)
            await press(page, SEND, keyboard=j.keyboard)
            await check_page(page, f"{j.name}-confirm-wrong-password", status=422)
            assert await page.locator("#send_password-error").count() == 1
            assert await page.locator('#error-summary a[href="#send_password"]').count() == 1
            assert await page.locator("#send_password").input_value() == ""
            await fill_form(page, {"acknowledge_warnings": True}, keyboard=j.keyboard)
        await fill_form(page, {"send_password": password}, keyboard=j.keyboard)
    await press(page, SEND, keyboard=j.keyboard)
    assert page.url == f"{portal}applications/{application_id}/done", page.url


async def done_page(page: Page, j: Journey, application_id: str, *, waiting: bool) -> None:
    await check_page(page, f"{j.name}-" + ("awaiting" if waiting else "done"), printable=True)
    main = await page.locator("main").inner_text()
    assert application_id in main, "申込番号"
    assert j.construction_name in main
    assert "前払金保証" in main and "契約保証" in main
    if waiting:
        assert "送信待ち" in await page.title() and "送信待ち" in await page.locator("h1").inner_text()
        assert "送信完了" not in await page.locator("h1").inner_text()
        assert "申込確認" in await page.locator('[aria-current="step"]').inner_text()  # not sent yet
    else:
        assert "送信完了" in await page.locator('[aria-current="step"]').inner_text()
        assert "送信完了" in await page.locator("h1").inner_text()
        assert "このあとの流れ" in main


async def run_journey(j: Journey, *, open_page, portal, system, api, tmp_path) -> None:
    page = await open_page(js=not j.name.startswith("nojs"))
    await log_in(page, portal, j.preparer, keyboard=j.keyboard, check=f"{j.name}-login")
    await check_page(page, f"{j.name}-top")
    application_id = await file_and_correct(page, portal, j)

    if j.sender is None:
        await confirm_and_send(page, portal, j, application_id, password=None, first_time=True)
        await done_page(page, j, application_id, waiting=False)
        sender_page = page
    else:
        # The preparer has no password: 送信 parks it (送信待ち); the holder of the password sends it.
        await confirm_and_send(page, portal, j, application_id, password=None, first_time=True)
        await done_page(page, j, application_id, waiting=True)
        await log_out(page)
        sender_page = await open_page(js=not j.name.startswith("nojs"))
        await log_in(sender_page, portal, j.sender, keyboard=j.keyboard)
        await sender_page.goto(f"{portal}applications?tab=awaiting")
        await check_page(sender_page, f"{j.name}-awaiting-list")
        row = sender_page.locator("tbody tr", has_text=j.construction_name)
        assert await row.count() == 1, "the application is not in 送信待ち"
        await follow(sender_page, row.get_by_role("link", name=re.compile(r"^確認して送信")), keyboard=j.keyboard)
        assert sender_page.url == f"{portal}applications/{application_id}/confirm", sender_page.url
        await confirm_and_send(sender_page, portal, j, application_id, password=j.send_password, first_time=False)
        await done_page(sender_page, j, application_id, waiting=False)

    # The issue: both products appear in 保証契約一覧.
    rows = await wait_for_contracts(sender_page, portal, j.construction_name, 2)
    numbers = {row["保証種類"].split()[0]: row["保証契約番号"] for row in rows}
    advance_no = next(n for kind, n in numbers.items() if kind.startswith("前払金保証"))
    assert re.fullmatch(r"\d{5}-\d{5}M", advance_no), numbers
    assert any(re.fullmatch(r"\d{5}-\d{5}K", n) for n in numbers.values()), numbers
    # 手続状況 (送信済): the application with its contracts.
    await sender_page.goto(f"{portal}applications?tab=sent")
    await check_page(sender_page, f"{j.name}-sent-list")
    row = sender_page.locator("tbody tr", has_text=j.construction_name)
    assert await row.count() == 1
    for number in numbers.values():
        assert await row.get_by_role("link", name=number).get_attribute("href") == f"/portal/contracts/{number}"

    # The email links to the contract; opening it logged out leads to login, then to the contract.
    async def mail_for_contract():
        for mail in system.mails:
            body = mail.message.get_body(("plain",)).get_content()
            if advance_no in body:
                return body
        return None

    body = await eventually(mail_for_contract, timeout=60)
    link = f"{portal}contracts/{advance_no}"
    assert link in body, f"the email has no link {link}:\n{body}"
    reader = await open_page(js=not j.name.startswith("nojs"))
    await reader.goto(link)
    assert "/portal/login" in reader.url, reader.url
    await check_page(reader, f"{j.name}-login-from-email")
    await log_in_here(reader, j.sender or j.preparer, keyboard=j.keyboard)
    assert reader.url == link, reader.url

    # 電子保証概要: the key (then never again in a title or URL), and the JSON API agrees.
    key = (await reader.locator("#auth-key").inner_text()).strip()
    assert KEY_PATTERN.match(key), key
    pages.KNOWN_KEYS.add(key)
    await check_page(reader, f"{j.name}-contract", printable=True)
    client = await api(j.sender or j.preparer)
    detail = (await client.get(f"/contracts/{advance_no}")).json()
    assert detail["auth_key"] == key
    main = await reader.locator("main").inner_text()
    assert advance_no in main and j.construction_name in main and "20,000,000" in main

    # 印刷: the key notice PDF, with the number and the key.
    print_link = reader.get_by_role("link", name="印刷（認証キーのお知らせPDF）", exact=True)
    assert await print_link.get_attribute("href") == f"/portal/contracts/{advance_no}/key-notice.pdf"
    async with reader.expect_download() as download_info:
        await print_link.click()
    download = await download_info.value
    pdf = (tmp_path / "downloaded.pdf")
    await download.save_as(pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF"), data[:20]
    text = squashed(pdf_text(data, tmp_path / "notice.pdf"))
    assert advance_no in text and key in text, text[:500]

    # The certificate view (履歴情報 → 選択): the same content as the API's digest says.
    history = reader.locator("table", has_text="電子保証発行日時")
    assert await history.count() == 1, "電子保証情報（履歴情報） table"
    choose = history.get_by_role("link", name=re.compile(r"^選択"))
    assert await choose.count() == 1
    assert re.fullmatch(rf"/portal/contracts/{advance_no}/versions/\d+", await choose.get_attribute("href") or "")
    async with reader.expect_navigation():
        await choose.click()
    await check_page(reader, f"{j.name}-certificate", printable=True)
    shown_digest = (await reader.locator("#content-digest").inner_text()).strip()
    assert detail["content_digest"] and detail["content_digest"] in shown_digest, (shown_digest, detail["content_digest"])

    # 保証契約一覧: searched by part of 工事名 (the search form), then by number (ピンポイント検索).
    await reader.goto(f"{portal}contracts")
    await check_page(reader, f"{j.name}-contracts")
    part = j.construction_name[2:6]
    await fill_form(reader, {"construction_name": part}, keyboard=j.keyboard)
    await press(reader, "検索", keyboard=j.keyboard)
    assert parse_qs(urlsplit(reader.url).query).get("construction_name") == [part], reader.url
    await check_page(reader, f"{j.name}-contracts-by-name")
    headers = [h.strip() for h in await reader.locator("table thead th").all_inner_texts()]
    assert [h for h in headers if h in LIST_COLUMNS] == LIST_COLUMNS, headers
    found = await contract_rows(reader)
    assert {advance_no} <= {r["保証契約番号"] for r in found}
    assert all(part in r["発注者名・工事名"] for r in found), found
    detail_links = reader.locator("tbody tr", has_text=advance_no).get_by_role("link", name=re.compile(r"^詳細"))
    assert await detail_links.get_attribute("href") == f"/portal/contracts/{advance_no}"
    # Narrowed by 保証種類 and by the period of issue (today in Japan).
    today = datetime.now(JST).strftime("%Y%m%d")
    await fill_form(reader, {"product": "advance_payment", "period_from": today, "period_to": today}, keyboard=j.keyboard)
    await press(reader, "検索", keyboard=j.keyboard)
    await check_page(reader, f"{j.name}-contracts-by-product")
    found = await contract_rows(reader)
    assert [r["保証契約番号"] for r in found] == [advance_no], found
    assert all(r["保証種類"].startswith("前払金保証") for r in found)
    # A period that is no date: said at the field, nothing searched.
    await fill_form(reader, {"period_from": "令和九十九年"}, keyboard=j.keyboard)
    await press(reader, "検索", keyboard=j.keyboard)
    await check_page(reader, f"{j.name}-contracts-bad-period", status=422)
    assert await reader.locator('#error-summary a[href="#period_from"]').count() == 1
    assert await reader.locator("#period_from").get_attribute("aria-invalid") == "true"

    await fill_form(reader, {"contract_number": advance_no}, keyboard=j.keyboard)
    await press(reader, "番号で検索", keyboard=j.keyboard)
    await check_page(reader, f"{j.name}-contracts-by-number")
    found = await contract_rows(reader)
    assert [r["保証契約番号"] for r in found] == [advance_no], found

    # 電子保証（認証キー） tab, as the email's steps say.
    tab = reader.get_by_role("link", name=re.compile(r"電子保証"))
    async with reader.expect_navigation():
        await tab.first.click()
    assert "tab=electronic" in reader.url, reader.url
    await check_page(reader, f"{j.name}-contracts-electronic")
    assert advance_no in {r["保証契約番号"] for r in await contract_rows(reader)}

    await log_out(reader)
    await check_page(reader, f"{j.name}-logged-out")


async def log_in_here(page: Page, credentials: tuple[str, str], *, keyboard: bool) -> None:
    """Logs in on the login page the browser is at (keeping its `next`)."""
    if keyboard:
        await fill_form(page, {"login_id": credentials[0], "password": credentials[1]}, keyboard=True)
        await pages.key_press_button(page, page.get_by_role("button", name="ログイン", exact=True))
    else:
        await page.locator("#login_id").fill(credentials[0])
        await page.locator("#password").fill(credentials[1])
        async with page.expect_navigation():
            await page.get_by_role("button", name="ログイン", exact=True).click()


async def test_journey_with_the_keyboard_and_a_send_password(open_page, portal, system, accounts, api, tmp_path):
    """◆◆建設: clerk-a prepares with the keyboard only (送信待ち), boss-a sends with the 送信パスワード."""
    j = Journey(
        name="kbd",
        keyboard=True,
        preparer=accounts["clerk-a"],
        sender=accounts["boss-a"],
        send_password=accounts["send_password_a"],
        construction_name="河川維持（○○）工事",
    )
    await run_journey(j, open_page=open_page, portal=portal, system=system, api=api, tmp_path=tmp_path)


async def test_journey_without_javascript(open_page, portal, system, accounts, api, tmp_path):
    """▲▲工業 (no 送信パスワード): clerk-b files and sends in a browser with JavaScript disabled."""
    j = Journey(
        name="nojs",
        keyboard=False,
        preparer=accounts["clerk-b"],
        sender=None,
        send_password=None,
        construction_name="河川維持（△△）工事",
    )
    await run_journey(j, open_page=open_page, portal=portal, system=system, api=api, tmp_path=tmp_path)
