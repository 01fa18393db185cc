"""申込作成 > 申込確認 > 送信完了 through the HTTP API on the real PostgreSQL and RabbitMQ:
exactly one ApplicationSubmitted reaches the exchange even when 送信完了 is pressed twice."""

import asyncio
import uuid

import aio_pika
import pytest

from shared.events import ApplicationSubmitted, ApplicationSubmittedV1
from tests.conftest import eventually
from tests.unit.application.forms import valid_form

pytestmark = pytest.mark.integration


@pytest.fixture
async def submitted_events(amqp, settings):
    """A queue of our own bound to <ns>.events for ApplicationSubmitted, as an integrator would bind one."""
    exchange = await amqp.get_exchange(f"{settings.bus_namespace}.events")
    queue = await amqp.declare_queue(exclusive=True, auto_delete=True)
    await queue.bind(exchange, routing_key=ApplicationSubmittedV1.event_type)
    received: list[aio_pika.abc.AbstractIncomingMessage] = []

    async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        received.append(message)
        await message.ack()

    await queue.consume(collect)
    return received


async def test_draft_confirm_submit_emits_exactly_one_event(api, contractor_a, submitted_events, service):
    h = contractor_a.headers
    # 申込作成: a draft keeps whatever was entered, even an invalid amount.
    draft = {"contract": {"construction_name": "河川維持（○○）工事", "contract_amount": "1.5"}, "unknown": 1}
    created = await api.post("/applications", json=draft, headers=h)
    assert created.status_code == 201
    app = created.json()
    app_id = app["id"]
    assert app["status"] == "draft"
    assert app["form"] == {"contract": {"construction_name": "河川維持（○○）工事", "contract_amount": "1.5"}}
    assert app["problems"] == [] and app["certificates"] == [] and app["correlation_id"] is None

    # 申込確認 of the draft: every problem at once.
    confirmation = (await api.post(f"/applications/{app_id}/confirm", headers=h)).json()
    assert confirmation["ok"] is False and confirmation["status"] == "draft"
    assert {p["path"] for p in confirmation["problems"]} >= {
        "contract.contract_amount", "contract.orderer_code", "products", "information.branch"
    }
    amount = next(p for p in confirmation["problems"] if p["path"] == "contract.contract_amount")
    # The wording is the domain's; the field (label + path), the rule and the severity are the contract.
    assert (amount["label"], amount["rule"], amount["severity"]) == ("請負金額", "amount", "error")
    assert "請負金額（contract.contract_amount）" in amount["message"]
    shown = (await api.get(f"/applications/{app_id}", headers=h)).json()
    assert shown["problems"] == confirmation["problems"]

    # Submitting an invalid application is refused with the problems.
    refused = await api.post(f"/applications/{app_id}/submit", headers=h)
    assert refused.status_code == 422
    assert refused.json()["detail"] == "申込内容に誤りがあります。problems を確認して修正してください"
    assert any(p["rule"] == "amount" for p in refused.json()["problems"])

    # Replace the form (half-width depository), confirm: ok, converted, ratios.
    form = valid_form()
    form["advance_payment"]["depository"] = "ﾐｽﾞﾎ銀行 ｼﾌﾞﾔ支店"
    replaced = await api.put(f"/applications/{app_id}", json=form, headers=h)
    assert replaced.status_code == 200 and replaced.json()["status"] == "draft"
    confirmation = (await api.post(f"/applications/{app_id}/confirm", headers=h)).json()
    assert confirmation["ok"] is True and confirmation["problems"] == [] and confirmation["status"] == "confirmed"
    assert confirmation["ratios"]["advance_payment"]["percent"] == "40.0%"
    assert confirmation["ratios"]["advance_payment"]["against_label"] == "請負金額"
    assert confirmation["ratios"]["contract_guarantee"]["percent"] == "10.0%"
    shown = (await api.get(f"/applications/{app_id}", headers=h)).json()
    assert shown["status"] == "confirmed"
    assert shown["form"]["advance_payment"]["depository"] == "ミズホ銀行　シブヤ支店"

    # 送信完了 twice at once, then once more: one filing.
    correlation_id = f"test-{uuid.uuid4()}"
    first, second = await asyncio.gather(
        api.post(f"/applications/{app_id}/submit", headers=h | {"X-Correlation-ID": correlation_id}),
        api.post(f"/applications/{app_id}/submit", headers=h | {"X-Correlation-ID": "another-one"}),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 202]
    expected = {"id": app_id, "status": "submitted", "correlation_id": correlation_id}
    winner = first if first.status_code == 202 else second
    if winner is second:  # the second request won the race: its header is the correlation id
        expected["correlation_id"] = "another-one"
    assert first.json() == expected and second.json() == expected
    third = await api.post(f"/applications/{app_id}/submit", headers=h)
    assert (third.status_code, third.json()) == (200, expected)

    # Once submitted, the form cannot change.
    locked = await api.put(f"/applications/{app_id}", json=form, headers=h)
    assert locked.status_code == 409
    assert locked.json() == {"detail": "送信済みの申込は変更できません（状態: 送信済）"}

    def mine():
        return [m for m in submitted_events if ApplicationSubmitted.model_validate_json(m.body).subject == app_id]

    (message,) = await eventually(mine)
    event = ApplicationSubmitted.model_validate_json(message.body)
    assert event.type == "jp.esurety.application.submitted.v1" and event.source == "/esurety/application"
    assert event.correlationid == expected["correlation_id"] == message.correlation_id
    assert message.content_type == "application/cloudevents+json"
    assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
    d = event.data
    assert str(d.application_id) == app_id
    assert (d.contractor.company_id, d.contractor.name) == (contractor_a.company_id, "○○建設 株式会社")
    assert d.contract.contract_amount == 50_000_000 and d.contract.orderer_name == "川崎市長"
    assert [(p.product.value, p.guaranteed_amount) for p in d.products] == [
        ("advance_payment", 20_000_000), ("contract_guarantee", 5_000_000)
    ]
    assert d.products[0].depository == "ミズホ銀行　シブヤ支店"
    assert (d.branch, d.notification.wanted, d.notification.email) == ("川崎支店", True, "soumu@example.jp")

    # Give the relay time to publish anything else it might (it polls every second): nothing more comes.
    await asyncio.sleep(2.5)
    assert len(mine()) == 1
    assert await service.pool.fetchval(
        "SELECT count(*) FROM outbox WHERE convert_from(body, 'UTF8') LIKE '%' || $1 || '%'", app_id
    ) == 1

    shown = (await api.get(f"/applications/{app_id}", headers=h)).json()
    assert shown["status"] == "submitted" and shown["correlation_id"] == expected["correlation_id"]
    assert shown["submitted_at"] is not None


