"""A 変更 seen from both sides in the browser (issue 13, seeds 002).

The orderer: 川崎市's staff open a 新規 with 保証契約番号 + 認証キー; the contractor files 変更-1 on Net Desk's
pages (保証金額 raised with 請負金額, 工期 and 保証期限 60 days later); the 保証確認台帳 marks the certificate
変更あり; opened with the same number and key, 変更-1 is shown with 変更-1 under the title and the history
lists 変更-1 above 新規, each with the 電子保証発行日時 the contractor sees; 選択 opens 新規 and back; printed,
変更-1 is one A4 page with the viewing record; once viewed, 変更あり is gone. Keyboard only.

The contractor: 電子保証概要's history offers both PDFs of every version, named by the version
(「保証証書PDF（新規）」); an older version's PDF is that version (pdftotext), from 電子保証概要 and from the
certificate view of that version; a malformed or unknown version is refused in Japanese.
check_page (axe-core, strict HTML, screenshots with SCREENSHOTS_DIR) on every page."""

import re
import subprocess
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Page

from tests.browser import pages
from tests.browser.netdesk import log_in as portal_log_in
from tests.browser.netdesk import press
from tests.browser.pages import check_page, fill_form, pdf_text, squashed, tab_to
from tests.browser.viewer import (
    NOT_ORIGINAL,
    history_rows,
    issue_for_contractor,
    log_in,
    look_up,
    register_rows,
    viewer_base,
)
from tests.conftest import eventually
from tests.e2e.test_amendment import submit_change

pytestmark = pytest.mark.integration

SEND = re.compile(r"^送信する")
CERTIFICATE_PATH = re.compile(r"/viewer/certificates/(\d{5}-\d{5}[A-Z])\?version=(\d+)$")
ISSUED_END = date.today() + timedelta(days=300)  # the sample form's 工期末 and 保証期限 (deploy/demo.py)
CHANGED_END = ISSUED_END + timedelta(days=60)


async def change_in_the_portal(page: Page, portal: str, credentials: tuple[str, str], number: str) -> None:
    """変更申込 on Net Desk's pages: 電子保証概要 → 変更を申し込む → 請負金額 60,000,000 円, 保証金額 24,000,000 円,
    工期末 and 保証期限 60 days later → 申込確認 → 送信."""
    await portal_log_in(page, portal, credentials, start=f"contracts/{number}")
    await press(page, "変更を申し込む")
    assert re.search(r"/portal/applications/[0-9a-f-]{36}/edit$", page.url), page.url
    await fill_form(page, {
        "contract.contract_amount": "60,000,000",
        "contract.period_end": CHANGED_END.strftime("%Y%m%d"),
        "advance_payment.guaranteed_amount": "24,000,000",
        "advance_payment.guarantee_expiry": CHANGED_END.strftime("%Y/%m/%d"),
    })
    await press(page, "申込確認へ")
    assert page.url.endswith("/confirm") and await page.locator("#error-summary").count() == 0, page.url
    if await page.locator("#acknowledge_warnings").count():
        await fill_form(page, {"acknowledge_warnings": True})
    await press(page, SEND)
    assert page.url.endswith("/done"), page.url


async def versions_arrived(client, number: str, labels: list[str]) -> dict:
    """電子保証概要 (JSON API) once its history lists exactly `labels` (oldest first): arrived on the platform."""

    async def arrived():
        detail = (await client.get(f"/contracts/{number}")).json()
        return detail if [h["label"] for h in detail.get("history", [])] == labels else None

    return await eventually(arrived, timeout=90, interval=0.5)


def at_certificate(page: Page, number: str) -> int:
    match = CERTIFICATE_PATH.search(page.url)
    assert match and match.group(1) == number, f"not at {number}'s certificate: {page.url}"
    return int(match.group(2))


async def key_follow(page: Page, link) -> None:
    """Tab to a link and press Enter (no mouse)."""
    await tab_to(page, link)
    async with page.expect_navigation():
        await page.keyboard.press("Enter")


