"""利用者ID管理者 on the orderer's pages: users created with a password to change at first login, reset,
disabled, unlocked; every action recorded; no other user reaches an administration route."""

import re
import uuid

import httpx
import pytest

from services.platform.handlers.accounts import create_organisation, create_user
from tests.integration.platform.conftest import PASSWORD, new_contract_number
from tests.integration.platform.test_http import KEY, issue
from tests.integration.platform.test_viewer_pages import Staff, staff  # noqa: F401, F811  (the staff fixture)
from tests.unit.platform.samples import certificate

pytestmark = pytest.mark.integration

ADMIN_GETS = ("/viewer/admin", "/viewer/admin/records")
ADMIN_POSTS = ("/viewer/admin/users", "/viewer/admin/users/someone/reset_password",
               "/viewer/admin/users/someone/disable", "/viewer/admin/users/someone/enable",
               "/viewer/admin/users/someone/unlock")


async def signed_in(platform, login_id: str, password: str) -> tuple[Staff, httpx.Response]:
    person = Staff(httpx.AsyncClient(transport=httpx.ASGITransport(app=platform.http_app), base_url="http://viewer"))
    await person.get("/viewer/login")
    answer = await person.client.post(
        "/viewer/login", data={"csrftoken": person.token, "login_id": login_id, "password": password}
    )
    return person, answer


@pytest.fixture
async def organisation(platform):
    code = f"adm-{uuid.uuid4().hex[:6]}"
    await create_organisation(platform.pool, code, "管理市")
    admin_id = f"admin-{uuid.uuid4().hex[:6]}"
    await create_user(platform.pool, code, admin_id, PASSWORD, display_name="総務課 管理者", role="admin")
    admin, answer = await signed_in(platform, admin_id, PASSWORD)
    assert answer.status_code == 303
    return code, admin


async def test_a_new_user_must_change_the_password_at_first_login(platform, organisation):
    _, admin = organisation
    page = await admin.get("/viewer/admin")
    assert page.status_code == 200 and "利用者IDの管理" in page.text
    login_id = f"new-{uuid.uuid4().hex[:6]}"
    created = await admin.client.post("/viewer/admin/users", data={"csrftoken": admin.token, "login_id": login_id,
                                                                   "display_name": "工事課 新人"})
    assert created.status_code == 200
    password = re.search(r'id="issued-password">([^<]+)<', created.text).group(1)
    assert len(password) == 12
    newcomer, answer = await signed_in(platform, login_id, password)
    assert answer.status_code == 303
    forced = await newcomer.get("/viewer/")
    assert forced.status_code == 303 and forced.headers["location"] == "/viewer/password"
    await newcomer.get("/viewer/password")
    short = await newcomer.client.post("/viewer/password", data={"csrftoken": newcomer.token, "current_password": password,
                                                                  "new_password": "short", "new_password_again": "short"})
    assert short.status_code == 422 and "10文字以上" in short.text
    changed = await newcomer.client.post("/viewer/password", data={
        "csrftoken": newcomer.token, "current_password": password,
        "new_password": "atarashii-pass-2026", "new_password_again": "atarashii-pass-2026"})
    assert changed.status_code == 303 and changed.headers["location"] == "/viewer/login?reason=password"
    assert (await newcomer.get("/viewer/")).status_code == 303  # the old session ended with the change
    again, answer = await signed_in(platform, login_id, "atarashii-pass-2026")
    assert answer.status_code == 303 and (await again.get("/viewer/")).status_code == 200


async def test_disable_reset_unlock_and_the_record(platform, organisation):
    code, admin = organisation
    login_id = f"staff-{uuid.uuid4().hex[:6]}"
    await create_user(platform.pool, code, login_id, PASSWORD, display_name="工事課 佐藤")
    person, _ = await signed_in(platform, login_id, PASSWORD)
    content = certificate(new_contract_number(), obligee_code=code)
    await issue(platform, content)
    for _ in range(5):
        await person.lookup(content.contract_number, "WRONGKEY2345")
    assert (await person.lookup(content.contract_number, KEY)).status_code == 429
    page = await admin.get("/viewer/admin")
    assert "閲覧制限中" in page.text
    await admin.client.post(f"/viewer/admin/users/{login_id}/unlock", data={"csrftoken": admin.token})
    assert (await person.lookup(content.contract_number, KEY)).status_code == 303

    await admin.get("/viewer/admin")
    disabled = await admin.client.post(f"/viewer/admin/users/{login_id}/disable", data={"csrftoken": admin.token})
    assert disabled.status_code == 303
    assert (await person.get("/viewer/")).status_code == 303  # its session ended
    _, refused = await signed_in(platform, login_id, PASSWORD)
    assert refused.status_code == 401 and "利用者IDまたはパスワードが正しくありません。" in refused.text
    await admin.client.post(f"/viewer/admin/users/{login_id}/enable", data={"csrftoken": admin.token})
    reset = await admin.client.post(f"/viewer/admin/users/{login_id}/reset_password", data={"csrftoken": admin.token})
    temporary = re.search(r'id="issued-password">([^<]+)<', reset.text).group(1)
    _, old = await signed_in(platform, login_id, PASSWORD)
    assert old.status_code == 401
    fresh, ok = await signed_in(platform, login_id, temporary)
    assert ok.status_code == 303 and (await fresh.get("/viewer/register")).headers["location"] == "/viewer/password"

    records = await admin.get("/viewer/admin/records")
    for label in ("閲覧制限の解除", "利用停止", "利用再開", "パスワードの再設定"):
        assert label in records.text
    assert content.contract_number in records.text and "失敗" in records.text  # 閲覧履歴, failures included


async def test_only_the_administrator_reaches_the_administration(platform, organisation, staff):
    code, admin = organisation
    elsewhere = await staff()  # a plain user of another organisation
    plain_id = f"plain-{uuid.uuid4().hex[:6]}"
    await create_user(platform.pool, code, plain_id, PASSWORD)
    colleague, _ = await signed_in(platform, plain_id, PASSWORD)  # a plain user of the same organisation
    for person in (elsewhere, colleague):
        for path in ADMIN_GETS:
            answer = await person.get(path)
            assert answer.status_code == 403 and "利用者ID管理者だけが使えます" in answer.text, path
        await person.get("/viewer/")
        for path in ADMIN_POSTS:
            answer = await person.client.post(path, data={"csrftoken": person.token, "login_id": "x", "display_name": "y"})
            assert answer.status_code == 403, path
    # An administrator cannot act on another organisation's users: the same as an unknown one.
    outsider = f"out-{uuid.uuid4().hex[:6]}"
    await create_organisation(platform.pool, "elsewhere-city", "他市")
    await create_user(platform.pool, "elsewhere-city", outsider, PASSWORD)
    await admin.get("/viewer/admin")
    answer = await admin.client.post(f"/viewer/admin/users/{outsider}/disable", data={"csrftoken": admin.token})
    assert answer.status_code == 404
    _, still = await signed_in(platform, outsider, PASSWORD)
    assert still.status_code == 303
