"""The end of a guarantee in the browser (issue 13 item 5), both sides.

解約の申込 on Net Desk: 電子保証概要 → 「解約を申し込む」 → 解約申込の入力 (an error first: その他 without its words)
→ 申込確認 → 送信完了 → 電子保証概要 says 確認中; with the keyboard only (JavaScript on), and without JavaScript
for a company with a 送信パスワード (wrong, then right). Surety staff approve it with the issuance CLI → Net Desk
shows 解約 with its date (電子保証概要, 保証契約一覧, the certificate view) and the orderer, opening the
certificate with its number and key, sees 解約 above it and in the 保証確認台帳. 期間満了 (the event as the
scheduled job sends it) is shown the same way on both sides. check_page on every page (axe-core, strict HTML,
screenshots with SCREENSHOTS_DIR)."""

import re
import uuid
from datetime import date, datetime, timedelta, timezone

import aio_pika
import asyncpg
import pytest

from shared.events import CertificateExpired, CertificateExpiredV1, Product
from shared.japanese import JST, wareki
from tests.browser import pages
from tests.browser.netdesk import contract_rows, log_in as portal_log_in, press
from tests.browser.pages import check_page, fill_form, tab_to
from tests.browser.viewer import issue_for_contractor, log_in as viewer_log_in, look_up, register_rows, viewer_base
from tests.conftest import eventually
from tests.e2e.staff import staff_cli
from tests.samples import bus_message

pytestmark = pytest.mark.integration

STAFF = "業務部 佐藤"


async def follow(page, link, *, keyboard: bool) -> None:
    async with page.expect_navigation():
        if keyboard:
            await tab_to(page, link)
            await page.keyboard.press("Enter")
        else:
            await link.click()


async def approve(database_url: str, number: str) -> None:
    """Surety staff approve the request with the issuance CLI (the running issuance service relays the event)."""
    done = await staff_cli(database_url, "approve-cancellation", "--contract-number", number, "--by", STAFF)
    assert done.returncode == 0, done.stderr


