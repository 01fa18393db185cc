"""The orderer's pages (保証確認サービス, /viewer on the platform service): 川崎市's staff open the
certificate the contractor was issued with its 保証契約番号 and 認証キー (pasted the way people paste:
full-width, with spaces, with a ー for the hyphen), see the same content digest as the contractor, print
it as a one-page viewing record, download its PDF and find it again in the 保証確認台帳 (and its CSV)
without the key; a later version marks it 変更あり; the same without JavaScript; another orderer's user
with the right key is told exactly what a wrong key is told; many wrong keys from many accounts throttle
the number for everyone until the window has passed; the register's filters; what is not the
organisation's is the same 404 page; a form without its CSRF token is refused. check_page on every page
(SCREENSHOTS_DIR: `make screenshots`).
"""

import asyncio
import csv
import io
import re
import subprocess
from urllib.parse import parse_qs, urlsplit

import asyncpg
import pytest
from playwright.async_api import Page

from tests.browser import pages
from tests.browser.pages import check_page, pdf_text, squashed, tab_to
from tests.browser.viewer import (
    LOGIN_FAILED,
    LOOKUP_FAILED,
    NOT_FOR_CONTRACTORS,
    NOT_ORIGINAL,
    REGISTER_COLUMNS,
    THROTTLED,
    Issued,
    ViewerClient,
    full_width,
    history_rows,
    issue_for_contractor,
    log_in,
    look_up,
    publish_new_version,
    register_rows,
    viewer_base,
)

pytestmark = pytest.mark.integration

CONSTRUCTIONS = {
    "journey": "閲覧確認（一）工事",
    "version": "閲覧確認（二）工事",
    "nojs": "閲覧確認（三）工事",
    "throttle": "閲覧確認（四）工事",
    "filters": "閲覧確認（五）工事",
    "foreign": "閲覧確認（六）工事",
}
CERTIFICATE_PATH = re.compile(r"/viewer/certificates/(\d{5}-\d{5}[A-Z])\?version=(\d+)$")


@pytest.fixture(scope="module")
async def issued(system, accounts) -> dict[str, dict[str, Issued]]:
    """Every certificate this module opens, issued for ▲▲工業 (no 送信パスワード): name → product → Issued."""
    filed = await asyncio.gather(
        *(issue_for_contractor(system, accounts["clerk-b"], name) for name in CONSTRUCTIONS.values())
    )
    found = dict(zip(CONSTRUCTIONS, filed))
    for certificates in found.values():
        for certificate in certificates.values():
            pages.KNOWN_KEYS.add(certificate.auth_key)
    return found


@pytest.fixture
def base(system) -> str:
    return viewer_base(system)


@pytest.fixture
async def clients(base):
    made = []

    async def logged_in(credentials):
        client = ViewerClient(base)
        made.append(client)
        return await client.log_in(credentials)

    yield logged_in
    for client in made:
        await client.aclose()


def at_certificate(page: Page, number: str, version: int | None = None) -> int:
    match = CERTIFICATE_PATH.search(page.url)
    assert match and match.group(1) == number, f"not at {number}'s certificate: {page.url}"
    if version is not None:
        assert int(match.group(2)) == version, page.url
    return int(match.group(2))


async def follow(page: Page, link, *, keyboard: bool = False) -> None:
    async with page.expect_navigation():
        if keyboard:
            await tab_to(page, link)
            await page.keyboard.press("Enter")
        else:
            await link.click()


async def lookup_refused(page: Page, name: str, *, status: int = 422) -> str:
    """The lookup page again, refused: its main text (to compare two refusals)."""
    assert urlsplit(page.url).path == "/viewer/lookup", page.url
    await check_page(page, name, status=status)
    assert (await page.title()).startswith("エラー：")
    assert await page.locator("#error-summary").count() == 1
    return await page.locator("main").inner_text()


