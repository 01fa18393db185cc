"""Drafts that start from an issued contract (a bid bond's result, a 中間前払金 against its 前払金), and
clearing a section of a draft (…をクリア), through the HTTP API on the real PostgreSQL and RabbitMQ."""

import uuid
from datetime import date

import pytest

from shared.events import BidBondLapsed, BidBondLapsedV1, Product
from tests.conftest import eventually
from tests.integration.application.conftest import certificate_issued, contract_number, publish, submitted_application
from tests.unit.application import forms
from tests.unit.application.forms import valid_form

pytestmark = pytest.mark.integration


def bid_bond_form() -> dict:
    """契約保証予約 alone, with the tender section the conversion copies."""
    form = forms.bid_bond_form()
    form["tender"] = {"order_type": "一般競争入札", "below_low_bid_price": False}
    return form


async def _issued(api, amqp, settings, contractor, form: dict, product: Product, **content) -> tuple[str, dict]:
    """A draft of `form` and an issued certificate of `product` for it, recorded in the read model."""
    created = await api.post("/applications", json=form, headers=contractor.headers)
    assert created.status_code == 201, created.text
    number = contract_number(product)
    event = certificate_issued(
        application_id=uuid.UUID(created.json()["id"]), company=contractor, product=product, number=number, **content
    )
    await publish(amqp, settings, event)

    async def recorded():
        rows = (await api.get("/contracts", headers=contractor.headers, params={"contract_number": number})).json()
        return rows[0] if rows else None

    return number, await eventually(recorded)


async def _bond(api, amqp, settings, contractor) -> tuple[str, dict]:
    return await _issued(
        api, amqp, settings, contractor, bid_bond_form(), Product.BID_BOND,
        guaranteed_amount=4_850_000, contract_amount=None, contract_date=None,
        bid_date=date(2023, 3, 1), bid_amount=48_500_000, clause="契約保証予約約款",
    )


async def test_a_won_bid_becomes_a_prefilled_draft(api, amqp, settings, contractor_a, contractor_b):
    number, row = await _bond(api, amqp, settings, contractor_a)
    assert (row["product_label"], row["status"], row["status_label"]) == ("契約保証予約（入札ボンド）", "issued", "発行済")
    assert row["contract_amount"] is None

    # Another company's bond is not found.
    other = await api.post(f"/contracts/{number}/bid-result", json={"won": True}, headers=contractor_b.headers)
    assert other.status_code == 404 and other.json()["detail"] == "契約保証予約（入札ボンド）の保証契約が見つかりません"

    won = await api.post(
        f"/contracts/{number}/bid-result",
        json={"won": True, "contract_amount": 48_000_001, "contract_date": "20230320", "award_date": "20230315"},
        headers=contractor_a.headers,
    )
    assert won.status_code == 201, won.text
    draft = won.json()
    assert draft["status"] == "draft" and draft["prepared_by"] is None
    form = draft["form"]
    expected_contract = bid_bond_form()["contract"] | {"contract_amount": 48_000_001, "contract_date": "20230320"}
    assert form["contract"] == expected_contract
    assert form["contract_guarantee"] == {
        "apply": True,
        "certificate_format": "electronic",
        "bid_bond_contract_number": number,
        "guaranteed_amount": 4_800_001,  # 10% of 48,000,001 rounded up to the yen
        "fee_payment_method": "一括納付",
        "fee_billing_to": "本社",
        "fee_statement_paper": "希望しない",
    }
    assert form["advance_payment"] == {"apply": True}
    assert form["tender"] == {"order_type": "一般競争入札", "below_low_bid_price": False, "award_date": "20230315"}
    assert form["information"] == valid_form()["information"]
    assert "bid_bond" not in form

    # The bond is converted, linked to the new application, and listed so.
    (bond,) = (await api.get("/contracts", headers=contractor_a.headers, params={"contract_number": number})).json()
    assert (bond["status"], bond["status_label"], bond["converted_application_id"]) == ("converted", "転換済", draft["id"])
    assert (await api.get(f"/applications/{draft['id']}", headers=contractor_a.headers)).status_code == 200

    # The result is recorded once.
    again = await api.post(f"/contracts/{number}/bid-result", json={"won": False}, headers=contractor_a.headers)
    assert again.status_code == 409 and "転換済" in again.json()["detail"]


