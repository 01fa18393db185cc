"""The whole pipeline through the HTTP APIs, on the real RabbitMQ, PostgreSQL and SMTP:
apply → issue → arrive on the platform → completion email; the orderer opens the same certificate."""

import json
import re
import subprocess
from datetime import date

import aio_pika
import httpx
import pytest

from deploy.demo import sample_form
from tests.conftest import eventually

pytestmark = pytest.mark.integration

# The events of an electronic application that is issued: submitted → issued → published.
PIPELINE_TYPES = {
    "jp.esurety.application.submitted.v1",
    "jp.esurety.certificate.issued.v1",
    "jp.esurety.certificate.published.v1",
}
KEY_PATTERN = re.compile(r"^[A-HJ-NP-Za-km-z2-9]{12}$")


async def logged_in(base_url: str, credentials: tuple[str, str]) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base_url, timeout=30)
    response = await client.post("/auth/login", json={"login_id": credentials[0], "password": credentials[1]})
    assert response.status_code == 200, response.text
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return client


async def issued_application(client: httpx.AsyncClient, form: dict, correlation_id: str | None = None) -> dict:
    draft = await client.post("/applications", json=form)
    assert draft.status_code == 201, draft.text
    app_id = draft.json()["id"]
    confirmed = (await client.post(f"/applications/{app_id}/confirm")).json()
    assert confirmed["ok"], confirmed["problems"]
    headers = {"X-Correlation-ID": correlation_id} if correlation_id else {}
    first = await client.post(f"/applications/{app_id}/submit", headers=headers)
    assert first.status_code == 202, first.text
    again = await client.post(f"/applications/{app_id}/submit", headers=headers)
    assert again.status_code == 200 and again.json()["id"] == app_id

    async def done():
        app = (await client.get(f"/applications/{app_id}")).json()
        if app["status"] == "issued" and app["certificates"] and all(c.get("published_at") for c in app["certificates"]):
            return app
        return None

    return await eventually(done, timeout=60)


def pdf_text(pdf: bytes, tmp_path, name: str) -> tuple[str, str]:
    path = tmp_path / name
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return text, fonts


async def drain(queue: aio_pika.abc.AbstractQueue) -> list[dict]:
    events = []
    while (message := await queue.get(fail=False)) is not None:
        await message.ack()
        try:
            events.append(json.loads(message.body))
        except ValueError:  # the poison-message test's garbage passes the tap too
            continue
    return events


