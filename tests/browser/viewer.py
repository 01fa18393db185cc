"""The orderer's pages (保証確認サービス, /viewer on the platform service) as orderer staff use them: log in,
open a certificate with 保証契約番号 + 認証キー, the 保証確認台帳. Also what the tests set up around them:
certificates issued for the contractor through the contractor JSON API, a later version of one put on
the bus as issuance would, and an HTTP client of the pages (CSRF cookie + token) for many lookups."""

import re
import uuid
from dataclasses import dataclass
from datetime import date

import aio_pika
import asyncpg
import httpx
from playwright.async_api import Page

from deploy.demo import sample_form
from shared.events import CertificateContent, content_digest
from tests.browser.netdesk import contract_rows
from tests.browser.pages import check_page, key_press_button, key_type
from tests.conftest import eventually
from tests.samples import bus_message, sample_certificate_issued, version_label

LOOKUP_FAILED = "保証契約番号または認証キーが正しくありません。"
LOGIN_FAILED = "利用者IDまたはパスワードが正しくありません。"
NOT_FOR_CONTRACTORS = "受注者向けのサービスではありません。"
THROTTLED = re.compile(r"認証に続けて失敗したため、この操作はしばらくできません。(\d+)(秒|分)後に再度お試しください。")
NOT_ORIGINAL = "本紙は電子証書の閲覧記録です（原本ではありません）"
REGISTER_COLUMNS = ["保証契約番号", "工事名・受注者", "保証種類", "保証金額", "保証期限", "最新の版", "閲覧", "状況", "確認"]
_CSRF_FIELD = re.compile(r'name="csrftoken" value="([^"]+)"')


def viewer_base(system) -> str:
    """The orderer's pages, with the trailing slash: f"{base}login"."""
    return f"{system.urls['platform']}/viewer/"


