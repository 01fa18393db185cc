"""Malformed input on the orderer API: 4xx in Japanese naming the field, never a 500 (issue 10)."""

import pytest

from tests.integration.platform.test_http import KEY

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    "body, path, rule",
    [
        ({"contract_number": "35072-\u000000001M", "auth_key": KEY}, "contract_number", "text_nul"),
        ({"contract_number": "35072-00001M", "auth_key": "\u0000"}, "auth_key", "text_nul"),
        ({"contract_number": "3" * 65, "auth_key": KEY}, "contract_number", "string_too_long"),
        ({"contract_number": "35072-00001M", "auth_key": KEY, "version": 10**30}, "version", "less_than_equal"),
        ({"contract_number": "35072-00001M", "auth_key": KEY, "version": 1.5}, "version", "int_from_float"),
    ],
)
async def test_a_lookup_it_cannot_read_is_422_naming_the_field(http, login_as, body, path, rule):
    headers = await login_as()
    response = await http.post("/certificates/lookup", json=body, headers=headers)
    assert response.status_code == 422, response.text
    problem = response.json()["problems"][0]
    assert (problem["path"], problem["rule"]) == (path, rule) and problem["message"].startswith(problem["label"])


async def test_login_with_a_nul_is_422(http):
    response = await http.post("/auth/login", json={"login_id": "a\u0000", "password": "x"})
    assert response.status_code == 422 and response.json()["problems"][0]["label"] == "利用者ID"


async def test_numbers_json_cannot_hold_are_refused(http, login_as):
    headers = {**(await login_as()), "content-type": "application/json"}
    for raw in (b'{"contract_number":"35072-00001M","auth_key":"k","version":1e400}',
                b'{"contract_number":"35072-00001M","auth_key":"k","version":NaN}'):
        response = await http.post("/certificates/lookup", content=raw, headers=headers)
        assert response.status_code == 422, response.text


async def test_unknown_routes_bodies_and_methods_in_japanese(http):
    assert (await http.get("/nothing")).json()["detail"].startswith("指定された URL はありません")
    assert (await http.delete("/auth/login")).json()["detail"].startswith("この URL では DELETE は使えません")
    huge = await http.post("/auth/login", json={"login_id": "x" * 300_000, "password": "x"})
    assert huge.status_code == 413 and huge.json()["detail"].startswith("リクエストの本文が大きすぎます")
    broken = await http.post("/auth/login", content=b'{"login_id":"\xff"}', headers={"content-type": "application/json"})
    assert broken.status_code == 400 and broken.json()["detail"].startswith("リクエストを読み取れませんでした")


async def test_a_bearer_token_left_unused_ends(platform, http, login_as):
    from shared.auth import token_digest

    headers = await login_as()
    digest = token_digest(headers["Authorization"].removeprefix("Bearer "))
    body = {"contract_number": "35072-00001M", "auth_key": KEY}
    await platform.pool.execute(
        "UPDATE access_tokens SET last_seen_at = now() - interval '61 minutes' WHERE token_digest = $1", digest
    )
    assert (await http.post("/certificates/lookup", json=body, headers=headers)).status_code == 401
