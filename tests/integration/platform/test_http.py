"""The orderer HTTP API on the real database: login, lookup with 保証契約番号 + 認証キー, identical failures,
throttling, versions."""

import re
from datetime import timezone

import pytest
import structlog

from shared.auth import token_digest
from shared.events import CertificateContent, content_digest
from shared.japanese import jst_minute
from services.platform.handlers.certificates import record_arrival
from tests.integration.platform.conftest import PASSWORD, new_contract_number
from tests.unit.platform.samples import certificate, issued_event

pytestmark = pytest.mark.integration

KEY = "Z28YUE4J3Bux"
FAILED = {"detail": "保証契約番号または認証キーが正しくありません。"}
THROTTLED = {"detail": "認証に続けて失敗したため、しばらく時間をおいてから再度お試しください。"}


async def issue(platform, content: CertificateContent, key: str = KEY):
    event = issued_event(content, key)
    await record_arrival(platform.pool, event)
    return await platform.pool.fetchval(
        "SELECT arrived_at FROM certificate_versions WHERE contract_number = $1 AND version = $2",
        content.contract_number,
        content.version,
    )


async def test_login(http, login_as):
    await login_as()
    wrong = await http.post("/auth/login", json={"login_id": "nobody", "password": PASSWORD})
    assert wrong.status_code == 401
    assert wrong.json() == {"detail": "利用者IDまたはパスワードが正しくありません。"}


async def test_lookup_needs_a_login(http):
    response = await http.post("/certificates/lookup", json={"contract_number": "35072-00001M", "auth_key": KEY})
    assert response.status_code == 401
    assert response.json() == {"detail": "ログインしてください。"}
    bad = await http.post(
        "/certificates/lookup",
        json={"contract_number": "35072-00001M", "auth_key": KEY},
        headers={"Authorization": "Bearer not-a-token"},
    )
    assert bad.status_code == 401


