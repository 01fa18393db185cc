"""送信パスワード (two-person sending) and the acknowledgement of warnings, through the HTTP API on the
real PostgreSQL and RabbitMQ: one user prepares (送信待ち), a user holding the password sends, who did
what is recorded, and exactly one ApplicationSubmitted is filed."""

import asyncio
import os
import subprocess
import sys
from uuid import UUID

import pytest

from shared.auth import verify_secret
from shared.events import ApplicationSubmittedV1
from services.application.handlers import accounts
from services.application.entrypoints.cli import create_company, create_user, set_send_password
from tests.conftest import TEST_DATABASE_URL, eventually
from tests.integration.application.conftest import Contractor
from tests.unit.application.forms import valid_form

pytestmark = pytest.mark.integration

COMPANY = "□□土木 株式会社"
SEND_PASSWORD = "shonin-2023"


async def _login(api, login_id: str) -> dict[str, str]:
    response = await api.post("/auth/login", json={"login_id": login_id, "password": "pass-" + login_id})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(scope="module")
async def two_people(api):
    """A company with a send password: a preparer (作成者) and an approver (承認者) who holds it."""
    company_id = await create_company(COMPANY, "東京都千代田区1", database_url=TEST_DATABASE_URL)
    users = {}
    for login_id, name in (("shikaku-prep", "佐藤 花子"), ("shikaku-boss", "鈴木 一郎")):
        users[login_id] = await create_user(COMPANY, login_id, "pass-" + login_id, name, database_url=TEST_DATABASE_URL)
    await set_send_password(COMPANY, SEND_PASSWORD, database_url=TEST_DATABASE_URL)
    preparer = Contractor(company_id, COMPANY, await _login(api, "shikaku-prep"))
    approver = Contractor(company_id, COMPANY, await _login(api, "shikaku-boss"))
    return preparer, approver, users


@pytest.fixture
async def submitted_events(amqp, settings):
    exchange = await amqp.get_exchange(f"{settings.bus_namespace}.events")
    queue = await amqp.declare_queue(exclusive=True, auto_delete=True)
    await queue.bind(exchange, routing_key=ApplicationSubmittedV1.event_type)
    received = []

    async def collect(message) -> None:
        received.append(message)
        await message.ack()

    await queue.consume(collect)
    return received


async def test_one_prepares_another_sends(api, two_people, submitted_events, service):
    preparer, approver, users = two_people
    app_id = (await api.post("/applications", json=valid_form(), headers=preparer.headers)).json()["id"]

    # Without the password: parked as 送信待ち (202), nothing filed.
    parked = await api.post(f"/applications/{app_id}/submit", headers=preparer.headers)
    assert parked.status_code == 202, parked.text
    assert parked.json() == {"id": app_id, "status": "awaiting_send", "correlation_id": None}
    shown = (await api.get(f"/applications/{app_id}", headers=approver.headers)).json()
    assert (shown["status"], shown["status_label"]) == ("awaiting_send", "送信待ち")
    assert shown["prepared_by"] == {
        "user_id": str(users["shikaku-prep"]), "login_id": "shikaku-prep", "display_name": "佐藤 花子"
    }
    assert shown["prepared_at"] is not None and shown["sent_by"] is None and shown["sent_at"] is None
    # Parking again changes nothing (200).
    again = await api.post(f"/applications/{app_id}/submit", headers=preparer.headers, json={})
    assert (again.status_code, again.json()["status"]) == (200, "awaiting_send")

    # 送信待ち cannot be edited or cleared.
    locked = await api.put(f"/applications/{app_id}", json=valid_form(), headers=preparer.headers)
    assert locked.status_code == 409 and "送信待ち" in locked.json()["detail"]
    cleared = await api.delete(f"/applications/{app_id}/sections/tender", headers=preparer.headers)
    assert cleared.status_code == 409

    # A wrong password: 403 in Japanese, still waiting.
    wrong = await api.post(f"/applications/{app_id}/submit", headers=approver.headers, json={"send_password": "nope"})
    assert (wrong.status_code, wrong.json()) == (403, {"detail": "送信パスワードが正しくありません"})
    assert (await api.get(f"/applications/{app_id}", headers=approver.headers)).json()["status"] == "awaiting_send"

    # The approver sends with the password, twice at once: one filing.
    body = {"send_password": SEND_PASSWORD}
    first, second = await asyncio.gather(
        api.post(f"/applications/{app_id}/submit", headers=approver.headers | {"X-Correlation-ID": "send-1"}, json=body),
        api.post(f"/applications/{app_id}/submit", headers=approver.headers | {"X-Correlation-ID": "send-2"}, json=body),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 202]
    assert first.json()["status"] == second.json()["status"] == "submitted"
    sent = (await api.get(f"/applications/{app_id}", headers=preparer.headers)).json()
    assert sent["status"] == "submitted"
    assert sent["prepared_by"]["login_id"] == "shikaku-prep"
    assert sent["sent_by"] == {"user_id": str(users["shikaku-boss"]), "login_id": "shikaku-boss", "display_name": "鈴木 一郎"}
    assert sent["sent_at"] == sent["submitted_at"] and sent["prepared_at"] < sent["sent_at"]

    await eventually(lambda: any(app_id.encode() in m.body for m in submitted_events))
    await asyncio.sleep(2.5)  # the relay polls every second: give it time to publish anything more
    assert len([m for m in submitted_events if app_id.encode() in m.body]) == 1
    assert await service.pool.fetchval(
        "SELECT count(*) FROM outbox WHERE convert_from(body, 'UTF8') LIKE '%' || $1 || '%'", app_id
    ) == 1