async def certificate_page_checks(page: Page, c: Issued, *, viewer: str, name: str, js: bool) -> None:
    """The certificate as issued: its content, the contractor's digest, the history, the viewing record."""
    await check_page(page, name, printable=True)
    main = await page.locator("main").inner_text()
    assert c.number in main and c.construction_name in main, main[:400]
    assert "川崎市長" in main
    digest = (await page.locator("#content-digest").inner_text()).strip()
    assert digest == c.content_digest, (digest, c.content_digest)
    assert c.number in await page.title() and c.auth_key not in await page.content()
    history = await history_rows(page)
    assert history and history[-1]["対象"] == "新規", history
    pdf_link = page.get_by_role("link", name="PDFをダウンロード", exact=True)
    version = at_certificate(page, c.number)
    assert await pdf_link.get_attribute("href") == f"/viewer/certificates/{c.number}/pdf?version={version}"
    print_button = page.get_by_role("button", name="印刷", exact=True)
    assert await print_button.is_visible() == js, "印刷 (window.print) only where scripts run"
    record = page.locator(".viewing-record")
    assert await record.count() == 1
    text = await record.inner_text()
    assert re.search(r"閲覧記録：令和\d+年\d+月\d+日 \d{2}:\d{2}　閲覧者：" + re.escape(viewer), text), text
    assert NOT_ORIGINAL in text
    # Printed only: the screen shows the certificate, the record is for the paper.
    assert not await record.is_visible(), "the viewing record is print-only, yet visible on screen"
    await page.emulate_media(media="print")
    try:
        assert await record.is_visible(), "the viewing record is not printed"
    finally:
        await page.emulate_media(media="null")


async def download(page: Page, link, path) -> bytes:
    async with page.expect_download() as info:
        await link.click()
    saved = await info.value
    await saved.save_as(path)
    return path.read_bytes()


# ---------------------------------------------------------------------------------------------------


async def test_the_orderer_opens_the_certificate_with_the_keyboard(open_page, base, system, orderers, issued, tmp_path):
    c = issued["journey"]["advance_payment"]
    page = await open_page(js=True)
    # Behind login: the register leads to the login page, which says whom the service is for.
    await page.goto(f"{base}register")
    assert re.search(r"/viewer/login\?", page.url), page.url
    await check_page(page, "viewer-login")
    assert NOT_FOR_CONTRACTORS in await page.locator("main").inner_text()
    # A wrong password: one message.
    await pages.key_type(page, "#login_id", "k-yamada")
    await pages.key_type(page, "#password", "wrong-password")
    await pages.key_press_button(page, page.get_by_role("button", name="ログイン", exact=True))
    await check_page(page, "viewer-login-failed", status=401)
    assert LOGIN_FAILED in await page.locator("#error-summary").inner_text()
    # Right: back at the page it asked for (the register, still empty of this certificate).
    await pages.key_type(page, "#login_id", orderers["k-yamada"][0])
    await pages.key_type(page, "#password", orderers["k-yamada"][1])
    await pages.key_press_button(page, page.get_by_role("button", name="ログイン", exact=True))
    assert urlsplit(page.url).path == "/viewer/register", page.url
    await check_page(page, "viewer-register-before")
    assert c.number not in await page.locator("main").inner_text()

    await page.goto(base)
    await check_page(page, "viewer-lookup")
    header = await page.locator("header").inner_text()
    assert "川崎市" in header and "契約課 山田" in header, header
    for field in ("#contract_number", "#auth_key"):
        family = await page.locator(field).evaluate("(el) => getComputedStyle(el).fontFamily")
        assert "mono" in family.lower(), f"{field} is not monospace: {family}"
    # Pasted as people paste: full-width, spaces around, ー for the hyphen; the key with a trailing space.
    pasted = "　" + full_width(c.number, "ー") + " "
    await look_up(page, base, pasted, c.auth_key + " ", keyboard=True, go=False)
    assert at_certificate(page, c.number) == 0
    await certificate_page_checks(page, c, viewer="川崎市　契約課 山田", name="viewer-certificate", js=True)

    # 印刷: one A4 page with the viewing record.
    await page.emulate_media(media="print")
    try:
        await pages.screenshot(page, "viewer-viewing-record-print")
    finally:
        await page.emulate_media(media="null")
    printed = tmp_path / "printed.pdf"
    printed.write_bytes(await page.pdf(format="A4", print_background=True))
    info = subprocess.run(["pdfinfo", str(printed)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    text = pdf_text(printed.read_bytes(), tmp_path / "printed-copy.pdf")
    flat = squashed(text)
    assert re.search(r"閲覧記録：令和\d+年\d+月\d+日", flat), text
    assert "川崎市契約課山田" in flat, text
    assert squashed(NOT_ORIGINAL) in flat, text
    assert c.number in flat

    # The PDF of the certificate.
    data = await download(page, page.get_by_role("link", name="PDFをダウンロード", exact=True), tmp_path / "c.pdf")
    assert data.startswith(b"%PDF"), data[:20]
    assert c.number in squashed(pdf_text(data, tmp_path / "c-copy.pdf"))

    # The register: the certificate, once; its CSV: the header and one row per certificate listed.
    await follow(page, page.get_by_role("link", name="保証確認台帳へ", exact=True), keyboard=True)
    assert urlsplit(page.url).path == "/viewer/register", page.url
    await check_page(page, "viewer-register")
    headers = [h.strip() for h in await page.locator("table thead th").all_inner_texts()]
    assert headers == REGISTER_COLUMNS, headers
    rows = await register_rows(page)
    mine = [r for r in rows if r["保証契約番号"] == c.number]
    assert len(mine) == 1, rows
    row = mine[0]
    assert c.construction_name in row["工事名・受注者"] and "▲▲工業" in row["工事名・受注者"], row
    assert row["保証種類"].startswith("前払金保証"), row
    assert row["保証金額"].replace("円", "").strip() == "20,000,000", row
    assert "新規" in row["最新の版"], row
    assert "初回" in row["閲覧"] and "最終" in row["閲覧"] and "契約課 山田" in row["閲覧"], row
    assert "変更あり" not in row["状況"], row
    assert row["確認"] == "未確認", row
    count = (await page.locator(".result-count").inner_text()).strip()
    assert count == f"{len(rows)}件", (count, len(rows))

    csv_link = page.get_by_role("link", name="CSVでダウンロード", exact=True)
    raw = await download(page, csv_link, tmp_path / "register.csv")
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:10]
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][0] == "保証契約番号" and "工事名" in table[0], table[0]
    body = table[1:]
    assert sorted(r[0] for r in body) == sorted(r["保証契約番号"] for r in rows), (body, rows)
    line = next(r for r in body if r[0] == c.number)
    assert line[table[0].index("工事名")] == c.construction_name, line

    # Re-opened from the register, no key asked.
    link = page.locator("tbody tr", has_text=c.number).get_by_role("link", name=c.number, exact=True)
    assert await link.get_attribute("href") == f"/viewer/certificates/{c.number}"
    await follow(page, link, keyboard=True)
    assert urlsplit(page.url).path == f"/viewer/certificates/{c.number}", page.url
    await check_page(page, "viewer-certificate-from-register", printable=True)
    assert (await page.locator("#content-digest").inner_text()).strip() == c.content_digest

    async with page.expect_navigation():
        await page.get_by_role("button", name="ログアウト", exact=True).first.click()
    assert "/viewer/login" in page.url and "reason=logout" in page.url, page.url
    await check_page(page, "viewer-logged-out")
    await page.goto(f"{base}certificates/{c.number}")
    assert "/viewer/login" in page.url, "the certificate is behind login"


