"""The ApplicationSubmitted event built at 送信完了."""

import uuid
from datetime import datetime, timezone

from shared.events import ApplicationSubmitted, Contractor
from services.application.domain.model import applied_products
from services.application.domain.submission import application_submitted
from services.application.domain.validation import validate_form
from tests.unit.application.forms import valid_form


def test_event_carries_the_form_and_the_contractor_on_record():
    form = valid_form()
    form["advance_payment"]["depository"] = "ﾐｽﾞﾎ銀行 ｼﾌﾞﾔ支店"
    app_id = uuid.uuid4()
    company = Contractor(company_id=uuid.uuid4(), name="○○建設 株式会社", address="神奈川県川崎市川崎区1-1")
    event = application_submitted(
        application_id=app_id,
        form=validate_form(form).valid,
        contractor=company,
        submitted_at=datetime(2023, 3, 21, 1, 0, tzinfo=timezone.utc),
        correlation_id="corr-1",
    )
    assert (event.type, event.source, event.subject, event.correlationid) == (
        "jp.esurety.application.submitted.v1", "/esurety/application", str(app_id), "corr-1",
    )
    round_trip = ApplicationSubmitted.model_validate_json(event.model_dump_json())
    data = round_trip.data
    assert data.contractor.name == "○○建設 株式会社"
    assert data.contract.orderer_code == "kawasaki-city"
    assert [p.product.value for p in data.products] == ["advance_payment", "contract_guarantee"]
    assert data.products[0].depository == "ミズホ銀行　シブヤ支店"
    assert data.notification.email == "soumu@example.jp"


def test_applied_products():
    form = valid_form()
    assert applied_products(form) == ["advance_payment", "contract_guarantee"]
    form["advance_payment"]["apply"] = False
    assert applied_products(form) == ["contract_guarantee"]
