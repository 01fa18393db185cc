"""Login, bearer tokens, and a contractor never seeing another contractor's data (404, not 403)."""

import os
import subprocess
import sys
import uuid

import pytest

from shared.events import Product
from tests.conftest import TEST_DATABASE_URL, eventually
from tests.integration.application.conftest import (
    certificate_issued,
    contract_number,
    publish,
    submitted_application,
)
from tests.unit.application.forms import valid_form
from services.application.entrypoints.cli import create_company, create_user

pytestmark = pytest.mark.integration


async def test_login_failures_are_401_in_japanese(api, contractor_a):
    wrong = await api.post("/auth/login", json={"login_id": "maru-a", "password": "nope"})
    unknown = await api.post("/auth/login", json={"login_id": "nobody", "password": "nope"})
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.json() == {"detail": "ログインIDまたはパスワードが正しくありません"}
    missing = await api.get("/applications")
    assert missing.status_code == 401
    assert missing.json()["detail"] == "ログインしてください（Authorization: Bearer <アクセストークン> が必要です）"
    forged = await api.get("/applications", headers={"Authorization": "Bearer forged"})
    assert forged.status_code == 401


async def test_expired_session(api, contractor_a, service):
    login = await api.post("/auth/login", json={"login_id": "maru-a", "password": "pass-maru-a"})
    token = login.json()["access_token"]
    assert login.json()["token_type"] == "bearer"
    from shared.auth import token_digest

    await service.pool.execute(
        "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_digest = $1", token_digest(token)
    )
    response = await api.get("/applications", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["detail"] == "ログインの有効期限が切れました。もう一度ログインしてください"


async def test_a_bearer_token_left_unused_ends(api, contractor_a, service):
    """An idle timeout (60 minutes by default) on API tokens too; a request restarts the clock."""
    from shared.auth import token_digest

    login = await api.post("/auth/login", json={"login_id": "maru-a", "password": "pass-maru-a"})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    digest = token_digest(login.json()["access_token"])
    await service.pool.execute("UPDATE sessions SET last_seen_at = now() - interval '59 minutes' WHERE token_digest = $1", digest)
    assert (await api.get("/applications", headers=headers)).status_code == 200  # restarts the clock
    seen = await service.pool.fetchval("SELECT now() - last_seen_at FROM sessions WHERE token_digest = $1", digest)
    assert seen.total_seconds() < 5
    await service.pool.execute("UPDATE sessions SET last_seen_at = now() - interval '61 minutes' WHERE token_digest = $1", digest)
    ended = await api.get("/applications", headers=headers)
    assert ended.status_code == 401 and ended.json()["detail"] == "ログインの有効期限が切れました。もう一度ログインしてください"


async def test_cli_is_idempotent(contractor_a):
    again = await create_company("○○建設 株式会社", "別の住所", database_url=TEST_DATABASE_URL)
    assert again == contractor_a.company_id
    first = await create_user("○○建設 株式会社", "maru-a2", "pw", database_url=TEST_DATABASE_URL)
    assert await create_user("○○建設 株式会社", "maru-a2", "other", database_url=TEST_DATABASE_URL) == first


def test_cli_prints_only_the_id_and_refuses_an_unknown_company(contractor_a):
    env = os.environ | {"DATABASE_URL": TEST_DATABASE_URL}
    cli = [sys.executable, "-m", "services.application.entrypoints.cli"]
    made = subprocess.run(
        [*cli, "create-company", "--name", "○○建設 株式会社", "--address", "x"], env=env, capture_output=True, text=True
    )
    assert (made.returncode, made.stdout) == (0, f"{contractor_a.company_id}\n")
    refused = subprocess.run(
        [*cli, "create-user", "--company-name", "存在しない建設", "--login-id", "x", "--password", "y"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1
    assert "会社が登録されていません: 存在しない建設" in refused.stderr


async def test_cli_create_user_reads_the_password_from_stdin_or_refuses_without_one(api, contractor_a):
    env = os.environ | {"DATABASE_URL": TEST_DATABASE_URL}
    cli = [sys.executable, "-m", "services.application.entrypoints.cli",
           "create-user", "--company-name", "○○建設 株式会社"]
    made = subprocess.run(
        [*cli, "--login-id", "maru-stdin", "--password-stdin"], input="pw from stdin\n", env=env,
        capture_output=True, text=True, timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert "pw from stdin" not in made.stdout + made.stderr
    login = await api.post("/auth/login", json={"login_id": "maru-stdin", "password": "pw from stdin"})
    assert login.status_code == 200, login.text

    missing = subprocess.run(
        [*cli, "--login-id", "maru-none"], stdin=subprocess.DEVNULL, env=env, capture_output=True, text=True, timeout=60
    )
    assert missing.returncode == 2
    assert "パスワードが指定されていません: --password-stdin で標準入力から渡すか" in missing.stderr


async def test_contractor_b_cannot_see_contractor_a(api, contractor_a, contractor_b, amqp, settings, fake_issuance):
    a, b = contractor_a.headers, contractor_b.headers
    draft_id = (await api.post("/applications", json={}, headers=a)).json()["id"]
    sent = await submitted_application(api, contractor_a, valid_form())
    for app_id in (draft_id, sent["id"]):
        for method, path in (
            ("GET", f"/applications/{app_id}"),
            ("PUT", f"/applications/{app_id}"),
            ("POST", f"/applications/{app_id}/confirm"),
            ("POST", f"/applications/{app_id}/submit"),
        ):
            response = await api.request(method, path, headers=b, json={} if method == "PUT" else None)
            assert response.status_code == 404, (method, path)
            assert response.json() == {"detail": "申込が見つかりません"}
    unknown = await api.get(f"/applications/{uuid.uuid4()}", headers=b)
    assert unknown.status_code == 404
    own_ids = {x["id"] for x in (await api.get("/applications", headers=b)).json()}
    assert draft_id not in own_ids and sent["id"] not in own_ids

    number = contract_number(Product.ADVANCE_PAYMENT)
    fake_issuance.keys[number] = (str(contractor_a.company_id), "Z28YUE4J3Bux")
    issued = certificate_issued(
        application_id=uuid.UUID(sent["id"]), company=contractor_a, product=Product.ADVANCE_PAYMENT, number=number
    )
    await publish(amqp, settings, issued)
    await eventually(lambda: _found(api, a, number))

    calls_before = len(fake_issuance.calls)
    for path in (f"/contracts/{number}", f"/contracts/{number}/certificate.pdf", f"/contracts/{number}/key-notice.pdf"):
        response = await api.get(path, headers=b)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "保証契約が見つかりません"}
    assert (await api.get("/contracts", headers=b, params={"contract_number": number})).json() == []
    assert len(fake_issuance.calls) == calls_before  # ownership is checked before issuance is asked
    # A's own view works.
    assert (await api.get(f"/contracts/{number}", headers=a)).json()["auth_key"] == "Z28YUE4J3Bux"


async def _found(api, headers, number) -> bool:
    rows = (await api.get("/contracts", headers=headers, params={"contract_number": number})).json()
    return len(rows) == 1
