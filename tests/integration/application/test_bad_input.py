"""Malformed and hostile input on the contractor API: every one ends as a 4xx in Japanese naming the field
and the rule, and nothing already stored is lost (issue 10, classes 3–7)."""

import httpx
import pytest

from tests.integration.application.test_portal_pages import csrf
from tests.unit.application.forms import valid_form

pytestmark = pytest.mark.integration

JSON = {"content-type": "application/json"}


def _only_problem(response) -> dict:
    body = response.json()
    assert isinstance(body["detail"], str) and body["problems"], body
    return body["problems"][0]


@pytest.mark.parametrize(
    "raw, path",
    [
        (b'{"contract":{"contract_amount":1e400}}', "contract.contract_amount"),
        (b'{"contract":{"contract_amount":NaN}}', "contract.contract_amount"),
        (b'{"contract":{"contract_amount":-Infinity}}', "contract.contract_amount"),
        (b'{"contract":{"contract_amount":100000000000000000000}}', "contract.contract_amount"),
        (b'{"contract":{"construction_name":"a\\u0000b"}}', "contract.construction_name"),
        (b'{"contract":{"construction_name":"\\ud800"}}', "contract.construction_name"),
        (b'{"contract":{"construction_name":{"nested":[1,2]}}}', "contract.construction_name"),
        (b'{"information":{"contact":{"name":"a\\u0000"}}}', "information.contact.name"),
    ],
)
async def test_unstorable_values_are_refused_by_field_and_nothing_is_stored(api, contractor_a, raw, path):
    before = await api.get("/applications", headers=contractor_a.headers)
    refused = await api.post("/applications", headers={**contractor_a.headers, **JSON}, content=raw)
    assert refused.status_code == 422, refused.text
    problem = _only_problem(refused)
    assert problem["path"] == path and problem["label"] and f"（{path}）" in problem["message"]
    after = await api.get("/applications", headers=contractor_a.headers)
    assert len(after.json()) == len(before.json())


async def test_a_refused_edit_keeps_the_draft_as_it_was(api, contractor_a):
    draft = await api.post("/applications", headers=contractor_a.headers, json=valid_form())
    form = valid_form()
    form["contract"]["construction_name"] = "工" * 101
    refused = await api.put(f"/applications/{draft.json()['id']}", headers=contractor_a.headers, json=form)
    assert refused.status_code == 422
    problem = _only_problem(refused)
    assert problem["rule"] == "too_long"
    assert problem["message"] == "工事名（contract.construction_name）は100文字以内で入力してください（現在 101文字）"
    kept = await api.get(f"/applications/{draft.json()['id']}", headers=contractor_a.headers)
    assert kept.json()["form"]["contract"]["construction_name"] == "河川維持（○○）工事"


async def test_a_huge_body_is_refused_at_the_edge(api, contractor_a):
    huge = {"contract": {"site": "x" * 10_500_000}}
    refused = await api.post("/applications", headers=contractor_a.headers, json=huge)
    assert refused.status_code == 413
    assert refused.json() == {"detail": "リクエストの本文が大きすぎます（上限 256 KB）。"}
    long_name = {"contract": {"construction_name": "工" * 100_000}}
    assert (await api.post("/applications", headers=contractor_a.headers, json=long_name)).status_code == 413
    # Under the body limit but over the field's: 422 naming the field.
    name = {"contract": {"construction_name": "工" * 20_000}}
    refused = await api.post("/applications", headers=contractor_a.headers, json=name)
    assert refused.status_code == 422 and _only_problem(refused)["path"] == "contract.construction_name"


@pytest.mark.parametrize(
    "text, named",
    [
        ("河川\u202egnp.exe工事", "書式制御文字（U+202E）"),
        ("河川\u001b[31m工事", "ESC（U+001B）"),
        ("河川😀工事", "「😀」（U+1F600）"),
        ("𠮷野川改修工事", "「𠮷」（U+20BB7）"),
        ("河川\u200b工事", "ゼロ幅スペース（U+200B）"),
        ("河川\ue000工事", "使用できない文字（U+E000）"),
    ],
)
async def test_characters_a_certificate_cannot_print_are_refused_at_confirmation(api, contractor_a, text, named):
    form = valid_form()
    form["contract"]["construction_name"] = text
    draft = await api.post("/applications", headers=contractor_a.headers, json=form)
    assert draft.status_code == 201, draft.text  # a draft keeps what was typed
    confirmed = await api.post(f"/applications/{draft.json()['id']}/confirm", headers=contractor_a.headers)
    problems = [p for p in confirmed.json()["problems"] if p["path"] == "contract.construction_name"]
    assert [p["rule"] for p in problems] == ["characters"]
    assert named in problems[0]["message"] and problems[0]["message"].startswith("工事名（contract.construction_name）")


@pytest.mark.parametrize("text", ["髙橋建設工業㈱ ①工区", "﨑山トンネル〜その２−工事", "ＡＢＣ道路改良工事"])
async def test_characters_of_company_names_in_jis_are_accepted(api, contractor_a, text):
    form = valid_form()
    form["contract"]["construction_name"] = text
    draft = await api.post("/applications", headers=contractor_a.headers, json=form)
    confirmed = await api.post(f"/applications/{draft.json()['id']}/confirm", headers=contractor_a.headers)
    assert confirmed.json()["ok"] is True, confirmed.json()["problems"]