async def test_lookup_with_the_key_shows_the_certificate(platform, http, login_as):
    headers = await login_as()
    content = certificate(new_contract_number())
    arrived_at = await issue(platform, content)

    response = await http.post(
        "/certificates/lookup",
        json={"contract_number": content.contract_number, "auth_key": KEY},
        headers={**headers, "X-Correlation-ID": "corr-lookup-1"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-correlation-id"] == "corr-lookup-1"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["contract_number"] == content.contract_number
    assert body["product"] == "advance_payment"
    assert body["product_label"] == "前払金保証"
    assert body["title"] == "保証証書（前払金保証）"
    assert body["version"] == 0 and body["version_label"] == "新規"
    assert body["certificate"] == content.model_dump(mode="json")
    # Provably the same content the contractor has: the digest recomputes from what was shown.
    assert body["content_digest"] == content_digest(content)
    assert content_digest(CertificateContent.model_validate(body["certificate"])) == body["content_digest"]
    assert body["display"]["guaranteed_amount"] == "20,000,000 円"
    assert body["display"]["contract_amount"] == "50,000,000 円"
    assert body["display"]["certificate_date"] == "令和05年04月27日"
    assert body["display"]["period"] == "令和05年04月28日 ～ 令和06年03月29日"
    assert body["display"]["obligee_name"] == "川崎市長"
    (entry,) = body["versions"]
    assert entry["no"] == 1 and entry["version"] == 0 and entry["label"] == "新規"
    assert entry["published_at"] == arrived_at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    assert entry["published_at_jst"] == jst_minute(arrived_at)
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}", entry["published_at_jst"])


async def test_versions_and_selecting_one(platform, http, login_as):
    headers = await login_as()
    number = new_contract_number()
    await issue(platform, certificate(number))
    amended = certificate(number, version=1).model_copy(update={"guaranteed_amount": 25_000_000})
    await issue(platform, amended)

    latest = (await http.post("/certificates/lookup", json={"contract_number": number, "auth_key": KEY}, headers=headers)).json()
    assert latest["version"] == 1 and latest["version_label"] == "変更-1"
    assert latest["display"]["guaranteed_amount"] == "25,000,000 円"
    assert [(v["no"], v["label"]) for v in latest["versions"]] == [(1, "新規"), (2, "変更-1")]

    first = (
        await http.post(
            "/certificates/lookup", json={"contract_number": number, "auth_key": KEY, "version": 0}, headers=headers
        )
    ).json()
    assert first["version_label"] == "新規"
    assert first["certificate"]["guaranteed_amount"] == 20_000_000
    assert len(first["versions"]) == 2

    missing = await http.post(
        "/certificates/lookup", json={"contract_number": number, "auth_key": KEY, "version": 7}, headers=headers
    )
    assert missing.status_code == 404
    assert missing.json() == {"detail": "指定された電子保証の版はありません。"}


async def test_wrong_key_unknown_number_and_other_orderer_look_the_same(platform, http, login_as):
    headers = await login_as()
    ours = certificate(new_contract_number())
    theirs = certificate(new_contract_number(), obligee_code="mishima-city")
    await issue(platform, ours)
    await issue(platform, theirs)

    attempts = [
        {"contract_number": ours.contract_number, "auth_key": "WRONGKEY2345"},
        {"contract_number": new_contract_number(), "auth_key": KEY},
        {"contract_number": theirs.contract_number, "auth_key": KEY},
    ]
    answers = [await http.post("/certificates/lookup", json=body, headers=headers) for body in attempts]
    assert [a.status_code for a in answers] == [404, 404, 404]
    assert [a.json() for a in answers] == [FAILED, FAILED, FAILED]
    assert len({a.content for a in answers}) == 1
    failures = await platform.pool.fetchval(
        "SELECT count(*) FROM lookup_failures WHERE contract_number = ANY($1::text[])",
        [a["contract_number"] for a in attempts],
    )
    assert failures == 3
    # The other orderer's own staff can open it with the same key.
    mishima = await login_as("mishima-city", "三島市")
    ok = await http.post(
        "/certificates/lookup", json={"contract_number": theirs.contract_number, "auth_key": KEY}, headers=mishima
    )
    assert ok.status_code == 200


async def test_throttled_after_five_failures_even_with_the_right_key(platform, http, login_as):
    headers = await login_as()
    content = certificate(new_contract_number())
    await issue(platform, content)
    wrong = {"contract_number": content.contract_number, "auth_key": "WRONGKEY2345"}
    right = {"contract_number": content.contract_number, "auth_key": KEY}

    for _ in range(5):
        answer = await http.post("/certificates/lookup", json=wrong, headers=headers)
        assert answer.status_code == 404
    sixth = await http.post("/certificates/lookup", json=right, headers=headers)
    assert sixth.status_code == 429
    assert sixth.json() == THROTTLED
    assert 890 <= int(sixth.headers["retry-after"]) <= 900
    pdf = await http.post("/certificates/pdf", json=right, headers=headers)
    assert pdf.status_code == 429

    # Another user of the same orderer is not affected.
    colleague = await login_as()
    assert (await http.post("/certificates/lookup", json=right, headers=colleague)).status_code == 200

    # Once the window has passed, the right key works again.
    await platform.pool.execute(
        "UPDATE lookup_failures SET failed_at = failed_at - interval '16 minutes'"
        " WHERE user_id = (SELECT user_id FROM access_tokens WHERE token_digest = $1)",
        token_digest(headers["Authorization"].removeprefix("Bearer ")),
    )
    again = await http.post("/certificates/lookup", json=right, headers=headers)
    assert again.status_code == 200


async def test_the_correlation_id_is_on_every_log_line_of_the_request(platform, http, login_as):
    headers = await login_as()
    content = certificate(new_contract_number())
    await issue(platform, content)
    with structlog.testing.capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
        response = await http.post(
            "/certificates/lookup",
            json={"contract_number": content.contract_number, "auth_key": "WRONGKEY2345"},
            headers={**headers, "X-Correlation-ID": "corr-failed-lookup"},
        )
    assert response.status_code == 404
    assert response.headers["x-correlation-id"] == "corr-failed-lookup"
    failed = [line for line in logs if line["event"] == "certificate lookup failed"]
    assert failed and failed[0]["correlation_id"] == "corr-failed-lookup"
    assert failed[0]["organisation"] == "kawasaki-city"

    generated = await http.post("/certificates/lookup", json={"contract_number": "x", "auth_key": "y"}, headers=headers)
    assert len(generated.headers["x-correlation-id"]) == 36  # a new uuid when none was given
    assert "correlation_id" not in structlog.contextvars.get_contextvars()
    assert "login_id" not in structlog.contextvars.get_contextvars()
