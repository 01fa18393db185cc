"""The ApplicationSubmitted event built at 送信完了, for each product and for paper."""

import uuid
from datetime import date, datetime, timedelta, timezone

from shared.events import ApplicationSubmitted, CertificateFormat, Contractor, OrderType, Product, ReceiptMethod
from services.application.domain.model import applied_products
from services.application.domain.submission import application_submitted
from services.application.domain.validation import validate_form
from tests.unit.application.contexts import context
from tests.unit.application.forms import bid_bond_form, intermediate_form, paper, valid_form

COMPANY = Contractor(company_id=uuid.uuid4(), name="○○建設 株式会社", address="神奈川県川崎市川崎区1-1")


def submitted(form: dict, ctx=None, app_id: uuid.UUID | None = None) -> ApplicationSubmitted:
    """The event as a consumer reads it (after a JSON round trip)."""
    validation = validate_form(form, ctx)
    assert validation.ok, validation.problems
    event = application_submitted(
        application_id=app_id or uuid.uuid4(),
        form=validation.valid,
        contractor=COMPANY,
        submitted_at=datetime(2023, 3, 21, 1, 0, tzinfo=timezone.utc),
        correlation_id="corr-1",
    )
    return ApplicationSubmitted.model_validate_json(event.model_dump_json())


def test_event_carries_the_form_and_the_contractor_on_record():
    form = valid_form()
    form["advance_payment"]["depository"] = "ﾐｽﾞﾎ銀行 ｼﾌﾞﾔ支店"
    app_id = uuid.uuid4()
    event = submitted(form, app_id=app_id)
    assert (event.type, event.source, event.subject, event.correlationid) == (
        "jp.esurety.application.submitted.v1", "/esurety/application", str(app_id), "corr-1",
    )
    data = event.data
    assert data.contractor.name == "○○建設 株式会社"
    assert data.contract.orderer_code == "kawasaki-city"
    assert [p.product.value for p in data.products] == ["advance_payment", "contract_guarantee"]
    assert data.products[0].depository == "ミズホ銀行　シブヤ支店"
    assert data.notification.email == "soumu@example.jp"
    assert data.contact.name == "山田 太郎"
    assert (data.tender, data.paper_delivery, data.message_to_company) == (None, None, None)


def test_advance_payment_and_contract_guarantee_with_every_field():
    form = valid_form()
    form["contract"] |= {"jv_name": "○○・△△JV", "jv_representative": "○○建設 株式会社", "site": "川崎市川崎区"}
    form["advance_payment"] |= {"redeposit": "利用する", "intermediate_advance": "あり", "intermediate_advance_claim_planned": "あり"}
    form["contract_guarantee"] |= {"bid_bond_contract_number": "35072-00001Y", "guarantee_expiry": "20240630"}
    form["tender"] = {"order_type": "指名競争入札", "award_date": "20230315", "rounds": 2, "below_low_bid_price": False}
    form["information"]["message_to_company"] = "よろしくお願いします"
    data = submitted(form).data
    assert (data.contract.jv_name, data.contract.jv_representative, data.contract.site) == ("○○・△△JV", "○○建設 株式会社", "川崎市川崎区")
    ap, cg = data.products
    assert (ap.redeposit, ap.intermediate_advance, ap.intermediate_advance_claim_planned, ap.guarantee_expiry) == (True, True, True, date(2024, 3, 29))
    assert (cg.bid_bond_contract_number, cg.guarantee_expiry, cg.depository, cg.redeposit) == ("35072-00001Y", date(2024, 6, 30), None, None)
    assert (data.tender.order_type, data.tender.award_date, data.tender.rounds) == (OrderType.DESIGNATED_COMPETITIVE, date(2023, 3, 15), 2)
    assert data.message_to_company == "よろしくお願いします"


def test_intermediate_advance_payment_event():
    data = submitted(intermediate_form(), context()).data
    (request,) = data.products
    assert (request.product, request.advance_payment_contract_number, request.guaranteed_amount) == (
        Product.INTERMEDIATE_ADVANCE_PAYMENT, "35072-00001M", 10_000_000,
    )
    assert (request.depository, request.redeposit, request.guarantee_expiry) == ("〇〇銀行　××支店", False, date(2024, 3, 29))


def test_bid_bond_event_has_no_contract_amount_yet():
    data = submitted(bid_bond_form(), context()).data
    assert (data.contract.contract_amount, data.contract.contract_date, data.contract.period_start) == (None, None, date(2023, 4, 1))
    (request,) = data.products
    assert (request.product, request.bid_date, request.bid_amount, request.guaranteed_amount, request.guarantee_expiry) == (
        Product.BID_BOND, date(2023, 3, 1), 48_500_000, 4_850_000, date(2023, 4, 1),
    )


def test_paper_by_mail_event():
    data = submitted(paper(valid_form())).data
    assert [p.certificate_format for p in data.products] == [CertificateFormat.PAPER, CertificateFormat.ELECTRONIC]
    d = data.paper_delivery
    assert (d.method, d.desired_date, d.addressee.postal_code, d.visit_at) == (ReceiptMethod.MAIL, date(2023, 4, 5), "210-0001", None)


def test_paper_at_the_counter_event():
    form = paper(valid_form(), "contract_guarantee")
    form["information"] |= {"receipt_method": "当社窓口", "visit_at": "2023-04-10 14:00"}
    d = submitted(form).data.paper_delivery
    assert (d.method, d.addressee, d.desired_date) == (ReceiptMethod.COUNTER, None, None)
    assert d.visit_at == datetime(2023, 4, 10, 5, 0, tzinfo=timezone.utc)
    assert d.visit_at.utcoffset() == timedelta(hours=9)


def test_applied_products_in_form_order():
    form = valid_form()
    assert applied_products(form) == ["advance_payment", "contract_guarantee"]
    form["advance_payment"]["apply"] = False
    assert applied_products(form) == ["contract_guarantee"]
    form = intermediate_form() | bid_bond_form() | {"advance_payment": {"apply": True}, "contract_guarantee": {"apply": True}}
    assert applied_products(form) == ["advance_payment", "intermediate_advance_payment", "contract_guarantee", "bid_bond"]
    assert applied_products({"advance_payment": "yes", "bid_bond": {"apply": "true"}}) == []