def full_width(text: str, hyphen: str = "ー") -> str:
    """35026-00012M → ３５０２６ー０００１２Ｍ (as a clerk may paste it from a word processor)."""
    return "".join(hyphen if c == "-" else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@dataclass(frozen=True)
class Issued:
    """One electronic certificate as the contractor sees it (GET /contracts/{number})."""

    number: str
    auth_key: str
    content_digest: str
    construction_name: str
    product: str


async def issue_for_contractor(system, credentials: tuple[str, str], construction_name: str) -> dict[str, Issued]:
    """Files the demo's sample form (川崎市 as orderer, 前払金 + 契約保証, electronic) through the contractor
    JSON API as a company without a 送信パスワード, waits for both certificates and their history, and
    returns product → Issued."""
    async with httpx.AsyncClient(base_url=system.urls["application"], timeout=30) as client:
        token = (await client.post("/auth/login", json={"login_id": credentials[0], "password": credentials[1]})).json()
        client.headers["Authorization"] = f"Bearer {token['access_token']}"
        form = sample_form(date.today())
        form["contract"]["construction_name"] = construction_name
        app_id = (await client.post("/applications", json=form)).json()["id"]
        confirmed = (await client.post(f"/applications/{app_id}/confirm")).json()
        assert confirmed["ok"], confirmed["problems"]
        sent = await client.post(f"/applications/{app_id}/submit", json={"acknowledge_warnings": True})
        assert sent.status_code == 202, sent.text

        async def issued():
            app = (await client.get(f"/applications/{app_id}")).json()
            return app if app["status"] == "issued" and len(app["certificates"]) == 2 else None

        app = await eventually(issued, timeout=90, interval=0.3)
        found = {}
        for certificate in app["certificates"]:
            number = certificate["contract_number"]

            async def with_history():
                detail = (await client.get(f"/contracts/{number}")).json()
                return detail if detail.get("history") and detail.get("auth_key") else None

            detail = await eventually(with_history, timeout=60, interval=0.3)
            found[certificate["product"]] = Issued(
                number, detail["auth_key"], detail["content_digest"], construction_name, certificate["product"]
            )
    return found


async def publish_new_version(system, common_env: dict, number: str, **changes) -> CertificateContent:
    """A later version (変更-1, …) of a certificate the platform holds, published as issuance does
    (CertificateIssued on `{namespace}.events`, routing key = the event type; the same 認証キー); waits
    until the platform has stored its arrival."""
    conn = await asyncpg.connect(common_env["database_url"])
    try:
        row = await conn.fetchrow(
            "SELECT content, application_id, auth_key_hash, version FROM platform.certificate_versions"
            " WHERE contract_number = $1 ORDER BY version DESC LIMIT 1",
            number,
        )
        assert row is not None, f"{number} is not on the platform"
        version = row["version"] + 1
        content = CertificateContent.model_validate_json(row["content"]) if isinstance(row["content"], str) \
            else CertificateContent.model_validate(row["content"])
        content = content.model_copy(update={"version": version, **changes})
        event = sample_certificate_issued(
            content,
            application_id=row["application_id"],
            auth_key_hash=row["auth_key_hash"],
            version_label=version_label(version),
            content_digest=content_digest(content),
            correlation_id=str(uuid.uuid4()),
        )
        connection = await aio_pika.connect(common_env["amqp_url"])
        async with connection:
            channel = await connection.channel()
            exchange = await channel.get_exchange(f"{common_env['bus_namespace']}.events")
            await exchange.publish(bus_message(event), routing_key=event.type)

        async def arrived():
            return await conn.fetchval(
                "SELECT 1 FROM platform.certificate_versions WHERE contract_number = $1 AND version = $2",
                number, version,
            )

        await eventually(arrived, timeout=30)
    finally:
        await conn.close()
    return content


# ---------------------------------------------------------------------------------------------------
# The pages in the browser


async def log_in(page: Page, base: str, credentials: tuple[str, str], *, keyboard: bool = False,
                 check: str | None = None, start: str = "login") -> None:
    await page.goto(f"{base}{start}")
    assert re.search(r"/viewer/login(\?|$)", page.url), f"not at the login page: {page.url}"
    if check:
        await check_page(page, check)
    if keyboard:
        await key_type(page, "#login_id", credentials[0])
        await key_type(page, "#password", credentials[1])
        await key_press_button(page, page.get_by_role("button", name="ログイン", exact=True))
    else:
        await page.locator("#login_id").fill(credentials[0])
        await page.locator("#password").fill(credentials[1])
        async with page.expect_navigation():
            await page.get_by_role("button", name="ログイン", exact=True).click()
    assert "/viewer/login" not in page.url, f"still at the login page after logging in as {credentials[0]}"


async def look_up(page: Page, base: str, number: str, key: str, *, keyboard: bool = False, go: bool = True) -> None:
    """電子証書の閲覧: types (or pastes) the number and key and presses 閲覧する."""
    if go:
        await page.goto(base)
    if keyboard:
        await key_type(page, "#contract_number", number)
        await key_type(page, "#auth_key", key)
        await key_press_button(page, page.get_by_role("button", name="閲覧する", exact=True))
    else:
        await page.locator("#contract_number").fill(number)
        await page.locator("#auth_key").fill(key)
        async with page.expect_navigation():
            await page.get_by_role("button", name="閲覧する", exact=True).click()


async def register_rows(page: Page) -> list[dict[str, str]]:
    """The 保証確認台帳 table as {column header: cell text} rows (none when the table is absent)."""
    return await contract_rows(page)


async def history_rows(page: Page) -> list[dict[str, str]]:
    """電子保証情報（履歴情報） as {column header: cell text} rows, top to bottom."""
    table = page.locator("table", has_text="電子保証発行日時")
    assert await table.count() == 1, f"no 電子保証情報（履歴情報） table on {page.url}"
    headers = [t.strip() for t in await table.locator("thead th").all_inner_texts()]
    rows = []
    for row in await table.locator("tbody tr").all():
        rows.append(dict(zip(headers, [c.strip() for c in await row.locator("td").all_inner_texts()])))
    return rows


# ---------------------------------------------------------------------------------------------------
# The pages over plain HTTP (many lookups quickly): the CSRF cookie and each page's token, as a browser.


class ViewerClient:
    def __init__(self, base: str) -> None:
        self.base = base
        self.client = httpx.AsyncClient(base_url=base.rstrip("/"), timeout=30, follow_redirects=False)
        self.token = ""

    def _take_token(self, html: str) -> None:
        found = _CSRF_FIELD.search(html)
        assert found, "no csrftoken on the page"
        self.token = found.group(1)

    async def log_in(self, credentials: tuple[str, str]) -> "ViewerClient":
        page = await self.client.get("/login")
        self._take_token(page.text)
        response = await self.client.post(
            "/login", data={"login_id": credentials[0], "password": credentials[1], "next": "/viewer/",
                            "csrftoken": self.token},
        )
        assert response.status_code == 303, (response.status_code, response.text[:300])
        form = await self.client.get("/")
        assert form.status_code == 200, form.status_code
        self._take_token(form.text)
        return self

    async def look_up(self, number: str, key: str) -> httpx.Response:
        return await self.client.post(
            "/lookup", data={"contract_number": number, "auth_key": key, "csrftoken": self.token}
        )

    async def aclose(self) -> None:
        await self.client.aclose()
