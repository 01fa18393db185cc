"""変更申込 (issue 13) on the contractor side: started from an issued guarantee, pre-filled from its latest
version, checked with the same rules on the new figures plus a change's own, and sent as an
ApplicationSubmitted with `amendment` — on the real PostgreSQL and RabbitMQ."""

import uuid
from datetime import date

import pytest

from shared.events import ApplicationSubmitted, Product
from tests.conftest import eventually
from tests.integration.application.conftest import certificate_issued, contract_number, publish, submitted_application
from tests.integration.application.test_submit_flow import submitted_events  # noqa: F401  (fixture)
from tests.unit.application.forms import valid_form

pytestmark = pytest.mark.integration

# The content as issued for valid_form()'s 前払金保証.
ISSUED = dict(
    construction_name="河川維持（○○）工事",
    contract_amount=50_000_000,
    guaranteed_amount=20_000_000,
    period_start=date(2023, 4, 1),
    period_end=date(2024, 3, 29),
    guarantee_expiry=date(2024, 3, 29),
    contract_date=date(2023, 3, 20),
    depository="〇〇銀行　××支店",
)


async def _issued_advance_payment(api, amqp, settings, contractor, *, version: int = 0, **changes) -> str:
    sent = await submitted_application(api, contractor, valid_form())
    number = contract_number(Product.ADVANCE_PAYMENT)
    await _publish_version(amqp, settings, contractor, sent["id"], number, version, **changes)
    return number


async def _publish_version(amqp, settings, contractor, application_id, number, version, **changes):
    content = ISSUED | changes
    amount = content.pop("guaranteed_amount")
    await publish(amqp, settings, certificate_issued(
        application_id=uuid.UUID(str(application_id)), company=contractor, product=Product.ADVANCE_PAYMENT,
        number=number, guaranteed_amount=amount, version=version, **content,
    ))


async def _start(api, contractor, number):
    async def started():
        response = await api.post(f"/contracts/{number}/amendment-application", headers=contractor.headers)
        return response if response.status_code == 201 else None

    return (await eventually(started)).json()


async def _problems(api, contractor, draft_id, form) -> dict[str, dict]:
    saved = await api.put(f"/applications/{draft_id}", json=form, headers=contractor.headers)
    assert saved.status_code == 200, saved.text
    confirmed = await api.post(f"/applications/{draft_id}/confirm", headers=contractor.headers)
    return {p["path"]: p for p in confirmed.json()["problems"] if p["severity"] == "error"}


async def test_a_change_starts_from_the_latest_version(api, amqp, settings, contractor_a):
    number = await _issued_advance_payment(api, amqp, settings, contractor_a)
    draft = await _start(api, contractor_a, number)
    form = draft["form"]
    assert form["amendment"] == {"contract_number": number, "base_version": 0}
    assert set(form) == {"amendment", "contract", "advance_payment", "information"}  # only the guarantee's product
    assert form["contract"]["contract_amount"] == 50_000_000 and form["contract"]["period_end"] == "2024-03-29"
    assert form["advance_payment"]["guaranteed_amount"] == 20_000_000
    assert form["advance_payment"]["fee_billing_to"] == "本社"  # kept from the first application
    # Unchanged: nothing to file.
    problems = await _problems(api, contractor_a, draft["id"], form)
    assert problems["amendment"]["message"] == (
        f"変更申込（amendment）では、{number}の現在の内容から変わる項目がありません"
    )


async def test_a_change_of_the_contract_amount_alone_is_answered_not_filed(api, amqp, settings, contractor_a):
    number = await _issued_advance_payment(api, amqp, settings, contractor_a)
    draft = await _start(api, contractor_a, number)
    form = draft["form"]
    form["contract"]["contract_amount"] = 60_000_000
    problems = await _problems(api, contractor_a, draft["id"], form)
    assert problems == {
        "contract.contract_amount": problems["contract.contract_amount"]
    } and problems["contract.contract_amount"]["message"] == (
        "請負金額（contract.contract_amount）のみの変更は、この保証契約の効力に影響を及ぼさないので、"
        "保証契約変更の手続きをとる必要はありません"
    )


