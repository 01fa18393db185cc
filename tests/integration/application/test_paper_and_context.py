"""Paper certificates (PaperCertificateIssued) in what the contractor sees, and the context 申込確認
validates against: the orderer registry from issuance's GET /internal/orderers (cached), or none."""

import uuid

import pytest

from shared.events import Product
from tests.conftest import eventually
from tests.integration.application.conftest import (
    PDF_BYTES,
    certificate_issued,
    contract_number,
    publish,
    registry_orderers,
    submitted_application,
)
from tests.unit.application.forms import valid_form

pytestmark = pytest.mark.integration


def paper_form() -> dict:
    form = valid_form()
    form["advance_payment"]["certificate_format"] = "paper"
    form["information"] |= {
        "receipt_method": "送付",
        "receipt_desired_date": "20230410",
        "addressee": {"name": "○○建設 株式会社 総務部", "postal_code": "210-0004", "address": "神奈川県川崎市川崎区宮本町1"},
    }
    return form


async def test_a_paper_certificate_has_no_key(api, contractor_a, amqp, settings, fake_issuance, service):
    sent = await submitted_application(api, contractor_a, paper_form())
    app_id = uuid.UUID(sent["id"])
    numbers = {p: contract_number(p) for p in (Product.ADVANCE_PAYMENT, Product.CONTRACT_GUARANTEE)}
    paper = certificate_issued(
        application_id=app_id, company=contractor_a, product=Product.ADVANCE_PAYMENT,
        number=numbers[Product.ADVANCE_PAYMENT], paper=True,
    )
    electronic = certificate_issued(
        application_id=app_id, company=contractor_a, product=Product.CONTRACT_GUARANTEE,
        number=numbers[Product.CONTRACT_GUARANTEE], guaranteed_amount=5_000_000,
    )
    await publish(amqp, settings, paper)
    await publish(amqp, settings, electronic)

    async def issued():
        app = (await api.get(f"/applications/{app_id}", headers=contractor_a.headers)).json()
        return app if app["status"] == "issued" else None

    app = await eventually(issued)  # both products, one on paper: the application is issued
    formats = {c["product"]: (c["certificate_format"], c["certificate_format_label"]) for c in app["certificates"]}
    assert formats == {"advance_payment": ("paper", "証書(紙)"), "contract_guarantee": ("electronic", "電子保証")}

    number = numbers[Product.ADVANCE_PAYMENT]
    (row,) = (await api.get("/contracts", headers=contractor_a.headers, params={"contract_number": number})).json()
    assert (row["certificate_format"], row["certificate_format_label"], row["status_label"]) == ("paper", "証書(紙)", "発行済")

    fake_issuance.keys[number] = (str(contractor_a.company_id), "never-asked")
    calls = len(fake_issuance.calls)
    overview = (await api.get(f"/contracts/{number}", headers=contractor_a.headers)).json()
    assert overview["auth_key"] is None and overview["history"] == []
    assert overview["certificate_format_label"] == "証書(紙)"
    key_notice = await api.get(f"/contracts/{number}/key-notice.pdf", headers=contractor_a.headers)
    assert (key_notice.status_code, key_notice.json()) == (404, {"detail": "保証契約が見つかりません"})
    assert fake_issuance.calls[calls:] == []  # issuance was not asked for a key or a key notice
    # The certificate PDF (the paper original) still comes from issuance.
    pdf = await api.get(f"/contracts/{number}/certificate.pdf", headers=contractor_a.headers)
    assert pdf.status_code == 200 and pdf.content == PDF_BYTES["certificate.pdf"]
    stored = await service.pool.fetchrow(
        "SELECT certificate_format, orderer_code, period_start, status FROM contracts WHERE contract_number = $1", number
    )
    assert dict(stored) == {
        "certificate_format": "paper", "orderer_code": "kawasaki-city",
        "period_start": paper.data.certificate.period_start, "status": "issued",
    }


async def test_orderer_rules_come_from_issuance_and_are_cached(api, contractor_b, fake_issuance, service):
    registry = service.http_app.state.orderer_registry
    h = contractor_b.headers
    form = valid_form()
    form["contract"]["orderer_code"] = "no-e-surety-town"
    app_id = (await api.post("/applications", json=form, headers=h)).json()["id"]
    try:
        # Unknown to the registry: an error on the orderer code.
        registry.invalidate()
        body = (await api.post(f"/applications/{app_id}/confirm", headers=h)).json()
        assert body["ok"] is False
        assert {(p["path"], p["severity"]) for p in body["problems"]} == {("contract.orderer_code", "error")}

        # Registered but without 電子保証: cached for a minute, so not seen until the cache is renewed.
        fake_issuance.orderers = registry_orderers() + [{
            "code": "no-e-surety-town", "name": "電子なし町", "certificate_name": "電子なし町長",
            "e_surety_from": None, "judged_on": "contract_date", "rounding_unit": 1,
            "requires_tender_status": False, "note": "",
        }]
        asked = sum(1 for path, _ in fake_issuance.calls if path == "orderers")
        body = (await api.post(f"/applications/{app_id}/confirm", headers=h)).json()
        assert {p["path"] for p in body["problems"]} == {"contract.orderer_code"}
        assert sum(1 for path, _ in fake_issuance.calls if path == "orderers") == asked
        registry.invalidate()
        body = (await api.post(f"/applications/{app_id}/confirm", headers=h)).json()
        assert body["ok"] is False
        assert {p["path"] for p in body["problems"] if p["severity"] == "error"} == {
            "advance_payment.certificate_format", "contract_guarantee.certificate_format"
        }

        # Issuance down: orderer rules unchecked here (a warning), the form otherwise judged.
        fake_issuance.orderers = None
        registry.invalidate()
        body = (await api.post(f"/applications/{app_id}/confirm", headers=h)).json()
        assert body["ok"] is True and body["status"] == "confirmed"
        assert [(p["path"], p["severity"]) for p in body["problems"]] == [("contract.orderer_code", "warning")]
        refused = await api.post(f"/applications/{app_id}/submit", headers=h)
        assert refused.status_code == 422
        sent = await api.post(f"/applications/{app_id}/submit", headers=h, json={"acknowledge_warnings": True})
        assert (sent.status_code, sent.json()["status"]) == (202, "submitted")
        shown = (await api.get(f"/applications/{app_id}", headers=h)).json()
        assert [p["path"] for p in shown["acknowledged_warnings"]] == ["contract.orderer_code"]
    finally:
        fake_issuance.orderers = registry_orderers()
        registry.invalidate()