async def test_sample_application_from_submit_to_email_and_orderer_view(system, accounts, tap, tmp_path):
    tap_queue, _ = tap
    await drain(tap_queue)
    contractor = await logged_in(system.urls["application"], accounts["a"])
    today = date.today()
    form = sample_form(today)
    app = await issued_application(contractor, form, correlation_id="e2e-sample-1")

    products = {c["product"]: c for c in app["certificates"]}
    assert set(products) == {"advance_payment", "contract_guarantee"}
    assert re.fullmatch(r"\d{5}-\d{5}M", products["advance_payment"]["contract_number"])
    assert re.fullmatch(r"\d{5}-\d{5}K", products["contract_guarantee"]["contract_number"])

    # 保証契約一覧 and pinpoint search.
    listed = (await contractor.get("/contracts")).json()
    numbers = {row["contract_number"] for row in listed}
    assert {c["contract_number"] for c in app["certificates"]} <= numbers
    advance_no = products["advance_payment"]["contract_number"]
    pinpoint = (await contractor.get("/contracts", params={"contract_number": advance_no})).json()
    assert [row["contract_number"] for row in pinpoint] == [advance_no]

    # 電子保証概要 with the key and the history (新規 at the 電子保証発行日時).
    detail = (await contractor.get(f"/contracts/{advance_no}")).json()
    key = detail["auth_key"]
    assert KEY_PATTERN.match(key)
    assert detail["guaranteed_amount"] == 20_000_000 and detail["orderer_name"] == "川崎市長"
    assert [h["label"] for h in detail["history"]] == ["新規"]
    published_jst = detail["history"][0]["published_at_jst"]
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2} \d{2}:\d{2}", published_jst)

    # Both PDFs: the certificate and the key notice, Japanese text, embedded Japanese font.
    certificate_pdf = await contractor.get(f"/contracts/{advance_no}/certificate.pdf")
    assert certificate_pdf.headers["content-type"] == "application/pdf"
    text, fonts = pdf_text(certificate_pdf.content, tmp_path, "certificate.pdf")
    flat = re.sub(r"\s+", "", text)
    assert "保証証書（前払金保証）" in flat
    assert advance_no in flat and "20,000,000円" in flat and "50,000,000円" in flat
    assert "川崎市長" in flat and "電子的な取扱" in flat
    assert re.search(r"令和\d{2}年\d{2}月\d{2}日", flat)
    assert "IPAex" in fonts and " yes " in fonts  # embedded
    notice_pdf = await contractor.get(f"/contracts/{advance_no}/key-notice.pdf")
    text, fonts = pdf_text(notice_pdf.content, tmp_path, "notice.pdf")
    flat = re.sub(r"\s+", "", text)
    assert "電子保証にかかる「認証キー」のお知らせ" in flat
    assert advance_no in flat and key in flat and "河川維持（○○）工事" in flat
    assert "IPAex" in fonts

    # One completion email per certificate, with the fields and without the key.
    async def two_mails():
        mine = [m for m in system.mails if advance_no in m.message.get_body(("plain",)).get_content()
                or products["contract_guarantee"]["contract_number"] in m.message.get_body(("plain",)).get_content()]
        return mine if len(mine) >= 2 else None

    mails = await eventually(two_mails, timeout=30)
    assert len(mails) == 2
    mail = next(m.message for m in mails if advance_no in m.message.get_body(("plain",)).get_content())
    body = mail.get_body(("plain",)).get_content()
    assert mail["To"] == "soumu@example.jp"
    assert "電子保証（認証キー）発行完了のお知らせ" in mail["Subject"]
    assert mail["Date"] and mail["Message-ID"]
    assert "河川維持（○○）工事" in body and "前払金保証" in body and published_jst in body
    assert key not in body

    # The orderer opens it with number + key and sees the same content (same digest).
    orderer = await logged_in(system.urls["platform"], accounts["kawasaki"])
    seen = await orderer.post("/certificates/lookup", json={"contract_number": advance_no, "auth_key": key})
    assert seen.status_code == 200, seen.text
    assert seen.json()["content_digest"] == detail["content_digest"]
    assert seen.json()["versions"][0]["published_at_jst"] == published_jst
    orderer_pdf = await orderer.post("/certificates/pdf", json={"contract_number": advance_no, "auth_key": key})
    assert orderer_pdf.headers["content-type"] == "application/pdf"
    text, _ = pdf_text(orderer_pdf.content, tmp_path, "orderer.pdf")
    assert advance_no in text

    # A wrong key and an unknown number get the same answer.
    wrong = await orderer.post("/certificates/lookup", json={"contract_number": advance_no, "auth_key": "AAAAAAAAAAAA"})
    unknown = await orderer.post("/certificates/lookup", json={"contract_number": "99999-99999M", "auth_key": key})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    # Another orderer cannot open 川崎市's certificate even with the key.
    other = await logged_in(system.urls["platform"], accounts["mishima"])
    foreign = await other.post("/certificates/lookup", json={"contract_number": advance_no, "auth_key": key})
    assert foreign.status_code == 404 and foreign.json() == wrong.json()

    # Contractor B sees nothing of A's.
    contractor_b = await logged_in(system.urls["application"], accounts["b"])
    assert (await contractor_b.get(f"/contracts/{advance_no}")).status_code == 404
    assert (await contractor_b.get(f"/contracts/{advance_no}/key-notice.pdf")).status_code == 404
    assert (await contractor_b.get(f"/applications/{app['id']}")).status_code == 404
    assert advance_no not in {row["contract_number"] for row in (await contractor_b.get("/contracts")).json()}

    # Every event of this application carried one correlation id, and never the key.
    async def all_pipeline_types():
        events.extend(await drain(tap_queue))
        mine = [e for e in events if e["correlationid"] == "e2e-sample-1"]
        return mine if {e["type"] for e in mine} >= PIPELINE_TYPES else None

    events: list[dict] = []
    mine = await eventually(all_pipeline_types, timeout=20)
    assert all(key not in json.dumps(e, ensure_ascii=False) for e in events)
    assert {e["subject"] for e in mine if e["type"].startswith("jp.esurety.certificate.")} == {
        c["contract_number"] for c in app["certificates"]
    }
    for client in (contractor, contractor_b, orderer, other):
        await client.aclose()