async def test_a_second_version_marks_the_register_changed(open_page, base, system, common_env, orderers, issued):
    c = issued["version"]["advance_payment"]
    page = await open_page(js=True)
    await log_in(page, base, orderers["k-yamada"])
    await look_up(page, base, c.number.replace("-", "−"), c.auth_key)
    assert at_certificate(page, c.number) == 0
    await page.goto(f"{base}register?construction_name={c.construction_name}")
    assert [r["状況"] for r in await register_rows(page)] == [""], "新規 only: nothing changed yet"

    await publish_new_version(system, common_env, c.number, guaranteed_amount=22_000_000)
    await page.goto(f"{base}register")
    await check_page(page, "viewer-register-changed")
    row = page.locator("tbody tr", has_text=c.number)
    assert await row.count() == 1
    cells = dict(zip(REGISTER_COLUMNS, [t.strip() for t in await row.locator("td").all_inner_texts()]))
    assert "変更あり" in cells["状況"], cells
    assert "変更-1" in cells["最新の版"], cells
    assert cells["保証金額"].replace("円", "").strip() == "22,000,000", cells

    await follow(page, row.get_by_role("link", name=c.number, exact=True))
    await check_page(page, "viewer-certificate-version-1", printable=True)
    assert "22,000,000" in await page.locator("main").inner_text()
    history = await history_rows(page)
    assert [h["対象"] for h in history] == ["変更-1", "新規"], history
    assert "表示中" in history[0]["電子保証"] and "選択" in history[1]["電子保証"], history
    digest_v1 = (await page.locator("#content-digest").inner_text()).strip()
    assert digest_v1 != c.content_digest

    new = page.locator("table", has_text="電子保証発行日時").get_by_role("link", name=re.compile(r"^選択"))
    assert await new.count() == 1
    await follow(page, new)
    assert at_certificate(page, c.number) == 0
    await check_page(page, "viewer-certificate-version-0")
    assert (await page.locator("#content-digest").inner_text()).strip() == c.content_digest
    assert "20,000,000" in await page.locator("main").inner_text()
    again = page.locator("table", has_text="電子保証発行日時").get_by_role("link", name=re.compile(r"^選択"))
    await follow(page, again)
    assert at_certificate(page, c.number) == 1
    assert (await page.locator("#content-digest").inner_text()).strip() == digest_v1
    # Its PDF of each version.
    for version in (0, 1):
        response = await page.request.get(f"{base}certificates/{c.number}/pdf?version={version}")
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    # Opened with the key again: the latest version.
    await look_up(page, base, c.number, c.auth_key)
    assert at_certificate(page, c.number) == 1


