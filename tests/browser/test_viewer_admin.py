"""利用者ID管理者's pages in the browser: every page checked (axe-core, strict HTML, keyboard), a user
created with an initial password shown once, the first login forced to the password change, the
administration closed to everyone else."""

import re

import pytest

from services.platform.entrypoints import cli as platform_cli
from services.platform.settings import Settings as PlatformSettings
from tests.browser.pages import check_page, key_press_button, key_type
from tests.browser.viewer import log_in, viewer_base

pytestmark = pytest.mark.integration

ADMIN = ("kawasaki-admin", "password-kawasaki-admin")


@pytest.fixture(scope="module")
async def administrator(orderers, common_env):
    await platform_cli.run(
        ["create-user", "--organisation-code", "kawasaki-city", "--login-id", ADMIN[0], "--password", ADMIN[1],
         "--name", "総務課 管理者", "--admin"],
        PlatformSettings(**common_env),
    )
    return ADMIN


async def test_the_administrator_creates_a_user_who_must_change_the_password(open_page, system, administrator, orderers):
    base = viewer_base(system)
    page = await open_page()
    await log_in(page, base, administrator, keyboard=True)
    await page.goto(f"{base}admin")
    await check_page(page, "viewer-admin-users")
    await key_type(page, "#login_id", "kawasaki-newcomer")
    await key_type(page, "#display_name", "工事課 新人")
    await key_press_button(page, page.get_by_role("button", name="登録する", exact=True))
    await check_page(page, "viewer-admin-created")
    password = (await page.locator("#issued-password").inner_text()).strip()
    assert re.fullmatch(r"[A-HJ-NP-Za-km-z2-9]{12}", password)
    assert password not in page.url and password not in await page.title()
    await page.goto(f"{base}admin/records")
    await check_page(page, "viewer-admin-records")
    assert "利用者IDの登録" in await page.locator("main").inner_text()

    newcomer = await open_page()
    await log_in(newcomer, base, ("kawasaki-newcomer", password))
    assert newcomer.url.endswith("/viewer/password")
    await check_page(newcomer, "viewer-password-required")
    await key_type(newcomer, "#current_password", password)
    await key_type(newcomer, "#new_password", "shinjin-no-pass-2026")
    await key_type(newcomer, "#new_password_again", "shinjin-no-pass-2027")
    await key_press_button(newcomer, newcomer.get_by_role("button", name="変更する", exact=True))
    assert "新しいパスワード（確認）が一致しません。" in await newcomer.locator("#error-summary").inner_text()
    await check_page(newcomer, "viewer-password-error", status=422)
    await key_type(newcomer, "#current_password", password)
    await key_type(newcomer, "#new_password", "shinjin-no-pass-2026")
    await key_type(newcomer, "#new_password_again", "shinjin-no-pass-2026")
    await key_press_button(newcomer, newcomer.get_by_role("button", name="変更する", exact=True))
    assert "/viewer/login" in newcomer.url and "パスワードを変更しました" in await newcomer.locator("main").inner_text()
    await log_in(newcomer, base, ("kawasaki-newcomer", "shinjin-no-pass-2026"))
    assert newcomer.url.rstrip("/").endswith("/viewer")


async def test_staff_cannot_open_the_administration(open_page, system, orderers):
    base = viewer_base(system)
    page = await open_page()
    staff = next(iter(orderers.values()))
    await log_in(page, base, staff)
    for path in ("admin", "admin/records"):
        response = await page.goto(f"{base}{path}")
        assert response.status == 403
        assert "この画面は利用者ID管理者だけが使えます。" in await page.locator("main").inner_text()
        await check_page(page, f"viewer-forbidden-{path.replace('/', '-')}", status=403)