async def test_the_rules_apply_to_the_new_figures(api, amqp, settings, contractor_a):
    number = await _issued_advance_payment(api, amqp, settings, contractor_a)
    draft = await _start(api, contractor_a, number)
    form = draft["form"]
    form["contract"]["contract_amount"] = 60_000_000
    form["advance_payment"]["guaranteed_amount"] = 30_000_000  # 50% of the new 請負金額
    problems = await _problems(api, contractor_a, draft["id"], form)
    assert problems["advance_payment.guaranteed_amount"]["message"] == (
        "前払金保証金額（advance_payment.guaranteed_amount）は請負金額の40%以下にしてください（現在 50.0%）"
    )
    form["contract"]["orderer_code"] = "yurihonjo-city"
    form["advance_payment"]["certificate_format"] = "paper"
    problems = await _problems(api, contractor_a, draft["id"], form)
    assert problems["contract.orderer_code"]["rule"] == "amendment_orderer_fixed"
    assert problems["advance_payment.certificate_format"]["rule"] == "amendment_format_fixed"


async def test_the_seed_002_change_is_sent_as_an_amendment(api, amqp, settings, contractor_a, submitted_events):  # noqa: F811
    """保証期限 60 days later and 前払金 raised with 請負金額: ApplicationSubmitted names the guarantee."""
    number = await _issued_advance_payment(api, amqp, settings, contractor_a)
    draft = await _start(api, contractor_a, number)
    form = draft["form"]
    form["contract"]["contract_amount"] = 60_000_000
    form["contract"]["period_end"] = "2024-05-28"
    form["advance_payment"]["guaranteed_amount"] = 24_000_000
    form["advance_payment"]["guarantee_expiry"] = "2024-05-28"
    form.pop("amendment")  # an edit cannot drop what the change is of
    assert await _problems(api, contractor_a, draft["id"], form) == {}
    sent = await api.post(f"/applications/{draft['id']}/submit", headers=contractor_a.headers, json={"acknowledge_warnings": True})
    assert sent.status_code == 202, sent.text

    async def event():
        mine = [m for m in submitted_events if ApplicationSubmitted.model_validate_json(m.body).subject == draft["id"]]
        return mine[0] if mine else None

    data = ApplicationSubmitted.model_validate_json((await eventually(event)).body).data
    assert data.amendment is not None
    assert (data.amendment.contract_number, data.amendment.base_version) == (number, 0)
    assert [k.value for k in data.amendment.kinds] == ["amount_increase", "expiry_change"]
    assert [p.product for p in data.products] == [Product.ADVANCE_PAYMENT]
    assert (data.products[0].guaranteed_amount, data.contract.contract_amount) == (24_000_000, 60_000_000)


async def test_a_change_prepared_from_an_older_version_is_refused(api, amqp, settings, contractor_a):
    number = await _issued_advance_payment(api, amqp, settings, contractor_a)
    draft = await _start(api, contractor_a, number)
    # 変更-1 is issued meanwhile (another change, e.g. through the surety company's counter).
    await _publish_version(amqp, settings, contractor_a, uuid.uuid4(), number, 1, guaranteed_amount=22_000_000)

    async def outdated():
        form = dict(draft["form"])
        form["advance_payment"] = {**form["advance_payment"], "guaranteed_amount": 23_000_000}
        problems = await _problems(api, contractor_a, draft["id"], form)
        return problems.get("amendment.contract_number")

    problem = await eventually(outdated)
    assert problem["rule"] == "amendment_outdated" and "変更-1が発行されています" in problem["message"]
    again = await _start(api, contractor_a, number)
    assert again["form"]["amendment"]["base_version"] == 1
    assert again["form"]["advance_payment"]["guaranteed_amount"] == 22_000_000


async def test_only_the_companys_own_guarantees_in_force_can_be_changed(api, amqp, settings, contractor_a, contractor_b):
    number = await _issued_advance_payment(api, amqp, settings, contractor_a)
    await _start(api, contractor_a, number)
    other = await api.post(f"/contracts/{number}/amendment-application", headers=contractor_b.headers)
    assert other.status_code == 404
    unknown = await api.post("/contracts/35072-99999M/amendment-application", headers=contractor_a.headers)
    assert unknown.status_code == 404