async def test_the_orderer_without_javascript(open_page, base, orderers, issued, tmp_path):
    c = issued["nojs"]["advance_payment"]
    page = await open_page(js=False)
    await log_in(page, base, orderers["k-suzuki"], check="nojs-viewer-login")
    await check_page(page, "nojs-viewer-lookup")
    # Blank fields, then a malformed number: said at the fields.
    await look_up(page, base, "", "", go=False)
    await lookup_refused(page, "nojs-viewer-lookup-blank")
    assert await page.locator('#error-summary a[href="#contract_number"]').count() == 1
    assert await page.locator('#error-summary a[href="#auth_key"]').count() == 1
    await look_up(page, base, "35026-12M", c.auth_key, go=False)
    await lookup_refused(page, "nojs-viewer-lookup-format")
    assert await page.locator("#contract_number-error").count() == 1
    assert await page.locator("#contract_number").get_attribute("aria-invalid") == "true"
    # A wrong key (the right one in the wrong case: case matters).
    await look_up(page, base, c.number, c.auth_key.swapcase(), go=False)
    await lookup_refused(page, "nojs-viewer-lookup-wrong-key")
    assert LOOKUP_FAILED in await page.locator("#auth_key-error").inner_text()
    assert await page.locator("#auth_key").input_value() == "", "the key is never echoed"

    await look_up(page, base, f" {c.number} ", f" {c.auth_key}", go=False)
    at_certificate(page, c.number, 0)
    await certificate_page_checks(page, c, viewer="川崎市　工事課 鈴木", name="nojs-viewer-certificate", js=False)
    data = await download(page, page.get_by_role("link", name="PDFをダウンロード", exact=True), tmp_path / "n.pdf")
    assert data.startswith(b"%PDF") and c.number in squashed(pdf_text(data, tmp_path / "n-copy.pdf"))

    await follow(page, page.get_by_role("link", name="保証確認台帳へ", exact=True))
    await check_page(page, "nojs-viewer-register")
    rows = [r for r in await register_rows(page) if r["保証契約番号"] == c.number]
    assert len(rows) == 1 and "工事課 鈴木" in rows[0]["閲覧"], rows
    await follow(page, page.locator("tbody tr", has_text=c.number).get_by_role("link", name=c.number, exact=True))
    await check_page(page, "nojs-viewer-certificate-from-register")
    assert (await page.locator("#content-digest").inner_text()).strip() == c.content_digest