async def test_the_preparer_may_send_with_the_password(api, two_people):
    preparer, _, users = two_people
    app_id = (await api.post("/applications", json=valid_form(), headers=preparer.headers)).json()["id"]
    sent = await api.post(f"/applications/{app_id}/submit", headers=preparer.headers, json={"send_password": SEND_PASSWORD})
    assert (sent.status_code, sent.json()["status"]) == (202, "submitted")
    shown = (await api.get(f"/applications/{app_id}", headers=preparer.headers)).json()
    assert shown["prepared_by"]["user_id"] == shown["sent_by"]["user_id"] == str(users["shikaku-prep"])


async def test_without_a_company_password_the_sender_prepared_it(api, contractor_a):
    app_id = (await api.post("/applications", json=valid_form(), headers=contractor_a.headers)).json()["id"]
    sent = await api.post(f"/applications/{app_id}/submit", headers=contractor_a.headers, json={"send_password": None})
    assert (sent.status_code, sent.json()["status"]) == (202, "submitted")
    shown = (await api.get(f"/applications/{app_id}", headers=contractor_a.headers)).json()
    assert shown["prepared_by"]["login_id"] == shown["sent_by"]["login_id"] == "maru-a"


async def test_warnings_must_be_acknowledged(api, contractor_b):
    form = valid_form()
    form["contract"]["contract_date"] = "20230405"  # after the start of 工期 (20230401): a warning, not an error
    app_id = (await api.post("/applications", json=form, headers=contractor_b.headers)).json()["id"]
    confirmation = (await api.post(f"/applications/{app_id}/confirm", headers=contractor_b.headers)).json()
    assert confirmation["ok"] is True and confirmation["status"] == "confirmed"
    warnings = [p for p in confirmation["problems"] if p["severity"] == "warning"]
    assert warnings and all(p["severity"] == "warning" for p in confirmation["problems"])

    refused = await api.post(f"/applications/{app_id}/submit", headers=contractor_b.headers)
    assert refused.status_code == 422
    assert "acknowledge_warnings" in refused.json()["detail"]
    assert [p["rule"] for p in refused.json()["problems"]] == [p["rule"] for p in warnings]
    assert (await api.get(f"/applications/{app_id}", headers=contractor_b.headers)).json()["status"] == "confirmed"

    sent = await api.post(
        f"/applications/{app_id}/submit", headers=contractor_b.headers, json={"acknowledge_warnings": True}
    )
    assert (sent.status_code, sent.json()["status"]) == (202, "submitted")
    shown = (await api.get(f"/applications/{app_id}", headers=contractor_b.headers)).json()
    assert [p["rule"] for p in shown["acknowledged_warnings"]] == [p["rule"] for p in warnings]


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The CLI as operators run it; without `stdin` its standard input is /dev/null (no terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "services.application.entrypoints.cli", *args],
        input=stdin, stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True, text=True, env=os.environ | {"DATABASE_URL": TEST_DATABASE_URL}, timeout=60,
    )


def test_cli_sets_and_clears_the_send_password(fresh_database):
    made = cli("create-company", "--name", "◇◇設備 株式会社", "--address", "千葉県千葉市1")
    assert made.returncode == 0, made.stderr
    company_id = made.stdout.strip()
    assert cli("set-send-password", "--company", "◇◇設備 株式会社", "--password", "abc").stdout.strip() == company_id
    assert cli("set-send-password", "--company", "◇◇設備 株式会社", "--clear").stdout.strip() == company_id
    unknown = cli("set-send-password", "--company", "存在しない会社", "--clear")
    assert unknown.returncode == 1 and "会社が登録されていません" in unknown.stderr
    neither = cli("set-send-password", "--company", "◇◇設備 株式会社")
    assert neither.returncode == 2  # no --password(-stdin), no --clear, and no terminal to ask on
    assert "送信パスワードが指定されていません: --password-stdin で標準入力から渡すか" in neither.stderr
    both = cli("set-send-password", "--company", "◇◇設備 株式会社", "--password-stdin", "--clear", stdin="x\n")
    assert both.returncode == 2


async def test_cli_reads_the_send_password_from_stdin(service):
    made = cli("create-company", "--name", "◇◇電気 株式会社", "--address", "千葉県千葉市2")
    assert made.returncode == 0, made.stderr
    company_id = UUID(made.stdout.strip())
    assert not await accounts.company_has_send_password(service.pool, company_id)

    set_ = cli("set-send-password", "--company", "◇◇電気 株式会社", "--password-stdin", stdin="shonin 2024\n")
    assert (set_.returncode, set_.stdout.strip()) == (0, str(company_id)), set_.stderr
    async with service.pool.acquire() as conn:
        stored = await conn.fetchval("SELECT send_password_hash FROM company WHERE id = $1", company_id)
    assert verify_secret(stored, "shonin 2024")

    empty = cli("set-send-password", "--company", "◇◇電気 株式会社", "--password-stdin", stdin="")
    assert empty.returncode == 2 and "標準入力から送信パスワードを読めませんでした" in empty.stderr
    assert await accounts.company_has_send_password(service.pool, company_id)  # unchanged
