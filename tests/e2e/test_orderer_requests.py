"""Orderer-started requests on the real system: 川崎市 opens the contractor's certificate on its web pages,
sends a 変更依頼 and a 解除確認 from the certificate view; the contractor finds both on 全体トップ (お知らせ)
and in the contract's detail, the surety company lists both (`list-orderer-requests`); the events name the
organisation only and carry no key; an orderer that never opened the certificate cannot send one."""

import re
from datetime import date

import httpx
import pytest

from deploy.demo import sample_form
from services.issuance.handlers.orderer_requests import list_orderer_requests
from shared.events import AmendmentRequestedV1, ReleaseRequestedV1
from tests.conftest import eventually
from tests.e2e.test_orderer_review import TOKEN, viewer_session
from tests.e2e.test_pipeline import drain, issued_application, logged_in

pytestmark = pytest.mark.integration

CHANGE = "工期を令和8年3月31日まで延長したため、保証期限の変更をお願いします。"


async def test_orderer_requests_reach_the_contractor_and_the_surety_company(system, accounts, tap):
    tap_queue, _ = tap
    await drain(tap_queue)
    contractor = await logged_in(system.urls["application"], accounts["a"])
    form = sample_form(date.today())
    form["contract"]["construction_name"] = "依頼確認（e2e）工事"
    app = await issued_application(contractor, form)
    number = next(c["contract_number"] for c in app["certificates"] if c["product"] == "advance_payment")
    key = (await contractor.get(f"/contracts/{number}")).json()["auth_key"]
    base = f"/viewer/certificates/{number}"

    # 三島市 has never opened it (and it is not its certificate): refused, as an unknown certificate.
    mishima = await viewer_session(system.urls["platform"], accounts["mishima"])
    token = TOKEN.search((await mishima.get("/viewer/")).text).group(1)
    refused = await mishima.post(f"{base}/amendment-request",
                                 data={"csrftoken": token, "version": "0", "amendment_message": "変更してください"})
    assert refused.status_code == 404

    orderer = await viewer_session(system.urls["platform"], accounts["kawasaki"])
    token = TOKEN.search((await orderer.get("/viewer/")).text).group(1)
    opened = await orderer.post("/viewer/lookup", data={"csrftoken": token, "contract_number": number, "auth_key": key})
    assert opened.status_code == 303
    page = await orderer.get(opened.headers["location"])
    token = TOKEN.search(page.text).group(1)
    asked = await orderer.post(f"{base}/amendment-request",
                               data={"csrftoken": token, "version": "0", "amendment_message": CHANGE})
    assert asked.status_code == 303, asked.text
    confirmed = await orderer.post(f"{base}/release-request", data={
        "csrftoken": token, "version": "0", "release_grounds": ["construction_completed", "advance_settled"],
        "release_note": "完成検査済み"})
    assert confirmed.status_code == 303, confirmed.text
    listed = (await orderer.get(confirmed.headers["location"])).text
    assert "解除確認を送信しました" in listed and CHANGE in listed

    # The contractor: the contract's detail (JSON API) and 全体トップ.
    async def both_on_the_contract():
        requests = (await contractor.get(f"/contracts/{number}")).json()["orderer_requests"]
        return requests if len(requests) == 2 else None

    requests = await eventually(both_on_the_contract, timeout=30)
    assert [(r["kind_label"], r["organisation_name"], r["message"], r["ground_labels"]) for r in requests] == [
        ("解除確認", "川崎市", "完成検査済み", ["工事完成", "前払金精算済"]),
        ("変更依頼", "川崎市", CHANGE, []),
    ]
    portal = await portal_session(system.urls["application"], accounts["a"])
    top = (await portal.get("/portal/")).text
    notices = re.search(r'<table class="table" id="orderer-notices">.*?</table>', top, re.S).group(0)
    assert notices.count(f'<a href="/portal/contracts/{number}">{number}</a>') == 2
    assert "依頼確認（e2e）工事" in notices and CHANGE in notices and "工事完成・前払金精算済のため" in notices
    # Another company's 全体トップ shows none of it.
    other = await portal_session(system.urls["application"], accounts["b"])
    assert number not in (await other.get("/portal/")).text

    # The surety company.
    issuance = system.contexts["issuance"]

    async def both_at_the_surety_company():
        found = await list_orderer_requests(issuance.pool, number)
        return found if len(found) == 2 else None

    found = await eventually(both_at_the_surety_company, timeout=30)
    assert [r["kind"] for r in found] == ["release", "amendment"]
    assert {r["request_id"] for r in found} == {r["request_id"] for r in requests}

    # On the exchange: one event each, the organisation only, no key, nothing but the declared fields.
    seen = []

    async def request_events():
        seen.extend(e for e in await drain(tap_queue) if e.get("subject") == number
                    and e["type"] in (AmendmentRequestedV1.event_type, ReleaseRequestedV1.event_type))
        return len(seen) == 2

    await eventually(request_events, timeout=30)
    for event in seen:
        model = AmendmentRequestedV1 if event["type"] == AmendmentRequestedV1.event_type else ReleaseRequestedV1
        assert set(event["data"]) == set(model.model_fields), event["data"]
        assert event["data"]["organisation_name"] == "川崎市" and key not in str(event)
    for client in (contractor, mishima, orderer, portal, other):
        await client.aclose()


async def portal_session(base_url: str, credentials: tuple[str, str]):
    """A Net Desk page session (cookie + CSRF), logged in."""
    client = httpx.AsyncClient(base_url=base_url, timeout=30)
    login = await client.get("/portal/login")
    response = await client.post("/portal/login", data={
        "csrftoken": TOKEN.search(login.text).group(1), "login_id": credentials[0], "password": credentials[1]})
    assert response.status_code == 303, response.text
    return client