async def test_a_lost_bid_lapses(api, amqp, settings, contractor_a):
    number, _ = await _bond(api, amqp, settings, contractor_a)
    told = await amqp.declare_queue(exclusive=True)
    await told.bind(f"{settings.bus_namespace}.events", routing_key=BidBondLapsedV1.event_type)
    lost = await api.post(f"/contracts/{number}/bid-result", json={"won": False}, headers=contractor_a.headers)
    assert lost.status_code == 200, lost.text
    # The surety company is told through the outbox: one BidBondLapsed for this bond.
    message = await eventually(lambda: told.get(fail=False), timeout=10)
    event = BidBondLapsed.model_validate_json(message.body)
    assert (event.subject, event.data.contract_number, event.data.contractor_company_id) == (
        number,
        number,
        contractor_a.company_id,
    )
    assert (lost.json()["contract_number"], lost.json()["status"], lost.json()["status_label"]) == (number, "lapsed", "失効")
    assert lost.json()["converted_application_id"] is None
    again = await api.post(f"/contracts/{number}/bid-result", json={"won": True}, headers=contractor_a.headers)
    assert again.status_code == 409 and "失効" in again.json()["detail"]


async def test_bid_result_only_on_a_bid_bond(api, amqp, settings, contractor_a):
    number, _ = await _issued(api, amqp, settings, contractor_a, valid_form(), Product.ADVANCE_PAYMENT)
    response = await api.post(f"/contracts/{number}/bid-result", json={"won": False}, headers=contractor_a.headers)
    assert response.status_code == 404
    malformed = await api.post(f"/contracts/{number}/bid-result", json={"won": "maybe"}, headers=contractor_a.headers)
    assert malformed.status_code == 422 and malformed.json()["problems"][0]["path"] == "won"


async def test_an_intermediate_advance_payment_starts_from_its_advance_payment(api, amqp, settings, contractor_a, contractor_b):
    sent = await submitted_application(api, contractor_a, valid_form())
    number = contract_number(Product.ADVANCE_PAYMENT)
    await publish(amqp, settings, certificate_issued(
        application_id=uuid.UUID(sent["id"]), company=contractor_a, product=Product.ADVANCE_PAYMENT, number=number
    ))

    async def started():
        response = await api.post(f"/contracts/{number}/intermediate-application", headers=contractor_a.headers)
        return response if response.status_code == 201 else None

    draft = (await eventually(started)).json()
    parent = (await api.get(f"/applications/{sent['id']}", headers=contractor_a.headers)).json()["form"]
    assert draft["status"] == "draft"
    assert draft["form"] == {
        "contract": parent["contract"],
        "intermediate_advance_payment": {
            "apply": True,
            "certificate_format": "electronic",
            "advance_payment_contract_number": number,
            "depository": parent["advance_payment"]["depository"],
        },
        "information": parent["information"],
    }
    other = await api.post(f"/contracts/{number}/intermediate-application", headers=contractor_b.headers)
    assert other.status_code == 404 and other.json()["detail"] == "前払金保証の保証契約が見つかりません"


async def test_an_intermediate_needs_an_advance_payment(api, amqp, settings, contractor_a):
    number, _ = await _issued(api, amqp, settings, contractor_a, valid_form(), Product.CONTRACT_GUARANTEE)
    response = await api.post(f"/contracts/{number}/intermediate-application", headers=contractor_a.headers)
    assert response.status_code == 404


async def test_clearing_a_section_keeps_the_rest(api, contractor_a):
    h = contractor_a.headers
    form = valid_form() | {"tender": {"order_type": "指名競争入札", "award_date": "20230315"}}
    app_id = (await api.post("/applications", json=form, headers=h)).json()["id"]
    assert (await api.post(f"/applications/{app_id}/confirm", headers=h)).json()["status"] == "confirmed"

    cleared = await api.delete(f"/applications/{app_id}/sections/contract_guarantee", headers=h)
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["status"] == "draft" and cleared.json()["problems"] == []
    assert cleared.json()["form"] == {k: v for k, v in form.items() if k != "contract_guarantee"}
    # Clearing an absent section is harmless; every named section can be cleared.
    for section in ("bid_bond", "tender", "intermediate_advance_payment", "advance_payment", "information", "contract"):
        assert (await api.delete(f"/applications/{app_id}/sections/{section}", headers=h)).status_code == 200
    assert (await api.get(f"/applications/{app_id}", headers=h)).json()["form"] == {}

    unknown = await api.delete(f"/applications/{app_id}/sections/site", headers=h)
    assert unknown.status_code == 404 and "「site」" in unknown.json()["detail"]
    missing = await api.delete(f"/applications/{uuid.uuid4()}/sections/contract", headers=h)
    assert missing.status_code == 404 and missing.json()["detail"] == "申込が見つかりません"

    sent = await submitted_application(api, contractor_a, valid_form())
    locked = await api.delete(f"/applications/{sent['id']}/sections/contract", headers=h)
    assert locked.status_code == 409 and locked.json()["detail"] == "送信済みの申込は変更できません（状態: 送信済）"