async def test_line_breaks_only_where_the_field_has_lines(api, contractor_a):
    form = valid_form()
    form["information"]["message_to_company"] = "一行目\r\n二行目"
    form["contract"]["site"] = "川崎市\n川崎区"
    draft = await api.post("/applications", headers=contractor_a.headers, json=form)
    confirmed = await api.post(f"/applications/{draft.json()['id']}/confirm", headers=contractor_a.headers)
    paths = {p["path"]: p["rule"] for p in confirmed.json()["problems"]}
    assert paths == {"contract.site": "characters"}


async def test_amounts_have_a_ceiling_that_every_service_can_store(api, contractor_a):
    form = valid_form()
    form["contract"]["contract_amount"] = 10**13
    draft = await api.post("/applications", headers=contractor_a.headers, json=form)
    assert draft.status_code == 201
    confirmed = await api.post(f"/applications/{draft.json()['id']}/confirm", headers=contractor_a.headers)
    problem = next(p for p in confirmed.json()["problems"] if p["path"] == "contract.contract_amount")
    assert problem["message"] == "請負金額（contract.contract_amount）は999,999,999,999 円以下で入力してください"


@pytest.mark.parametrize(
    "query, path, rule",
    [
        ("construction_name=%00", "construction_name", "text_nul"),
        ("contract_number=%00", "contract_number", "text_nul"),
        ("period_from=0", "period_from", "date_format"),
        ("period_to=2023-02-30", "period_to", "date_value"),
        ("construction_name=" + "a" * 101, "construction_name", "string_too_long"),
    ],
)
async def test_bad_query_parameters_are_422_naming_the_parameter(api, contractor_a, query, path, rule):
    response = await api.get(f"/contracts?{query}", headers=contractor_a.headers)
    assert response.status_code == 422
    problem = _only_problem(response)
    assert (problem["path"], problem["rule"]) == (path, rule)


async def test_dates_in_queries_as_people_write_them(api, contractor_a):
    for query in ("period_from=2023-03-20", "period_from=20230320"):
        assert (await api.get(f"/contracts?{query}", headers=contractor_a.headers)).status_code == 200


@pytest.mark.parametrize(
    "body",
    [{"login_id": "a\u0000b", "password": "x"}, {"login_id": "a", "password": "x\u0000"}, {"login_id": "a" * 65, "password": "x"}],
)
async def test_login_with_unstorable_text_is_422(api, body):
    response = await api.post("/auth/login", json=body)
    assert response.status_code == 422
    assert _only_problem(response)["label"] in ("ログインID", "パスワード")


@pytest.mark.parametrize(
    "raw, content_type",
    [
        (b'{"contract":{"construction_name":"\xff"}}', "application/json"),  # not UTF-8
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),  # nested too deep
    ],
)
async def test_unreadable_bodies_are_400_in_japanese(api, contractor_a, raw, content_type):
    response = await api.post("/applications", headers={**contractor_a.headers, "content-type": content_type}, content=raw)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("リクエストを読み取れませんでした")


@pytest.mark.parametrize("raw, content_type", [(b"[1]", "application/json"), (b"hello", "text/plain")])
async def test_a_body_that_is_not_an_object_says_what_to_send(api, contractor_a, raw, content_type):
    response = await api.post("/applications", headers={**contractor_a.headers, "content-type": content_type}, content=raw)
    assert response.status_code == 422
    problem = _only_problem(response)
    assert problem["label"] == "リクエストの本文" and "JSON のオブジェクト" in problem["message"]


async def test_unknown_routes_and_methods_are_answered_in_japanese(api, contractor_a):
    missing = await api.get("/nothing-here", headers=contractor_a.headers)
    assert missing.status_code == 404 and missing.json()["detail"].startswith("指定された URL はありません")
    wrong = await api.delete("/auth/login")
    assert wrong.status_code == 405 and wrong.json()["detail"] == "この URL では DELETE は使えません（使えるメソッド: POST）。"
    assert wrong.headers["allow"] == "POST"


async def test_the_login_page_names_a_field_it_cannot_read(service):
    transport = httpx.ASGITransport(app=service.http_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://netdesk") as client:
        page = await client.get("/portal/login")
        refused = await client.post(
            "/portal/login", data={"csrftoken": csrf(page.text), "login_id": "a\x00b", "password": "x"}
        )
    assert refused.status_code == 400
    assert "ログインIDに使えない文字（NUL などの制御文字）が含まれています。" in refused.text


async def test_company_names_from_the_cli_follow_the_character_policy(contractor_a):
    from services.application.entrypoints.cli import create_company
    from shared.text_policy import TextRefused
    from tests.conftest import TEST_DATABASE_URL

    with pytest.raises(TextRefused, match=r"会社名に使えない文字が含まれています: 書式制御文字（U\+202E）"):
        await create_company("○○\u202e建設", "川崎市", database_url=TEST_DATABASE_URL)
    with pytest.raises(TextRefused, match="住所は120文字以内"):
        await create_company("○○建設二", "川" * 121, database_url=TEST_DATABASE_URL)