async def test_another_orderer_is_told_what_a_wrong_key_is_told_and_many_wrong_keys_throttle_the_number(
    open_page, base, common_env, orderers, issued, clients
):
    c = issued["throttle"]["advance_payment"]
    other = issued["throttle"]["contract_guarantee"]
    # 三島市's user with the right number and key; then a wrong key: one and the same answer.
    mishima = await open_page()
    await log_in(mishima, base, orderers["m-ito"])
    await look_up(mishima, base, other.number, other.auth_key)
    foreign = await lookup_refused(mishima, "viewer-lookup-other-orderer")
    assert LOOKUP_FAILED in await mishima.locator("#auth_key-error").inner_text()
    await look_up(mishima, base, other.number, "Wrongkey2345")
    assert await lookup_refused(mishima, "viewer-lookup-wrong-key") == foreign
    await look_up(mishima, base, "99999-99999M", other.auth_key)
    assert await lookup_refused(mishima, "viewer-lookup-unknown-number") == foreign

    # 30 wrong keys for one number from 6 users of 3 organisations, some in the browser.
    guessers = ["k-sato", "m-kato", "y-mori", "k-tanaka", "m-ito", "y-ueda"]
    browsers = {}
    for login_id in guessers:
        browsers[login_id] = mishima if login_id == "m-ito" else await open_page()
        if login_id != "m-ito":
            await log_in(browsers[login_id], base, orderers[login_id])
    http = {login_id: await clients(orderers[login_id]) for login_id in guessers}
    statuses = []
    for attempt in range(30):
        login_id = guessers[attempt % len(guessers)]
        guess = f"Guess{attempt:02d}abcdE"[:12]
        if attempt < 6 or attempt in (10, 29):
            page = browsers[login_id]
            await look_up(page, base, c.number, guess)
            status = (await pages.page_html(page))[0]
            await check_page(page, f"viewer-lookup-guess-{attempt}", status=status)
        else:
            status = (await http[login_id].look_up(c.number, guess)).status_code
        statuses.append(status)
    # The number takes 10 failures in the window (whoever tries); then it is refused to everyone.
    assert statuses == [422] * 10 + [429] * 20, statuses
    throttled_page = browsers[guessers[29 % 6]]
    message = await throttled_page.locator("#contract_number-error").inner_text()
    assert THROTTLED.search(message), message

    # Even 川崎市 with the right key waits, told how long.
    rightful = await open_page()
    await log_in(rightful, base, orderers["k-yamada"])
    await look_up(rightful, base, c.number, c.auth_key)
    await lookup_refused(rightful, "viewer-lookup-throttled", status=429)
    message = await rightful.locator("#contract_number-error").inner_text()
    wait = THROTTLED.search(message)
    assert wait, message
    seconds = int(wait.group(1)) * (60 if wait.group(2) == "分" else 1)
    assert 0 < seconds <= 15 * 60, message
    response = await http["k-sato"].look_up(c.number, c.auth_key)
    assert response.status_code == 429 and int(response.headers["retry-after"]) > 0
    # Another number of 川崎市 is not held up by it.
    await look_up(rightful, base, other.number, other.auth_key)
    at_certificate(rightful, other.number, 0)

    # Once the failures have left the window (aged in the database, not waited for): the right key works.
    conn = await asyncpg.connect(common_env["database_url"])
    try:
        await conn.execute(
            "UPDATE platform.lookup_failures SET failed_at = failed_at - interval '16 minutes' WHERE contract_number = $1",
            c.number,
        )
    finally:
        await conn.close()
    await look_up(rightful, base, full_width(c.number, "－"), c.auth_key)
    at_certificate(rightful, c.number, 0)
    await check_page(rightful, "viewer-certificate-after-throttle")


async def test_register_filters_and_a_bad_date(open_page, base, system, common_env, orderers, issued):
    advance, guarantee = issued["filters"]["advance_payment"], issued["filters"]["contract_guarantee"]
    page = await open_page()
    await log_in(page, base, orderers["k-yamada"])
    for c in (advance, guarantee):
        await look_up(page, base, c.number, c.auth_key)
        at_certificate(page, c.number, 0)
    await publish_new_version(system, common_env, advance.number, guaranteed_amount=21_000_000)

    await page.goto(f"{base}register")
    await check_page(page, "viewer-register-all")
    part = advance.construction_name[3:6]  # （五）
    await page.locator("#construction_name").fill(part)
    async with page.expect_navigation():
        await page.get_by_role("button", name="絞り込む", exact=True).click()
    assert parse_qs(urlsplit(page.url).query).get("construction_name") == [part], page.url
    await check_page(page, "viewer-register-by-name")
    rows = await register_rows(page)
    assert sorted(r["保証契約番号"] for r in rows) == sorted([advance.number, guarantee.number]), rows
    assert await page.locator("#construction_name").input_value() == part

    await page.locator("#status").select_option("changed")
    async with page.expect_navigation():
        await page.get_by_role("button", name="絞り込む", exact=True).click()
    await check_page(page, "viewer-register-changed-only")
    rows = await register_rows(page)
    assert [r["保証契約番号"] for r in rows] == [advance.number], rows
    assert "変更あり" in rows[0]["状況"]
    # The CSV follows the filter.
    response = await page.request.get(f"{base}register.csv?construction_name={part}&status=changed")
    lines = list(csv.reader(io.StringIO((await response.body()).decode("utf-8-sig"))))
    assert [r[0] for r in lines[1:]] == [advance.number], lines

    await page.locator("#expiry_until").fill("令和九十九年")
    async with page.expect_navigation():
        await page.get_by_role("button", name="絞り込む", exact=True).click()
    await check_page(page, "viewer-register-bad-date", status=422)
    assert (await page.title()).startswith("エラー：")
    assert await page.locator('#error-summary a[href="#expiry_until"]').count() == 1
    assert await page.locator("#expiry_until").get_attribute("aria-invalid") == "true"
    assert await page.locator("#expiry_until-error").count() == 1
    assert await page.locator("#expiry_until").input_value() == "令和九十九年"
    # A date that is one: the 保証期限 are 300 days away (sample form), so a date before them lists none.
    await page.goto(f"{base}register?construction_name={part}&expiry_until=2024/03/31")
    await check_page(page, "viewer-register-until-2024")
    assert await register_rows(page) == []


