"""The orderer's acceptance loop on the real system: the orderer opens a certificate on its web pages and
records 差戻し, then 確認済; the contractor sees 発注者閲覧 and the latest decision (platform → application
events through the outbox); the events carry no key; a redelivery changes nothing."""

import asyncio
import json
import re
from datetime import date

import aio_pika
import httpx
import pytest

from deploy.demo import sample_form
from tests.conftest import eventually
from tests.e2e.test_pipeline import drain, issued_application, logged_in

pytestmark = pytest.mark.integration
TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"')


async def viewer_session(base_url: str, credentials: tuple[str, str]) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base_url, timeout=30)
    page = await client.get("/viewer/login")
    response = await client.post(
        "/viewer/login",
        data={"csrftoken": TOKEN.search(page.text).group(1), "login_id": credentials[0], "password": credentials[1]},
    )
    assert response.status_code == 303, response.text
    return client


async def test_orderer_review_reaches_the_contractor(system, accounts, tap):
    tap_queue, exchange = tap
    await drain(tap_queue)
    contractor = await logged_in(system.urls["application"], accounts["a"])
    app = await issued_application(contractor, sample_form(date.today()))
    number = next(c["contract_number"] for c in app["certificates"] if c["product"] == "advance_payment")
    detail = (await contractor.get(f"/contracts/{number}")).json()
    assert detail["orderer_review"] is None
    key = detail["auth_key"]

    orderer = await viewer_session(system.urls["platform"], accounts["kawasaki"])
    form = await orderer.get("/viewer/")
    opened = await orderer.post("/viewer/lookup", data={"csrftoken": TOKEN.search(form.text).group(1),
                                                        "contract_number": number, "auth_key": key})
    assert opened.status_code == 303
    page = await orderer.get(opened.headers["location"])
    token = TOKEN.search(page.text).group(1)
    returned = await orderer.post(f"/viewer/certificates/{number}/review",
                                  data={"csrftoken": token, "version": "0", "decision": "returned",
                                        "reason": "工期の記載を確認してください"})
    assert returned.status_code == 303

    async def contractor_sees(decision):
        overview = (await contractor.get(f"/contracts/{number}")).json()
        review = overview["orderer_review"]
        return review if review and review["decision"] == decision else None

    review = await eventually(lambda: contractor_sees("returned"), timeout=30)
    assert review["first_viewed_at"] and review["organisation_name"] == "川崎市"
    assert review["decision_reason"] == "工期の記載を確認してください" and review["decision_label"] == "差戻し"

    accepted = await orderer.post(f"/viewer/certificates/{number}/review",
                                  data={"csrftoken": token, "version": "0", "decision": "accepted", "reason": ""})
    assert accepted.status_code == 303
    review = await eventually(lambda: contractor_sees("accepted"), timeout=30)
    assert review["decision_label"] == "確認済" and review["decision_reason"] is None

    # The events on the exchange: one viewed, two reviewed; none carries the key.
    async def review_events():
        events = [e for e in await drain(tap_queue) if e.get("subject") == number]
        review_events.seen += events
        kinds = [e["type"] for e in review_events.seen]
        return kinds.count("jp.esurety.certificate.viewed.v1") == 1 and kinds.count("jp.esurety.certificate.reviewed.v1") == 2

    review_events.seen = []
    await eventually(review_events, timeout=30)
    assert all(key not in json.dumps(e, ensure_ascii=False) for e in review_events.seen)

    # A redelivered (older) decision changes nothing: the latest stands.
    old = next(e for e in review_events.seen if e["type"].endswith("reviewed.v1") and e["data"]["decision"] == "returned")
    await exchange.publish(aio_pika.Message(json.dumps(old).encode(), delivery_mode=2), routing_key=old["type"])
    copy = dict(old, id=old["id"][:-4] + "0000")  # a new id: past the inbox, still older than the latest
    await exchange.publish(aio_pika.Message(json.dumps(copy).encode(), delivery_mode=2), routing_key=copy["type"])
    await drain(tap_queue)
    await asyncio.sleep(1.5)
    assert (await contractor.get(f"/contracts/{number}")).json()["orderer_review"]["decision"] == "accepted"

    # The contractor's page shows both lines.
    portal = httpx.AsyncClient(base_url=system.urls["application"], timeout=30)
    login = await portal.get("/portal/login")
    await portal.post("/portal/login", data={"csrftoken": TOKEN.search(login.text).group(1),
                                             "login_id": accounts["a"][0], "password": accounts["a"][1]})
    shown = (await portal.get(f"/portal/contracts/{number}")).text
    assert re.search(r'id="orderer-viewed">令和\d+年\d+月\d+日 \d{2}:\d{2}（川崎市）<', shown)
    assert re.search(r'id="orderer-decision">確認済（令和\d+年\d+月\d+日 \d{2}:\d{2}）<', shown)