async def wait_for_request(database_url: str, number: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        await eventually(lambda: conn.fetchval(
            "SELECT 1 FROM issuance.cancellation_requests WHERE contract_number = $1 AND state = 'pending'", number), timeout=60)
    finally:
        await conn.close()


async def request_in_the_portal(page, portal: str, number: str, *, keyboard: bool, name: str, send_password: str | None):
    """電子保証概要 → 解約を申し込む → (an error) → 申込確認 → 送信完了."""
    await check_page(page, f"{name}-contract")
    link = page.get_by_role("link", name="解約を申し込む", exact=True)
    assert await link.count() == 1 and "契約が解除された" in await page.locator("#cancellation-hint").inner_text()
    await follow(page, link, keyboard=keyboard)
    assert page.url == f"{portal}contracts/{number}/cancellation", page.url
    await check_page(page, f"{name}-form")
    assert "解約申込の入力（1/3）" in await page.title() and number in await page.title()
    assert "1ステップ目：解約申込の入力" in await page.locator(".step-nav").inner_text()
    labels = [t.strip() for t in await page.locator(".radios__label").all_inner_texts()]
    assert labels == ["契約解除（工事の中止）", "保証が不要になった", "その他"], labels

    # その他 without its words: the summary (focused with JavaScript) and the field say so.
    await fill_form(page, {"reason": "other"}, keyboard=keyboard)
    await press(page, "申込確認へ", keyboard=keyboard)
    await check_page(page, f"{name}-form-error", status=422)
    message = "解約の理由（詳細）を入力してください（解約の理由が「その他」の場合は必須です）"
    assert await page.locator("#error-summary").get_by_role("link", name=message).get_attribute("href") == "#reason_text"
    assert message in await page.locator("#reason_text-error").inner_text()
    assert await page.locator("#reason_text").get_attribute("aria-invalid") == "true"
    if keyboard:
        assert await page.evaluate("document.activeElement && document.activeElement.id") == "error-summary"
    assert await page.locator('input[name="reason"][value="other"]').is_checked()  # kept

    await fill_form(page, {"reason_text": "発注者の都合により工事が中止となったため"}, keyboard=keyboard)
    await press(page, "申込確認へ", keyboard=keyboard)
    await check_page(page, f"{name}-confirm")
    assert "2ステップ目：申込確認" in await page.locator(".step-nav").inner_text()
    facts = await page.locator("main").inner_text()
    assert "その他" in facts and "発注者の都合により工事が中止となったため" in facts and number in facts
    assert "解約すると元に戻せません" in facts
    if send_password is not None:
        await fill_form(page, {"send_password": "wrong-password"}, keyboard=keyboard)
        await press(page, "解約を申し込む", keyboard=keyboard)
        await check_page(page, f"{name}-confirm-wrong-password", status=403)
        assert "送信パスワードが正しくありません" in await page.locator("#send_password-error").inner_text()
        await fill_form(page, {"send_password": send_password}, keyboard=keyboard)
    else:
        assert await page.locator("#send_password").count() == 0
    await press(page, "解約を申し込む", keyboard=keyboard)
    assert page.url == f"{portal}contracts/{number}/cancellation/done", page.url
    await check_page(page, f"{name}-done", printable=True)
    assert "3ステップ目：送信完了" in await page.locator(".step-nav").inner_text()
    assert (await page.locator("#request-state").inner_text()).strip() == "確認中"

    await follow(page, page.locator("main dl").get_by_role("link", name=number, exact=True), keyboard=keyboard)
    await check_page(page, f"{name}-contract-pending")
    assert "解約の申込を受け付けました（確認中）" in await page.locator("#cancellation-request").inner_text()
    assert await page.get_by_role("link", name="解約を申し込む", exact=True).count() == 0


@pytest.mark.parametrize("keyboard", [True, False], ids=["kbd", "nojs"])
async def test_a_cancellation_from_request_to_both_sides(open_page, portal, system, accounts, common_env, keyboard):
    name = "cancel-kbd" if keyboard else "cancel-nojs"
    who = accounts["clerk-b"] if keyboard else accounts["boss-a"]
    issued = await issue_for_contractor(system, accounts["clerk-b"], "解約確認（一）工事") if keyboard else None
    if issued is None:  # ◆◆建設 (a 送信パスワード): its own contract, sent through the API with the password
        issued = await _issue_with_password(system, accounts)
    advance = issued["advance_payment"]
    pages.KNOWN_KEYS.add(advance.auth_key)
    page = await open_page(js=keyboard)
    await portal_log_in(page, portal, who, keyboard=keyboard, start=f"contracts/{advance.number}")
    await request_in_the_portal(page, portal, advance.number, keyboard=keyboard, name=name,
                                send_password=None if keyboard else accounts["send_password_a"])

    # The surety company approves: 解約 with its date on Net Desk.
    url = common_env["database_url"]
    await wait_for_request(url, advance.number)
    await approve(url, advance.number)
    label = f"解約（{wareki(datetime.now(JST).date())}）"

    async def cancelled():
        await page.goto(f"{portal}contracts/{advance.number}")
        return (await page.locator("#contract-status").inner_text()).strip() == label

    await eventually(cancelled, timeout=60, interval=0.5)
    await check_page(page, f"{name}-contract-cancelled", printable=True)
    banner = await page.locator("#guarantee-status").inner_text()
    assert label in banner and "解約されました" in banner and "発注者は引き続き保証証書を閲覧できます" in banner
    for gone in ("解約を申し込む", "変更を申し込む", "中間前払金を申し込む"):
        assert await page.get_by_role("button", name=gone).count() == 0 and await page.get_by_role("link", name=gone).count() == 0
    assert (await page.locator("#auth-key").inner_text()).strip() == advance.auth_key  # the key is still there
    await page.goto(f"{portal}contracts?tab=applications&contract_number={advance.number}")
    await check_page(page, f"{name}-contracts")
    [row] = await contract_rows(page)
    assert row["状況"] == label, row
    await page.goto(f"{portal}contracts/{advance.number}/versions/0")
    await check_page(page, f"{name}-certificate", printable=True)
    assert "解約されました" in await page.locator("#status-note").inner_text()

    # The orderer still opens it, and sees 解約 above the certificate and in the 保証確認台帳.
    if keyboard:
        orderer = await open_page(js=True)
        base = viewer_base(system)
        await viewer_log_in(orderer, base, accounts["kawasaki"], keyboard=True)
        await look_up(orderer, base, advance.number, advance.auth_key, keyboard=True)
        await check_page(orderer, f"{name}-viewer-certificate", printable=True)
        note = await orderer.locator("#status-note").inner_text()
        assert "解約されました" in note and wareki(datetime.now(JST).date()) in note
        assert advance.construction_name in await orderer.locator(".certificate").inner_text()
        await orderer.goto(f"{base}register")
        await check_page(orderer, f"{name}-viewer-register")
        [entry] = [r for r in await register_rows(orderer) if r["保証契約番号"] == advance.number]
        assert label in entry["状況"] and "期限間近" not in entry["状況"], entry


async def _issue_with_password(system, accounts) -> dict:
    """The sample form for ◆◆建設: clerk-a prepares (送信待ち), boss-a sends with the 送信パスワード."""
    import httpx

    from deploy.demo import sample_form
    from tests.browser.viewer import Issued

    async with httpx.AsyncClient(base_url=system.urls["application"], timeout=30) as client:
        token = (await client.post("/auth/login", json={"login_id": "boss-a", "password": accounts["boss-a"][1]})).json()
        client.headers["Authorization"] = f"Bearer {token['access_token']}"
        form = sample_form(date.today())
        form["contract"]["construction_name"] = "解約確認（二）工事"
        app_id = (await client.post("/applications", json=form)).json()["id"]
        assert (await client.post(f"/applications/{app_id}/confirm")).json()["ok"]
        sent = await client.post(f"/applications/{app_id}/submit",
                                 json={"acknowledge_warnings": True, "send_password": accounts["send_password_a"]})
        assert sent.status_code == 202, sent.text

        async def ready():
            app = (await client.get(f"/applications/{app_id}")).json()
            if app["status"] != "issued" or len(app["certificates"]) != 2:
                return None
            number = next(c["contract_number"] for c in app["certificates"] if c["product"] == "advance_payment")
            detail = (await client.get(f"/contracts/{number}")).json()
            return detail if detail.get("history") else None

        detail = await eventually(ready, timeout=90, interval=0.3)
        return {"advance_payment": Issued(detail["contract_number"], detail["auth_key"], detail["content_digest"],
                                          "解約確認（二）工事", "advance_payment")}


async def test_an_expired_guarantee_on_both_sides(open_page, portal, system, accounts, common_env):
    issued = await issue_for_contractor(system, accounts["clerk-b"], "期間満了確認（三）工事")
    advance = issued["advance_payment"]
    pages.KNOWN_KEYS.add(advance.auth_key)
    # 期間満了 as the scheduled job announces it (the job and its rule: tests/integration/issuance/test_status.py).
    conn = await asyncpg.connect(common_env["database_url"])
    try:
        row = await conn.fetchrow("SELECT application_id, company_id FROM application.contracts WHERE contract_number = $1",
                                  advance.number)
    finally:
        await conn.close()
    expiry = date.today() + timedelta(days=300)
    data = CertificateExpiredV1(
        contract_number=advance.number, product=Product.ADVANCE_PAYMENT, application_id=row["application_id"],
        contractor_company_id=row["company_id"], electronic=True, guarantee_expiry=expiry,
        expired_on=expiry + timedelta(days=1), expired_at=datetime.now(timezone.utc),
    )
    event = CertificateExpired.wrap(data, source="/esurety/issuance", subject=advance.number, correlation_id=str(uuid.uuid4()))
    connection = await aio_pika.connect(common_env["amqp_url"])
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(f"{common_env['bus_namespace']}.events")
        await exchange.publish(bus_message(event), routing_key=event.type)
    label = f"期間満了（{wareki(expiry + timedelta(days=1))}）"

    page = await open_page(js=True)
    await portal_log_in(page, portal, accounts["clerk-b"], keyboard=True)

    async def expired():
        await page.goto(f"{portal}contracts?tab=electronic&contract_number={advance.number}")
        rows = await contract_rows(page)
        return rows and rows[0]["状況"] == label

    await eventually(expired, timeout=60, interval=0.5)
    await check_page(page, "expired-contracts")
    await follow(page, page.get_by_role("link", name=re.compile(f"^詳細.*{advance.number}")), keyboard=True)
    await check_page(page, "expired-contract", printable=True)
    banner = await page.locator("#guarantee-status").inner_text()
    assert label in banner and f"保証期限（{wareki(expiry)}）を過ぎたため" in banner
    assert await page.get_by_role("button", name="変更を申し込む").count() == 0
    assert await page.get_by_role("link", name="解約を申し込む").count() == 0

    orderer = await open_page(js=True)
    base = viewer_base(system)
    await viewer_log_in(orderer, base, accounts["kawasaki"], keyboard=True)
    await look_up(orderer, base, advance.number, advance.auth_key, keyboard=True)

    async def noted():
        if await orderer.locator("#status-note").count():
            return True
        await orderer.reload()
        return False

    await eventually(noted, timeout=30, interval=0.5)
    await check_page(orderer, "expired-viewer-certificate", printable=True)
    assert "期間満了となりました" in await orderer.locator("#status-note").inner_text()
    await orderer.goto(f"{base}register?status=expired")
    await check_page(orderer, "expired-viewer-register")
    [entry] = [r for r in await register_rows(orderer) if r["保証契約番号"] == advance.number]
    assert label in entry["状況"], entry