async def not_found(page: Page, url: str, name: str) -> tuple[str, str]:
    response = await page.goto(url)
    assert response.status == 404, f"{url}: {response.status}"
    await check_page(page, name, status=404)
    return await page.title(), await page.locator("main").inner_text()


async def test_what_is_not_the_organisations_is_the_same_404_and_forms_need_their_token(open_page, base, orderers, issued):
    c = issued["foreign"]["advance_payment"]
    never_opened = issued["foreign"]["contract_guarantee"]
    kawasaki = await open_page()
    await log_in(kawasaki, base, orderers["k-tanaka"])
    await look_up(kawasaki, base, c.number, c.auth_key)
    at_certificate(kawasaki, c.number, 0)

    reference = await not_found(kawasaki, f"{base}certificates/99999-99999M", "viewer-not-found")
    assert await not_found(kawasaki, f"{base}certificates/{never_opened.number}", "viewer-not-found-unopened") == reference
    assert await not_found(kawasaki, f"{base}certificates/{never_opened.number}?version=0", "viewer-not-found-v0") == reference
    assert await not_found(kawasaki, f"{base}certificates/not-a-number", "viewer-not-found-malformed") == reference
    assert await not_found(kawasaki, f"{base}certificates/{c.number}?version=7", "viewer-not-found-version") == reference
    assert await not_found(kawasaki, f"{base}no-such-page", "viewer-not-found-page") == reference
    response = await kawasaki.request.get(f"{base}certificates/{never_opened.number}/pdf?version=0")
    assert response.status == 404 and "application/pdf" not in response.headers.get("content-type", "")

    yokohama = await open_page()
    await log_in(yokohama, base, orderers["y-mori"])
    assert await not_found(yokohama, f"{base}certificates/{c.number}", "viewer-not-found-other-org") == reference
    assert await not_found(yokohama, f"{base}certificates/{c.number}?version=0", "viewer-not-found-other-org-v0") == reference
    assert c.number not in reference[1] and c.construction_name not in reference[1]
    response = await yokohama.request.get(f"{base}certificates/{c.number}/pdf?version=0")
    assert response.status == 404 and "application/pdf" not in response.headers.get("content-type", "")
    await yokohama.goto(f"{base}register")
    assert c.number not in await yokohama.locator("main").inner_text()
    csv_text = (await (await yokohama.request.get(f"{base}register.csv")).body()).decode("utf-8-sig")
    assert c.number not in csv_text

    # A form without its token: refused, and nothing happened (still logged in; no lookup made).
    await kawasaki.goto(base)
    await check_page(kawasaki, "viewer-lookup-before-csrf")
    removed = await kawasaki.evaluate(
        "() => { const inputs = document.querySelectorAll('header form input[name=csrftoken]');"
        " inputs.forEach((i) => i.remove()); return inputs.length; }"
    )
    assert removed == 1
    async with kawasaki.expect_navigation():
        await kawasaki.get_by_role("button", name="ログアウト", exact=True).first.click()
    await check_page(kawasaki, "viewer-csrf-refused", status=403)
    await kawasaki.goto(base)
    assert urlsplit(kawasaki.url).path == "/viewer/", kawasaki.url
    for token in (None, "forged-token"):
        form = {"contract_number": never_opened.number, "auth_key": never_opened.auth_key}
        if token:
            form["csrftoken"] = token
        response = await kawasaki.request.post(f"{base}lookup", form=form, max_redirects=0)
        assert response.status == 403, (token, response.status)
    await kawasaki.goto(f"{base}register")
    assert never_opened.number not in await kawasaki.locator("main").inner_text()
    stranger = await open_page()
    response = await stranger.request.post(
        f"{base}login", form={"login_id": orderers["k-tanaka"][0], "password": orderers["k-tanaka"][1]}, max_redirects=0
    )
    assert response.status == 403
    assert "viewer_session" not in {cookie["name"] for cookie in await stranger.context.cookies()}
