"""What a page must refuse: a form sent without its CSRF token (403), and another company's contract or
application, which answers exactly like one that does not exist (the same 404 page)."""

from datetime import date

import httpx
import pytest

from deploy.demo import sample_form
from tests.browser.netdesk import log_in
from tests.browser.pages import check_page
from tests.conftest import eventually

pytestmark = pytest.mark.integration

CONSTRUCTION = "他社閲覧確認工事"


@pytest.fixture(scope="module")
async def issued_for_a(system, accounts):
    """An application of ◆◆建設 filed through the JSON API and issued: (application id, 前払金 number)."""
    async with httpx.AsyncClient(base_url=system.urls["application"], timeout=30) as client:
        login_id, password = accounts["clerk-a"]
        token = (await client.post("/auth/login", json={"login_id": login_id, "password": password})).json()
        client.headers["Authorization"] = f"Bearer {token['access_token']}"
        form = sample_form(date.today())
        form["contract"]["construction_name"] = CONSTRUCTION
        app_id = (await client.post("/applications", json=form)).json()["id"]
        confirmed = (await client.post(f"/applications/{app_id}/confirm")).json()
        assert confirmed["ok"], confirmed["problems"]
        sent = await client.post(
            f"/applications/{app_id}/submit",
            json={"send_password": accounts["send_password_a"], "acknowledge_warnings": True},
        )
        assert sent.status_code == 202, sent.text

        async def issued():
            app = (await client.get(f"/applications/{app_id}")).json()
            return app if app["status"] == "issued" and app["certificates"] else None

        app = await eventually(issued, timeout=60)
    number = next(c["contract_number"] for c in app["certificates"] if c["product"] == "advance_payment")
    return app_id, number


async def not_found_page(page, url: str, name: str) -> tuple[str, str]:
    response = await page.goto(url)
    assert response.status == 404, f"{url}: {response.status}"
    await check_page(page, name, status=404)
    return await page.title(), await page.locator("main").inner_text()


async def test_another_companys_contract_looks_exactly_like_an_unknown_one(open_page, portal, accounts, issued_for_a):
    app_id, number = issued_for_a
    owner = await open_page()
    await log_in(owner, portal, accounts["clerk-a"])
    response = await owner.goto(f"{portal}contracts/{number}")
    assert response.status == 200  # it exists, for its own company

    page = await open_page()
    await log_in(page, portal, accounts["clerk-b"])
    foreign = await not_found_page(page, f"{portal}contracts/{number}", "not-found")
    unknown = await not_found_page(page, f"{portal}contracts/99999-99999M", "not-found-unknown")
    assert foreign == unknown
    assert number not in foreign[1] and CONSTRUCTION not in foreign[1]
    # Everything under it, and the company's application, answer the same.
    for path in (f"contracts/{number}/versions/1", f"applications/{app_id}/confirm", f"applications/{app_id}/done",
                 f"applications/{app_id}/edit", "applications/00000000-0000-4000-8000-000000000000/done"):
        assert await not_found_page(page, f"{portal}{path}", "not-found-other") == unknown, path
    for path in (f"contracts/{number}/key-notice.pdf", f"contracts/{number}/certificate.pdf"):
        response = await page.request.get(f"{portal}{path}")
        assert response.status == 404, path
        assert "application/pdf" not in response.headers.get("content-type", "")
    # Nor does it appear in the company's lists.
    await page.goto(f"{portal}contracts?contract_number={number}")
    assert number not in await page.locator("main").inner_text()
    await page.goto(f"{portal}contracts?construction_name={CONSTRUCTION}")
    assert await page.locator("tbody tr", has_text=CONSTRUCTION).count() == 0


async def test_the_key_page_is_never_cached_and_has_the_security_headers(open_page, portal, accounts, issued_for_a):
    _, number = issued_for_a
    page = await open_page()
    await log_in(page, portal, accounts["boss-a"])
    response = await page.goto(f"{portal}contracts/{number}")
    headers = response.headers
    assert "no-store" in headers.get("cache-control", ""), headers
    assert "script-src 'self'" in headers.get("content-security-policy", ""), headers
    assert headers.get("x-content-type-options") == "nosniff"
    assert "frame-ancestors 'none'" in headers.get("content-security-policy", "")


async def test_a_form_without_its_csrf_token_is_refused(open_page, portal, accounts):
    page = await open_page()
    await log_in(page, portal, accounts["clerk-b"])
    # The header's ログアウト form, its token removed (as after a forged page or a lost cookie).
    removed = await page.evaluate(
        "() => { const inputs = document.querySelectorAll('header form input[name=csrftoken]');"
        " inputs.forEach((i) => i.remove()); return inputs.length; }"
    )
    assert removed == 1
    async with page.expect_navigation():
        await page.get_by_role("button", name="ログアウト", exact=True).first.click()
    await check_page(page, "csrf-refused", status=403)
    assert await page.locator("h1").inner_text()
    # Refused means nothing happened: still logged in.
    await page.goto(portal)
    assert page.url == portal, page.url

    # A new application posted without a token, or with a made-up one, is not saved.
    for token in (None, "forged-token"):
        form = {"action": "save", "contract.construction_name": "CSRF確認工事"}
        if token:
            form["csrftoken"] = token
        response = await page.request.post(f"{portal}applications/new", form=form, max_redirects=0)
        assert response.status == 403, (token, response.status)
    await page.goto(f"{portal}applications?tab=draft")
    assert "CSRF確認工事" not in await page.locator("main").inner_text()

    # Even the login form needs the token its page carried.
    stranger = await open_page()
    response = await stranger.request.post(
        f"{portal}login", form={"login_id": accounts["clerk-b"][0], "password": accounts["clerk-b"][1]}, max_redirects=0
    )
    assert response.status == 403
    assert "netdesk_session" not in {c["name"] for c in await stranger.context.cookies()}


async def test_an_unknown_page_is_the_same_404(open_page, portal, accounts):
    page = await open_page()
    await log_in(page, portal, accounts["clerk-b"])
    reference = await not_found_page(page, f"{portal}contracts/99999-99999M", "not-found-reference")
    assert await not_found_page(page, f"{portal}no-such-page", "not-found-page") == reference