async def test_submit_without_header_gets_a_new_correlation_id(api, contractor_a):
    sent = await api.post("/applications", json=valid_form(), headers=contractor_a.headers)
    body = (await api.post(f"/applications/{sent.json()['id']}/submit", headers=contractor_a.headers)).json()
    assert uuid.UUID(body["correlation_id"]).version == 4


async def test_list_is_own_and_newest_first(api, contractor_a):
    ids = [(await api.post("/applications", json={}, headers=contractor_a.headers)).json()["id"] for _ in range(2)]
    listed = [a["id"] for a in (await api.get("/applications", headers=contractor_a.headers)).json()]
    assert listed[:2] == ids[::-1]


async def test_a_paper_certificate_needs_the_receipt_method(api, contractor_a):
    form = valid_form()
    form["advance_payment"]["certificate_format"] = "paper"
    app_id = (await api.post("/applications", json=form, headers=contractor_a.headers)).json()["id"]
    body = (await api.post(f"/applications/{app_id}/confirm", headers=contractor_a.headers)).json()
    assert body["ok"] is False and body["status"] == "draft"
    assert [p["path"] for p in body["problems"]] == ["information.receipt_method"]
    form["information"] |= {"receipt_method": "当社窓口", "visit_at": "2023-04-10 14:00"}
    await api.put(f"/applications/{app_id}", json=form, headers=contractor_a.headers)
    body = (await api.post(f"/applications/{app_id}/confirm", headers=contractor_a.headers)).json()
    assert body["ok"] is True and body["status"] == "confirmed", body["problems"]


async def test_a_section_of_the_wrong_shape_is_a_japanese_422(api, contractor_a):
    response = await api.post("/applications", json={"contract": "工事"}, headers=contractor_a.headers)
    assert response.status_code == 422
    assert response.json()["detail"] == "入力内容に誤りがあります。"
    (problem,) = response.json()["problems"]
    assert problem["path"] == "contract" and problem["message"] == "請負工事の情報の形式が正しくありません。"
