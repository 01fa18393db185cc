"""/metrics of the four services (issue 11, docs/operations-metrics.md) around one application that flows
through submit → certificate → email → the orderer's lookup, on the real RabbitMQ, PostgreSQL and SMTP:
the counters move by what happened, the outbox backlog returns to 0, and no label carries a 保証契約番号,
a 認証キー, an application id or a raw path."""

import json
import re
from datetime import date

import aio_pika
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from deploy.demo import sample_form
from tests.conftest import eventually
from tests.e2e.test_pipeline import drain, issued_application, logged_in

pytestmark = pytest.mark.integration

SERVICES = ("application", "issuance", "platform", "notifier")
SUBMIT = {"method": "POST", "route": "/applications/{application_id}/submit", "status_class": "2xx"}


class Scrape:
    def __init__(self, text: str) -> None:
        self.text = text
        self.samples = [s for family in text_string_to_metric_families(text) for s in family.samples]

    def value(self, name: str, **labels: str) -> float:
        """Sum of the samples of `name` whose labels include `labels` (0 when none)."""
        return sum(
            s.value for s in self.samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
        )

    def label_values(self) -> set[str]:
        return {value for s in self.samples for value in s.labels.values()}


async def scrape_all(system) -> dict[str, Scrape]:
    found = {}
    async with httpx.AsyncClient(timeout=10) as client:
        for name in SERVICES:
            response = await client.get(f"{system.urls[name]}/metrics")
            assert response.status_code == 200, (name, response.text)
            assert response.headers["content-type"].startswith("text/plain")
            found[name] = Scrape(response.text)
    return found


def moved(before: dict[str, Scrape], after: dict[str, Scrape], service: str, name: str, **labels: str) -> float:
    return after[service].value(name, **labels) - before[service].value(name, **labels)


async def test_one_application_moves_the_counters_of_every_service(system, accounts, tap):
    tap_queue, exchange = tap
    await drain(tap_queue)
    before = await scrape_all(system)

    contractor = await logged_in(system.urls["application"], accounts["a"])
    form = sample_form(date.today())
    form["contract"]["construction_name"] = "計測確認工事"
    app = await issued_application(contractor, form, correlation_id="e2e-metrics")
    numbers = [c["contract_number"] for c in app["certificates"]]
    products = sorted(c["product"] for c in app["certificates"])
    detail = (await contractor.get(f"/contracts/{numbers[0]}")).json()
    key = detail["auth_key"]

    async def two_mails():
        found = [m for m in system.mails if "計測確認工事" in m.message.get_body(("plain",)).get_content()]
        return found if len(found) == 2 else None

    await eventually(two_mails, timeout=30)
    orderer = await logged_in(system.urls["platform"], accounts["kawasaki"])
    opened = await orderer.post("/certificates/lookup", json={"contract_number": numbers[0], "auth_key": key})
    assert opened.status_code == 200, opened.text
    wrong = await orderer.post("/certificates/lookup", json={"contract_number": numbers[0], "auth_key": "AAAAAAAAAAAA"})
    assert wrong.status_code == 404

    # The same ApplicationSubmitted once more (same id): issuance's inbox sees a duplicate and does nothing.
    seen: list[dict] = []
    events = await eventually(lambda: _submitted(tap_queue, seen), timeout=20)
    submitted = events[0]
    await exchange.publish(
        aio_pika.Message(json.dumps(submitted).encode(), message_id=submitted["id"], delivery_mode=2),
        routing_key=submitted["type"],
    )

    async def settled():
        found = await scrape_all(system)
        ok = (
            moved(before, found, "issuance", "esurety_inbox_duplicates_total", consumer="issuance") >= 1
            and moved(before, found, "notifier", "esurety_emails_total", outcome="sent") >= 2
            and all(found[name].value("esurety_outbox_unsent") == 0 for name in ("application", "issuance", "platform"))
        )
        return found if ok else None

    after = await eventually(settled, timeout=30)

    # The application edge: the submit route by its template (twice: the second answers 200, already submitted).
    assert moved(before, after, "application", "esurety_http_requests_total", **SUBMIT) == 2
    assert moved(before, after, "application", "esurety_http_request_duration_seconds_count",
                 method="POST", route="/applications/{application_id}/submit") == 2
    assert moved(before, after, "platform", "esurety_http_requests_total",
                 method="POST", route="/certificates/lookup") == 2
    # FastStream's own counts: issuance consumed the submitted event and published through its outbox relay.
    assert moved(before, after, "issuance", "faststream_received_messages_total", app_name="issuance") >= 2
    assert moved(before, after, "issuance", "faststream_received_processed_messages_total",
                 app_name="issuance", status="acked") >= 2
    assert moved(before, after, "application", "faststream_published_messages_total", app_name="application") >= 1
    assert moved(before, after, "issuance", "faststream_published_messages_total", app_name="issuance") >= 2
    assert moved(before, after, "notifier", "faststream_received_messages_total", app_name="notifier") >= 3
    # Domain counts.
    for product in products:
        assert moved(before, after, "issuance", "esurety_certificates_issued_total", product=product) == products.count(product)
    assert moved(before, after, "issuance", "esurety_pdf_render_seconds_count", document="certificate") == len(numbers)
    assert moved(before, after, "issuance", "esurety_pdf_render_seconds_count", document="key_notice") == len(numbers)
    assert moved(before, after, "notifier", "esurety_emails_total", outcome="sent") == 2
    assert moved(before, after, "notifier", "esurety_emails_total", outcome="failed") == 0
    assert moved(before, after, "platform", "esurety_certificate_lookups_total", outcome="opened") == 1
    assert moved(before, after, "platform", "esurety_certificate_lookups_total", outcome="failed") == 1
    for name in SERVICES:
        assert after[name].value("esurety_database_up") == 1, name
    for name in ("application", "issuance", "platform"):
        assert after[name].value("esurety_outbox_oldest_unsent_age_seconds") == 0, name

    # Nothing that identifies an application, a certificate or a key is a label.
    labels = set().union(*(scrape.label_values() for scrape in after.values()))
    secrets = [*numbers, key, app["id"]]
    assert not [v for v in labels for secret in secrets if secret in v]
    raw_ids = re.compile(r"/(\d{3,}|[0-9a-f]{8}-[0-9a-f-]{27,}|\d{5}-\d{5}[A-Z])(/|$)")
    assert not [v for v in labels if raw_ids.search(v)]
    assert not any(key in scrape.text or numbers[0] in scrape.text for scrape in after.values())
    for client in (contractor, orderer):
        await client.aclose()


async def _submitted(queue, seen: list[dict]) -> list[dict] | None:
    seen.extend(await drain(queue))
    mine = [e for e in seen if e.get("correlationid") == "e2e-metrics" and e["type"].endswith("application.submitted.v1")]
    return mine or None