def select_link(page: Page, label: str):
    """選択 of one version in the history (its accessible name says which)."""
    return page.get_by_role("link", name=re.compile(rf"^選択\s*（{re.escape(label)}）$"))


async def version_under_title(page: Page) -> str | None:
    """What the certificate shows under its title (変更-N), None for 新規."""
    mark = page.locator(".certificate p.version")
    return (await mark.inner_text()).strip() if await mark.count() else None


async def register_row(page: Page, number: str) -> dict[str, str]:
    rows = [r for r in await register_rows(page) if r["保証契約番号"] == number]
    assert len(rows) == 1, rows
    return rows[0]


async def test_the_orderer_sees_the_change_with_the_keyboard(open_page, portal, system, accounts, orderers, api, tmp_path):
    name = "版閲覧確認（一）工事"
    c = (await issue_for_contractor(system, accounts["clerk-b"], name))["advance_payment"]
    pages.KNOWN_KEYS.add(c.auth_key)
    base = viewer_base(system)
    contractor = await api(accounts["clerk-b"])

    # 川崎市 opens the 新規 with the number and key: in its register, nothing changed.
    orderer = await open_page(js=True)
    await log_in(orderer, base, orderers["k-yamada"], keyboard=True)
    await look_up(orderer, base, c.number, c.auth_key, keyboard=True)
    assert at_certificate(orderer, c.number) == 0
    await check_page(orderer, "amend-orderer-certificate-before")
    assert await version_under_title(orderer) is None
    assert [h["対象"] for h in await history_rows(orderer)] == ["新規"]
    await key_follow(orderer, orderer.get_by_role("link", name="保証確認台帳へ", exact=True))
    await check_page(orderer, "amend-orderer-register-before")
    row = await register_row(orderer, c.number)
    assert "新規" in row["最新の版"] and "変更あり" not in row["状況"], row

    # The contractor files 変更-1 on Net Desk's pages; issuance issues it with the same number and key.
    await change_in_the_portal(await open_page(js=True), portal, accounts["clerk-b"], c.number)
    detail = await versions_arrived(contractor, c.number, ["新規", "変更-1"])
    assert detail["auth_key"] == c.auth_key and detail["version_label"] == "変更-1"
    contractor_times = {h["label"]: h["published_at_jst"] for h in detail["history"]}

    # The register (filtered by 工事名, typed and sent with the keyboard): 変更あり, the latest is 変更-1.
    await orderer.goto(f"{base}register")
    await pages.key_type(orderer, "#construction_name", name)
    await pages.key_press_button(orderer, orderer.get_by_role("button", name="絞り込む", exact=True))
    await check_page(orderer, "amend-orderer-register-changed")
    row = await register_row(orderer, c.number)
    assert "変更あり" in row["状況"] and "変更-1" in row["最新の版"], row
    assert row["保証金額"].replace("円", "").strip() == "24,000,000", row

    # Opened again with the number and key: 変更-1, with 変更-1 under the title.
    await key_follow(orderer, orderer.get_by_role("link", name="電子証書の閲覧へ", exact=True))
    await look_up(orderer, base, c.number, c.auth_key, keyboard=True, go=False)
    assert at_certificate(orderer, c.number) == 1
    await check_page(orderer, "amend-orderer-certificate-change-1", printable=True)
    assert "（変更-1）" in await orderer.title() and c.auth_key not in await orderer.content()
    assert await version_under_title(orderer) == "変更-1"
    main = await orderer.locator("main").inner_text()
    assert "24,000,000" in main and name in main
    history = await history_rows(orderer)
    assert [h["対象"] for h in history] == ["変更-1", "新規"], history
    assert [h["No."] for h in history] == ["2", "1"], history
    assert {h["対象"]: h["電子保証発行日時"] for h in history} == contractor_times, "the two sides' 電子保証発行日時 differ"
    arrivals = {h["label"]: h["published_at"] for h in detail["history"]}  # to the second: both may share a minute
    assert arrivals["新規"] < arrivals["変更-1"], arrivals
    assert "表示中" in history[0]["電子保証"] and "選択" in history[1]["電子保証"], history
    digest_change = (await orderer.locator("#content-digest").inner_text()).strip()
    assert digest_change == detail["content_digest"]

    # Printed (check_page took the print-media screenshot): one A4 page, 変更-1 under the title, the viewing record.
    printed = tmp_path / "printed.pdf"
    printed.write_bytes(await orderer.pdf(format="A4", print_background=True))
    info = subprocess.run(["pdfinfo", str(printed)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    flat = squashed(pdf_text(printed.read_bytes(), tmp_path / "printed-copy.pdf"))
    assert "変更-1" in flat and squashed(NOT_ORIGINAL) in flat and "川崎市契約課山田" in flat, flat[:400]

    # 選択 opens 新規 (as issued: the contractor's first digest, no 変更 under the title), and back.
    await key_follow(orderer, select_link(orderer, "新規"))
    assert at_certificate(orderer, c.number) == 0
    await check_page(orderer, "amend-orderer-certificate-new", printable=True)
    assert "（新規）" in await orderer.title()
    assert await version_under_title(orderer) is None
    assert (await orderer.locator("#content-digest").inner_text()).strip() == c.content_digest
    assert "20,000,000" in await orderer.locator(".certificate").inner_text()
    history = await history_rows(orderer)
    assert [h["対象"] for h in history] == ["変更-1", "新規"] and "表示中" in history[1]["電子保証"], history
    await key_follow(orderer, select_link(orderer, "変更-1"))
    assert at_certificate(orderer, c.number) == 1
    assert await version_under_title(orderer) == "変更-1"
    assert (await orderer.locator("#content-digest").inner_text()).strip() == digest_change

    # Viewed: the register no longer says 変更あり.
    await key_follow(orderer, orderer.get_by_role("link", name="保証確認台帳へ", exact=True))
    await check_page(orderer, "amend-orderer-register-viewed")
    row = await register_row(orderer, c.number)
    assert "変更あり" not in row["状況"] and "変更-1" in row["最新の版"], row


async def download(page: Page, link, path) -> bytes:
    """Presses Enter on the link (keyboard) and keeps the download."""
    await tab_to(page, link)
    async with page.expect_download() as info:
        await page.keyboard.press("Enter")
    saved = await info.value
    await saved.save_as(path)
    return path.read_bytes()


async def test_the_contractor_downloads_both_pdfs_of_every_version(open_page, portal, system, accounts, api, tmp_path):
    name = "版別証書確認（一）工事"  # no 変更 in it: the notices are searched for 変更
    c = (await issue_for_contractor(system, accounts["clerk-b"], name))["advance_payment"]
    pages.KNOWN_KEYS.add(c.auth_key)
    contractor = await api(accounts["clerk-b"])
    await submit_change(contractor, c.number, contract_amount=60_000_000, guaranteed_amount=24_000_000, days=60)
    await versions_arrived(contractor, c.number, ["新規", "変更-1"])

    page = await open_page(js=True)
    await portal_log_in(page, portal, accounts["clerk-b"], keyboard=True, start=f"contracts/{c.number}")
    await check_page(page, "amend-pdf-contract", printable=True)
    history = page.locator("table", has_text="電子保証発行日時")
    expected = {
        f"保証証書PDF（{label}）": f"/portal/contracts/{c.number}/certificate.pdf?version={version}"
        for version, label in ((0, "新規"), (1, "変更-1"))
    } | {
        f"認証キーのお知らせPDF（{label}）": f"/portal/contracts/{c.number}/key-notice.pdf?version={version}"
        for version, label in ((0, "新規"), (1, "変更-1"))
    }
    for link_name, href in expected.items():
        link = history.get_by_role("link", name=link_name, exact=True)
        assert await link.count() == 1, link_name
        assert await link.get_attribute("href") == href, link_name
    # Each link sits in its own version's row.
    row_of_new = history.locator("tbody tr", has=page.locator("td", has_text=re.compile("^新規$")))
    assert await row_of_new.get_by_role("link", name="保証証書PDF（新規）", exact=True).count() == 1

    # 新規's certificate from the history: 20,000,000 円 and nothing under the title; 変更-1's says 変更-1.
    new_pdf = await download(page, history.get_by_role("link", name="保証証書PDF（新規）", exact=True), tmp_path / "new.pdf")
    assert new_pdf.startswith(b"%PDF")
    new_text = squashed(pdf_text(new_pdf, tmp_path / "new-copy.pdf"))
    assert "保証証書（前払金保証）" in new_text and c.number in new_text and "20,000,000" in new_text
    assert "変更-1" not in new_text and "24,000,000" not in new_text
    change_pdf = await download(page, history.get_by_role("link", name="保証証書PDF（変更-1）", exact=True), tmp_path / "c1.pdf")
    change_text = squashed(pdf_text(change_pdf, tmp_path / "c1-copy.pdf"))
    assert "保証証書（前払金保証）変更-1" in change_text and "24,000,000" in change_text
    # The key notices: the same key; only 変更-1's speaks of a change.
    notice_new = squashed(pdf_text(await download(
        page, history.get_by_role("link", name="認証キーのお知らせPDF（新規）", exact=True), tmp_path / "kn0.pdf"
    ), tmp_path / "kn0-copy.pdf"))
    notice_change = squashed(pdf_text(await download(
        page, history.get_by_role("link", name="認証キーのお知らせPDF（変更-1）", exact=True), tmp_path / "kn1.pdf"
    ), tmp_path / "kn1-copy.pdf"))
    assert c.auth_key in notice_new and c.auth_key in notice_change
    assert "変更" not in notice_new and "対象：変更-1（変更後の内容）" in notice_change

    # The certificate view of 新規 (選択): its own two PDFs, and the one it offers is 新規.
    await pages.key_press_button(page, history.get_by_role("link", name=re.compile(r"^選択\s*（新規の保証証書を表示）$")))
    assert urlsplit(page.url).path == f"/portal/contracts/{c.number}/versions/0", page.url
    await check_page(page, "amend-pdf-certificate-new", printable=True)
    assert await page.get_by_role("link", name="PDFをダウンロード", exact=True).count() == 0
    view_pdf = page.get_by_role("link", name="保証証書PDF（新規）", exact=True)
    assert await view_pdf.get_attribute("href") == expected["保証証書PDF（新規）"]
    assert await page.get_by_role("link", name="認証キーのお知らせPDF（新規）", exact=True).count() == 1
    again = await download(page, view_pdf, tmp_path / "view-new.pdf")
    assert "変更-1" not in squashed(pdf_text(again, tmp_path / "view-new-copy.pdf"))
    # The latest's view offers its own.
    await page.goto(f"{portal}contracts/{c.number}/versions/1")
    await check_page(page, "amend-pdf-certificate-change-1")
    assert await page.get_by_role("link", name="保証証書PDF（変更-1）", exact=True).get_attribute("href") == \
        expected["保証証書PDF（変更-1）"]

    # A version that is not a number, or below 0: said in Japanese; one that does not exist: the 404 page.
    for query in ("abc", "-1"):
        response = await page.goto(f"{portal}contracts/{c.number}/certificate.pdf?version={query}")
        assert response.status == 400, (query, response.status)
        await check_page(page, f"amend-pdf-version-{query}", status=400)
        assert "版（version）" in await page.locator("main").inner_text()
    response = await page.goto(f"{portal}contracts/{c.number}/key-notice.pdf?version=7")
    assert response.status == 404
    await check_page(page, "amend-pdf-version-unknown", status=404)
