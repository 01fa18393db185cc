"""変更依頼 and 解除確認 through the orderer JSON API, on the real database: the same handler as the viewer's
forms (stored, its event in the outbox), a refusal answered 422 with the field and the rule in Japanese,
404 without the 保証確認台帳 entry, 401 without a login; and no request on a guarantee that has ended
(期間満了 / 解約), on the API and on the page, where the forms give way to a note."""

import uuid
from datetime import date

import pytest

from services.platform.handlers import status
from tests.integration.platform.conftest import new_contract_number
from tests.integration.platform.test_http import KEY, issue
from tests.integration.platform.test_orderer_requests import outbox_events
from tests.integration.platform.test_status import cancelled
from tests.integration.platform.test_viewer_pages import staff  # noqa: F401 (the fixture)
from tests.samples import sample_certificate_content

pytestmark = pytest.mark.integration


async def held(platform, http, headers) -> str:
    """A certificate in the organisation's 保証確認台帳 (opened once with its key through the API)."""
    content = sample_certificate_content(contract_number=new_contract_number())
    await issue(platform, content)
    opened = await http.post("/certificates/lookup", json={"contract_number": content.contract_number, "auth_key": KEY},
                             headers=headers)
    assert opened.status_code == 200, opened.text
    return content.contract_number


async def test_both_requests_through_the_api(platform, http, login_as):
    headers = await login_as()
    number = await held(platform, http, headers)

    asked = await http.post(f"/certificates/{number}/amendment-requests",
                            json={"version": 0, "message": "保証期限を令和9年3月31日に変更してください"}, headers=headers)
    assert asked.status_code == 201, asked.text
    assert asked.json()["kind"] == "amendment"
    [event] = await outbox_events(platform, uuid.UUID(asked.json()["request_id"]))
    assert event["routing_key"] == "jp.esurety.amendment.requested.v1"
    assert event["data"]["message"] == "保証期限を令和9年3月31日に変更してください"

    released = await http.post(f"/certificates/{number}/release-requests",
                               json={"version": 0, "grounds": ["construction_completed", "advance_settled"],
                                     "note": "完成検査済み"}, headers=headers)
    assert released.status_code == 201, released.text
    [event] = await outbox_events(platform, uuid.UUID(released.json()["request_id"]))
    assert event["data"]["grounds"] == ["construction_completed", "advance_settled"]


async def test_refusals_name_the_field_and_the_rule(platform, http, login_as):
    headers = await login_as()
    number = await held(platform, http, headers)

    blank = await http.post(f"/certificates/{number}/amendment-requests", json={"version": 0, "message": "  "},
                            headers=headers)
    assert blank.status_code == 422
    assert blank.json()["problems"] == [{"path": "message", "label": "変更してほしい内容", "rule": "request_rule",
                                         "message": "変更してほしい内容を入力してください。"}]
    none = await http.post(f"/certificates/{number}/release-requests", json={"version": 0, "grounds": []},
                           headers=headers)
    assert none.status_code == 422 and none.json()["problems"][0]["path"] == "grounds"
    unknown = await http.post(f"/certificates/{number}/release-requests",
                              json={"version": 0, "grounds": ["paid"]}, headers=headers)
    assert unknown.status_code == 422 and unknown.json()["problems"][0]["path"] == "grounds"
    too_long = await http.post(f"/certificates/{number}/amendment-requests",
                               json={"version": 0, "message": "あ" * 2001}, headers=headers)
    assert too_long.status_code == 422 and too_long.json()["problems"][0]["path"] == "message"

    # Another organisation (it never opened the certificate) and nobody logged in.
    other = await login_as("yokohama-city", "横浜市")
    foreign = await http.post(f"/certificates/{number}/amendment-requests", json={"version": 0, "message": "変更"},
                              headers=other)
    assert foreign.status_code == 404
    anonymous = await http.post(f"/certificates/{number}/amendment-requests", json={"version": 0, "message": "変更"})
    assert anonymous.status_code == 401
    assert await platform.pool.fetchval("SELECT count(*) FROM orderer_requests WHERE contract_number = $1", number) == 0


async def test_no_request_on_an_ended_guarantee(platform, http, login_as, staff):  # noqa: F811
    kawasaki = await staff(display="契約課 佐藤")
    headers = await login_as()
    number = await held(platform, http, headers)
    assert (await kawasaki.lookup(number, KEY)).status_code == 303
    before = await kawasaki.get(f"/viewer/certificates/{number}")
    assert "変更依頼を送信する" in before.text and 'id="requests-ended"' not in before.text

    await status.on_certificate_cancelled(platform.pool, cancelled(number, date(2026, 11, 30)))
    refused = "この保証は解約（令和8年11月30日）となっているため、変更依頼・解除確認は送信できません。"
    asked = await http.post(f"/certificates/{number}/amendment-requests", json={"version": 0, "message": "変更"},
                            headers=headers)
    assert asked.status_code == 422 and asked.json()["problems"][0]["message"] == refused
    released = await http.post(f"/certificates/{number}/release-requests",
                               json={"version": 0, "grounds": ["construction_completed"]}, headers=headers)
    assert released.status_code == 422 and released.json()["problems"][0]["path"] == "grounds"

    page = await kawasaki.get(f"/viewer/certificates/{number}")
    assert page.status_code == 200 and refused in page.text and "変更依頼を送信する" not in page.text
    assert await platform.pool.fetchval("SELECT count(*) FROM orderer_requests WHERE contract_number = $1", number) == 0
