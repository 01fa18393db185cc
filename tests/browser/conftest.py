"""Browser tests of Net Desk's pages (/portal on the application service): the whole system in-process
(tests.e2e.harness.System) against the real RabbitMQ, PostgreSQL and an SMTP sink, driven through
Debian's chromium by Playwright.

Accounts: ◆◆建設 (clerk-a prepares, boss-a holds the company's 送信パスワード, set through the CLI),
▲▲工業 (clerk-b, no 送信パスワード) — companies of their own, so that no other package's tests meet
their send password — and 川崎市 on the platform. The orderer's pages (/viewer) also use `orderers`:
staff of 川崎市 (the sample form's orderer), 三島市 and 横浜市, each with the name a viewing record prints.
"""

import os
import subprocess
import sys

import httpx
import pytest
from playwright.async_api import async_playwright

from services.application.entrypoints import cli as application_cli
from services.platform.entrypoints import cli as platform_cli
from services.platform.settings import Settings as PlatformSettings
from tests.browser import pages
from tests.conftest import package_bus_fixtures
from tests.e2e.harness import System

# This package's own bus namespace: no other package's leftover events reach its services.
bus_namespace, common_env, common_settings, bus_cleanup = package_bus_fixtures()

COMPANY_A = "◆◆建設 株式会社"
COMPANY_B = "▲▲工業 株式会社"
SEND_PASSWORD_A = "sousin-A-2468"
USERS = {
    "clerk-a": (COMPANY_A, "password-clerk-a", "建設 花子"),
    "boss-a": (COMPANY_A, "password-boss-a", "建設 一郎"),
    "clerk-b": (COMPANY_B, "password-clerk-b", "工業 次郎"),
}


@pytest.fixture(scope="package")
async def system(fresh_database, bus_cleanup, common_env):
    running = await System(common=common_env).start()
    yield running
    await running.stop()


@pytest.fixture(scope="package")
async def accounts(system, common_env):
    """login id -> (login id, password); the send password of ◆◆建設 under "send_password_a"."""
    url = common_env["database_url"]
    await application_cli.create_company(COMPANY_A, "神奈川県横浜市中区尾上町1-6", database_url=url)
    await application_cli.create_company(COMPANY_B, "東京都港区", database_url=url)
    for login_id, (company, password, name) in USERS.items():
        await application_cli.create_user(company, login_id, password, name, database_url=url)
    # The operator's command, as an operator runs it.
    send_password_cli(url, "--password", SEND_PASSWORD_A)
    settings = PlatformSettings(**common_env)
    await platform_cli.run(["create-organisation", "--code", "kawasaki-city", "--name", "川崎市"], settings)
    await platform_cli.run(
        ["create-user", "--organisation-code", "kawasaki-city", "--login-id", "kawasaki", "--password", "password-k"],
        settings,
    )
    found = {login_id: (login_id, password) for login_id, (_, password, _) in USERS.items()}
    return {**found, "kawasaki": ("kawasaki", "password-k"), "send_password_a": SEND_PASSWORD_A}


# The orderer's staff (保証確認サービス): login id -> (organisation code, password, name on the viewing record).
ORGANISATIONS = {"kawasaki-city": "川崎市", "mishima-city": "三島市", "yokohama-city": "横浜市"}
ORDERERS = {
    "k-yamada": ("kawasaki-city", "password-k-yamada", "契約課 山田"),
    "k-suzuki": ("kawasaki-city", "password-k-suzuki", "工事課 鈴木"),
    "k-sato": ("kawasaki-city", "password-k-sato", "契約課 佐藤"),
    "k-tanaka": ("kawasaki-city", "password-k-tanaka", "道路課 田中"),
    "m-ito": ("mishima-city", "password-m-ito", "契約検査課 伊藤"),
    "m-kato": ("mishima-city", "password-m-kato", "契約検査課 加藤"),
    "y-mori": ("yokohama-city", "password-y-mori", "財政局 森"),
    "y-ueda": ("yokohama-city", "password-y-ueda", "財政局 上田"),
}


@pytest.fixture(scope="package")
async def orderers(accounts, common_env):
    """login id -> (login id, password) of the orderer staff in ORDERERS (made with the platform's CLI)."""
    settings = PlatformSettings(**common_env)
    for code, name in ORGANISATIONS.items():
        await platform_cli.run(["create-organisation", "--code", code, "--name", name], settings)
    for login_id, (code, password, name) in ORDERERS.items():
        await platform_cli.run(
            ["create-user", "--organisation-code", code, "--login-id", login_id, "--password", password,
             "--name", name],
            settings,
        )
    return {login_id: (login_id, password) for login_id, (_, password, _) in ORDERERS.items()}


def send_password_cli(database_url: str, *args: str) -> None:
    """`python -m services.application.entrypoints.cli set-send-password --company ◆◆建設 …`"""
    subprocess.run(
        [sys.executable, "-m", "services.application.entrypoints.cli", "set-send-password", "--company", COMPANY_A, *args],
        env={**os.environ, "DATABASE_URL": database_url}, check=True, capture_output=True, text=True,
    )


@pytest.fixture(scope="package")
async def browser():
    assert pages.AXE_JS.is_file(), f"{pages.AXE_JS} missing: run `bash deploy/install.sh`"
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=pages.CHROMIUM, headless=True, args=pages.CHROMIUM_ARGS
        )
        yield chromium
        await chromium.close()


@pytest.fixture
async def open_page(browser):
    """open_page(js=True) -> a new page in a context of its own (its own cookies: another user)."""
    contexts = []

    async def open_one(js: bool = True):
        context = await browser.new_context(java_script_enabled=js, **pages.CONTEXT_OPTIONS)
        if not js:
            pages.SCRIPTLESS.add(id(context))
        await pages.prepare_context(context)
        contexts.append(context)
        return await context.new_page()

    yield open_one
    leftovers = []
    for context in contexts:
        for page in context.pages:
            leftovers += pages.watch_of(page).take() if id(page) in pages._WATCHES else []
        pages.SCRIPTLESS.discard(id(context))
        await context.close()
    assert not leftovers, "console errors / CSP violations after the last check:\n" + "\n".join(leftovers)


@pytest.fixture
async def page(open_page):
    return await open_page(js=True)


@pytest.fixture
async def nojs_page(open_page):
    """A page of a context with JavaScript disabled."""
    return await open_page(js=False)


@pytest.fixture
def portal(system) -> str:
    """Net Desk's base URL, with the trailing slash."""
    return system.portal


@pytest.fixture
async def api(system):
    """api(credentials) -> an httpx client of the contractor JSON API with a bearer token."""
    clients = []

    async def logged_in(credentials: tuple[str, str]) -> httpx.AsyncClient:
        client = httpx.AsyncClient(base_url=system.urls["application"], timeout=30)
        response = await client.post("/auth/login", json={"login_id": credentials[0], "password": credentials[1]})
        assert response.status_code == 200, response.text
        client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        clients.append(client)
        return client

    yield logged_in
    for client in clients:
        await client.aclose()