async def test_redelivered_events_change_nothing(system, accounts, tap):
    """Re-publish every event of an issued application (same ids): one certificate, one arrival time, one email each."""
    tap_queue, exchange = tap
    await drain(tap_queue)
    contractor = await logged_in(system.urls["application"], accounts["a"])
    form = sample_form(date.today())
    form["contract"]["construction_name"] = "再配送確認工事"
    app = await issued_application(contractor, form, correlation_id="e2e-redelivery")
    numbers = {c["contract_number"] for c in app["certificates"]}

    async def mails_for_app():
        found = [m for m in system.mails if "再配送確認工事" in m.message.get_body(("plain",)).get_content()]
        return found if len(found) == 2 else None

    await eventually(mails_for_app, timeout=30)
    events: list[dict] = []

    async def collected():
        events.extend(await drain(tap_queue))
        return len([e for e in events if e["correlationid"] == "e2e-redelivery"]) >= 5

    await eventually(collected, timeout=20)
    before = {n: (await contractor.get(f"/contracts/{n}")).json() for n in numbers}

    for event in (e for e in events if e["correlationid"] == "e2e-redelivery"):
        await exchange.publish(
            aio_pika.Message(json.dumps(event, ensure_ascii=False).encode(), delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
            routing_key=event["type"],
        )
    # A marker application behind the duplicates: once its emails are out, every queue has passed them.
    marker = sample_form(date.today())
    marker["contract"]["construction_name"] = "再配送後の目印工事"
    await issued_application(contractor, marker)

    async def marker_mails():
        return len([m for m in system.mails if "再配送後の目印工事" in m.message.get_body(("plain",)).get_content()]) == 2

    await eventually(marker_mails, timeout=30)
    issuance = system.contexts["issuance"].pool
    platform = system.contexts["platform"].pool
    notifier = system.contexts["notifier"].pool
    assert await issuance.fetchval("SELECT count(*) FROM certificates WHERE contract_number = ANY($1)", list(numbers)) == 2
    assert await platform.fetchval("SELECT count(*) FROM certificate_versions WHERE contract_number = ANY($1)", list(numbers)) == 2
    assert await notifier.fetchval("SELECT count(*) FROM email_outbox WHERE contract_number = ANY($1)", list(numbers)) == 2
    after = {n: (await contractor.get(f"/contracts/{n}")).json() for n in numbers}
    assert [after[n]["history"] for n in numbers] == [before[n]["history"] for n in numbers]
    found = [m for m in system.mails if "再配送確認工事" in m.message.get_body(("plain",)).get_content()]
    assert len(found) == 2
    await contractor.aclose()


async def test_orderer_not_yet_accepting_is_refused_at_confirm_with_the_start_date(system, accounts):
    """申込確認 knows the registry (issuance's internal API): 三島市 takes 電子保証 for contracts from 令和8年1月1日."""
    contractor = await logged_in(system.urls["application"], accounts["a"])
    form = sample_form(date(2025, 12, 1))
    form["contract"].update(orderer_code="mishima-city", orderer_name="三島市長")
    draft = (await contractor.post("/applications", json=form)).json()
    confirmed = (await contractor.post(f"/applications/{draft['id']}/confirm")).json()
    assert not confirmed["ok"]
    refused = [p for p in confirmed["problems"] if p["severity"] == "error"]
    assert {p["path"] for p in refused} == {"advance_payment.certificate_format", "contract_guarantee.certificate_format"}
    assert all("三島市" in p["message"] and "令和8年1月1日" in p["message"] for p in refused)
    submitted = await contractor.post(f"/applications/{draft['id']}/submit")
    assert submitted.status_code == 422
    await contractor.aclose()


async def test_what_only_the_surety_company_knows_is_rejected_with_reason(system, accounts):
    """An unknown 申込送信先 passes 申込確認 (the branch list is the surety company's) and is rejected on receipt."""
    contractor = await logged_in(system.urls["application"], accounts["a"])
    form = sample_form(date.today())
    form["information"]["branch"] = "存在しない支店"
    draft = (await contractor.post("/applications", json=form)).json()
    assert (await contractor.post(f"/applications/{draft['id']}/confirm")).json()["ok"]
    assert (await contractor.post(f"/applications/{draft['id']}/submit")).status_code == 202

    async def rejected():
        app = (await contractor.get(f"/applications/{draft['id']}")).json()
        return app if app["status"] == "rejected" else None

    app = await eventually(rejected, timeout=30)
    (reason,) = app["rejection_reasons"]
    assert reason["field"] == "branch" and "存在しない支店" in reason["message"]
    await contractor.aclose()


async def test_poison_message_is_dead_lettered_and_the_pipeline_goes_on(system, accounts, common_settings):
    from shared.bus.topology import find_consumer

    connection = await aio_pika.connect(common_settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(f"{common_settings.bus_namespace}.events")
        await exchange.publish(
            aio_pika.Message(b"\xff not json", delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
            routing_key="jp.esurety.application.submitted.v1",
        )
        contractor = await logged_in(system.urls["application"], accounts["a"])
        form = sample_form(date.today())
        form["contract"]["construction_name"] = "毒メッセージ後の工事"
        app = await issued_application(contractor, form)
        assert app["status"] == "issued"
        for service in ("issuance", "notifier"):
            name = find_consumer(service, "jp.esurety.application.submitted.v1").queue_name(common_settings)
            dlq = await channel.get_queue(f"{name}.dlq")
            dead = await eventually(lambda: dlq.get(fail=False))
            assert dead.body == b"\xff not json"
            assert "invalid" in dead.headers["x-dead-letter-reason"]
            await dead.ack()
        await contractor.aclose()
