"""CertificateIssued / CertificatePublished / ApplicationRejected from the real bus update what the
contractor sees: the application's status, 保証契約一覧, 電子保証概要 (with the live 認証キー) and the PDFs."""

import asyncio
import uuid
from datetime import datetime, timezone

import pytest

from shared.events import ApplicationRejected, ApplicationRejectedV1, Product, RejectionReason
from tests.conftest import eventually
from tests.integration.application.conftest import (
    PDF_BYTES,
    certificate_issued,
    certificate_published,
    contract_number,
    publish,
    submitted_application,
)
from tests.unit.application.forms import valid_form

pytestmark = pytest.mark.integration


async def _get(api, contractor, path, **params):
    response = await api.get(path, headers=contractor.headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_issued_and_published_update_what_the_contractor_sees(api, contractor_a, amqp, settings, fake_issuance, service):
    sent = await submitted_application(api, contractor_a, valid_form())
    app_id = uuid.UUID(sent["id"])
    numbers = {p: contract_number(p) for p in (Product.ADVANCE_PAYMENT, Product.CONTRACT_GUARANTEE)}
    issued = {
        p: certificate_issued(
            application_id=app_id,
            company=contractor_a,
            product=p,
            number=numbers[p],
            guaranteed_amount=20_000_000 if p is Product.ADVANCE_PAYMENT else 5_000_000,
            correlation_id=sent["correlation_id"],
        )
        for p in numbers
    }
    ap_number = numbers[Product.ADVANCE_PAYMENT]
    fake_issuance.keys[ap_number] = (str(contractor_a.company_id), "Z28YUE4J3Bux")

    # Published before issued (the platform was faster): the history waits, keyed by number.
    published = certificate_published(issued[Product.ADVANCE_PAYMENT])
    await publish(amqp, settings, published)
    await eventually(lambda: service.pool.fetchval("SELECT count(*) FROM certificate_history WHERE contract_number = $1", ap_number))
    assert await _get(api, contractor_a, "/contracts", contract_number=ap_number) == []

    # One product issued: not yet "issued" as a whole.
    await publish(amqp, settings, issued[Product.ADVANCE_PAYMENT])
    await eventually(lambda: _count(api, contractor_a, ap_number))
    assert (await _get(api, contractor_a, f"/applications/{app_id}"))["status"] == "submitted"

    await publish(amqp, settings, issued[Product.CONTRACT_GUARANTEE])

    async def issued_status():
        return (await _get(api, contractor_a, f"/applications/{app_id}"))["status"] == "issued"

    await eventually(issued_status)
    app = await _get(api, contractor_a, f"/applications/{app_id}")
    assert app["status_label"] == "発行済"
    assert app["certificates"] == [
        {
            "product": "advance_payment",
            "contract_number": ap_number,
            "version_label": "新規",
            "certificate_format": "electronic",
            "certificate_format_label": "電子保証",
            "published_at": "2022-11-01T06:00:00Z",
            "published_at_jst": "2022/11/01 15:00",
        },
        {
            "product": "contract_guarantee",
            "contract_number": numbers[Product.CONTRACT_GUARANTEE],
            "version_label": "新規",
            "certificate_format": "electronic",
            "certificate_format_label": "電子保証",
            "published_at": None,
            "published_at_jst": None,
        },
    ]

    # 保証契約一覧 with its filters.
    (row,) = await _get(api, contractor_a, "/contracts", contract_number=ap_number)
    assert row == {
        "contract_number": ap_number,
        "product": "advance_payment",
        "product_label": "前払金保証",
        "certificate_format": "electronic",
        "certificate_format_label": "電子保証",
        "orderer_name": "川崎市長",
        "construction_name": "河川維持（○○）工事",
        "contract_amount": 50_000_000,
        "guaranteed_amount": 20_000_000,
        "status": "published",
        "status_label": "発行済（電子保証発行済）",
        "ended_on": None,  # in force (期間満了 / 解約: its date)
        "version_label": "新規",
        "issued_at": "2022-11-01T05:59:00Z",
        "latest_published_at_jst": "2022/11/01 15:00",
        "advance_payment_contract_number": None,
        "bid_bond_contract_number": None,
        "converted_application_id": None,
    }
    mine = set(numbers.values())
    by_product = await _get(api, contractor_a, "/contracts", product="contract_guarantee")
    assert {r["contract_number"] for r in by_product} & mine == {numbers[Product.CONTRACT_GUARANTEE]}
    (own,) = [r for r in by_product if r["contract_number"] == numbers[Product.CONTRACT_GUARANTEE]]
    assert own["product_label"] == "契約保証" and own["status"] == "issued" and own["status_label"] == "発行済"
    by_name = await _get(api, contractor_a, "/contracts", construction_name="維持（○○）")
    assert {r["contract_number"] for r in by_name} >= mine
    assert {r["contract_number"] for r in await _get(api, contractor_a, "/contracts", construction_name="橋梁")} & mine == set()
    # Issued 2022-11-01 05:59 UTC = 14:59 JST on 2022-11-01.
    in_period = await _get(api, contractor_a, "/contracts", period_from="2022-11-01", period_to="2022-11-01")
    assert {r["contract_number"] for r in in_period} >= mine
    assert {r["contract_number"] for r in await _get(api, contractor_a, "/contracts", period_from="2022-11-02")} & mine == set()
    assert {r["contract_number"] for r in await _get(api, contractor_a, "/contracts", period_to="2022-10-31")} & mine == set()
    bad = await api.get("/contracts", headers=contractor_a.headers, params={"product": "surety_bond"})
    assert bad.status_code == 422 and bad.json()["detail"] == "入力内容に誤りがあります。"
    assert bad.json()["problems"] == [
        {
            "path": "product",
            "label": "保証種類",
            "rule": "enum",
            "message": (
                "保証種類は'advance_payment'、'contract_guarantee'、'intermediate_advance_payment'、'bid_bond'"
                "のいずれかを指定してください。"
            ),
        }
    ]

    # 電子保証概要 with the live key and the history.
    overview = await _get(api, contractor_a, f"/contracts/{ap_number}")
    assert overview == {
        "contract_number": ap_number,
        "product": "advance_payment",
        "product_label": "前払金保証",
        "certificate_format": "electronic",
        "certificate_format_label": "電子保証",
        "contractor_name": "○○建設 株式会社",
        "jv_name": None,
        "construction_name": "河川維持（○○）工事",
        "orderer_name": "川崎市長",
        "contract_amount": 50_000_000,
        "guaranteed_amount": 20_000_000,
        "depository": "ミズホ銀行　シブヤ支店",
        "content_digest": issued[Product.ADVANCE_PAYMENT].data.content_digest,
        "version_label": "新規",
        "status": "published",
        "status_label": "発行済（電子保証発行済）",
        "ended_on": None,  # in force: no 期間満了 / 解約, none asked, 解約の申込 possible
        "cancellation": None,
        "cancellable": True,
        "issued_at": "2022-11-01T05:59:00Z",
        "latest_published_at_jst": "2022/11/01 15:00",
        "advance_payment_contract_number": None,
        "bid_bond_contract_number": None,
        "converted_application_id": None,
        "auth_key": "Z28YUE4J3Bux",
        "history": [
            {"no": 1, "version": 0, "published_at": "2022-11-01T06:00:00Z", "published_at_jst": "2022/11/01 15:00", "label": "新規"}
        ],
        "orderer_review": None,
        "orderer_requests": [],
        "versions": [
            {"version": 0, "label": "新規", "issued_at": "2022-11-01T05:59:00Z", "published_at": "2022-11-01T06:00:00Z",
             "content_digest": issued[Product.ADVANCE_PAYMENT].data.content_digest}
        ],
    }
    assert fake_issuance.calls[-1] == (f"{ap_number}/auth-key", str(contractor_a.company_id))
    count = await service.pool.fetchval("SELECT count(*) FROM contracts WHERE contract_number = $1", ap_number)
    assert count == 1
    stored = await service.pool.fetchval("SELECT count(*) FROM contracts WHERE row_to_json(contracts)::text LIKE '%Z28YUE4J3Bux%'")
    assert stored == 0  # the key is never stored here
    kept = await service.pool.fetchval(
        "SELECT count(*) FROM certificate_versions WHERE row_to_json(certificate_versions)::text LIKE '%Z28YUE4J3Bux%'"
    )
    assert kept == 0  # nor in the kept certificate content

    # Both PDFs, streamed from issuance.
    for name in ("certificate", "key-notice"):
        pdf = await api.get(f"/contracts/{ap_number}/{name}.pdf", headers=contractor_a.headers)
        assert pdf.status_code == 200
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.headers["content-disposition"] == f'attachment; filename="{ap_number}-{name}.pdf"'
        assert pdf.content == PDF_BYTES[f"{name}.pdf"]

    # Redelivered events (same ids) change nothing.
    await publish(amqp, settings, published)
    await publish(amqp, settings, issued[Product.ADVANCE_PAYMENT])
    await asyncio.sleep(1.0)
    assert (await _get(api, contractor_a, f"/contracts/{ap_number}"))["history"] == overview["history"]
    inbox = await service.pool.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", published.id)
    assert inbox == 1


async def test_issuance_down_or_unknown_key(api, contractor_a, amqp, settings, fake_issuance):
    sent = await submitted_application(api, contractor_a, valid_form())
    number = contract_number(Product.CONTRACT_GUARANTEE)
    issued = certificate_issued(
        application_id=uuid.UUID(sent["id"]), company=contractor_a, product=Product.CONTRACT_GUARANTEE, number=number
    )
    await publish(amqp, settings, issued)
    await eventually(lambda: _count(api, contractor_a, number))
    # Issuance does not know it (fake has no key): 404 like any unknown contract.
    response = await api.get(f"/contracts/{number}", headers=contractor_a.headers)
    assert (response.status_code, response.json()) == (404, {"detail": "保証契約が見つかりません"})
    response = await api.get(f"/contracts/{number}/certificate.pdf", headers=contractor_a.headers)
    assert response.status_code == 404
    # A number not in the DDDDD-DDDDDL format never leaves this service.
    assert (await api.get("/contracts/not-a-number", headers=contractor_a.headers)).status_code == 404


async def test_rejected_application_shows_the_reasons(api, contractor_a, amqp, settings, service):
    sent = await submitted_application(api, contractor_a, valid_form())
    app_id = uuid.UUID(sent["id"])
    reason = RejectionReason(
        field="contract.orderer_code",
        rule="orderer_not_e_surety",
        message="発注者（川崎市長）はこの請負契約日では電子保証に対応していません",
    )
    event = ApplicationRejected.wrap(
        ApplicationRejectedV1(application_id=app_id, rejected_at=datetime.now(timezone.utc), reasons=[reason]),
        source="/esurety/issuance",
        subject=str(app_id),
        correlation_id=sent["correlation_id"],
    )
    await publish(amqp, settings, event)

    async def rejected():
        app = await _get(api, contractor_a, f"/applications/{app_id}")
        return app if app["status"] == "rejected" else None

    app = await eventually(rejected)
    assert app["status_label"] == "お引き受けできません"
    assert app["rejection_reasons"] == [
        {
            "field": "contract.orderer_code",
            "rule": "orderer_not_e_surety",
            "message": "発注者（川崎市長）はこの請負契約日では電子保証に対応していません",
        }
    ]
    again = await api.post(f"/applications/{app_id}/submit", headers=contractor_a.headers)
    assert (again.status_code, again.json()["status"]) == (200, "rejected")
    # The portal's page of the application says so, with the reasons.
    from tests.integration.application.test_portal_pages import browser

    client = await browser(service.http_app, "maru-a", "pass-maru-a")
    page = await client.get(f"/portal/applications/{app_id}/done")
    assert "<title>お引き受けできません" in page.text
    assert "発注者（川崎市長）はこの請負契約日では電子保証に対応していません" in page.text
    assert "保証の申込を送信しました。" not in page.text


async def test_rejection_of_an_unknown_application_goes_to_the_dead_letter_queue(amqp, settings):
    event = ApplicationRejected.wrap(
        ApplicationRejectedV1(application_id=uuid.uuid4(), rejected_at=datetime.now(timezone.utc), reasons=[]),
        source="/esurety/issuance",
        subject="x",
        correlation_id="c",
    )
    await publish(amqp, settings, event)
    dlq = await amqp.get_queue(f"{settings.bus_namespace}.application.application-rejected.dlq")

    async def dead():
        message = await dlq.get(fail=False)
        if message is None:
            return None
        await message.ack()
        return message if message.message_id == event.id else None

    message = await eventually(dead)
    assert message.headers["x-dead-letter-reason"].startswith("poison: application")


async def _count(api, contractor, number) -> bool:
    rows = (await api.get("/contracts", headers=contractor.headers, params={"contract_number": number})).json()
    return len(rows) == 1
