"""ApplicationSubmitted on the real exchange → certificates in PostgreSQL → CertificateIssued on the exchange."""

import re
import subprocess
import uuid
from datetime import date, datetime, timezone

import pytest

from services.issuance.handlers.issue_certificates import handle_application_submitted
from shared.auth import verify_auth_key
from shared.events import CertificateContent, CertificateIssued, content_digest
from shared.japanese import JST
from tests.conftest import eventually
from tests.integration.issuance.conftest import rendered
from tests.unit.issuance.factories import COMPANY_ID, advance, application, contract_guarantee, submitted

pytestmark = pytest.mark.integration

NUMBER = re.compile(r"^\d{5}-\d{5}[MCKY]$")


def pdf_text(pdf: bytes) -> str:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return re.sub(r"\s+", "", text)


async def test_issues_both_products(issuance, emitted, publish):
    data = application()
    event = submitted(data, correlation_id="corr-" + uuid.uuid4().hex)
    await publish(event)
    issued = await eventually(lambda: len(emitted.issued(data.application_id)) == 2 and emitted.issued(data.application_id))

    year = f"{datetime.now(JST).year % 100:02d}"
    by_product = {e["data"]["product"]: e for e in issued}
    assert set(by_product) == {"advance_payment", "contract_guarantee"}
    for product, letter in (("advance_payment", "M"), ("contract_guarantee", "K")):
        cloud = CertificateIssued.model_validate(by_product[product])
        number = cloud.data.contract_number
        assert NUMBER.match(number) and number.endswith(letter)
        assert number.startswith("350" + year + "-")  # 神奈川支店 + year of issue
        assert cloud.subject == number
        assert cloud.source == "/esurety/issuance"
        assert cloud.correlationid == event.correlationid
        assert cloud.data.version == 0 and cloud.data.version_label == "新規"
        assert cloud.data.contractor_company_id == COMPANY_ID
        assert cloud.data.content_digest == content_digest(cloud.data.certificate)
        assert cloud.data.certificate.obligee.name == "川崎市長"
        assert cloud.data.certificate.certificate_date == datetime.now(JST).date()

        await rendered(issuance.pool, number)
        row = await issuance.pool.fetchrow("SELECT * FROM certificates WHERE contract_number = $1", number)
        key = row["auth_key"]
        assert re.fullmatch(r"[2-9A-HJ-NP-Za-km-np-z]{12}", key)
        assert verify_auth_key(cloud.data.auth_key_hash, key)
        assert not verify_auth_key(cloud.data.auth_key_hash, key[::-1])
        # The keyed hash under the current key id of the settings (tests/conftest.py), also as stored.
        assert re.fullmatch(r"hmac-sha256\$v1\$test-1\$[0-9a-f]{64}", cloud.data.auth_key_hash)
        assert row["auth_key_hash"] == cloud.data.auth_key_hash
        raw = next(b for b in emitted.bodies if number.encode() in b)
        assert key.encode() not in raw  # the key itself never travels
        assert CertificateContent.model_validate(row["content"]) == cloud.data.certificate
        assert row["content_digest"] == cloud.data.content_digest
        assert row["application_id"] == data.application_id

        certificate = pdf_text(row["certificate_pdf"])
        notice = pdf_text(row["key_notice_pdf"])
        assert number in certificate and number in notice and key in notice
        assert ("20,000,000円" if letter == "M" else "5,000,000円") in certificate
        assert "50,000,000円" in certificate
        assert "令和09年03月31日" in certificate  # 保証期限 = 工期末 2027-03-31
        assert "令和08年07月01日" in certificate  # 請負契約日 2026-07-01
        assert ("保証証書（前払金保証）" if letter == "M" else "保証証書（契約保証）") in certificate


async def test_unaccepted_application_is_rejected(issuance, emitted, publish):
    data = application(contract_date=date(2023, 3, 31))  # 川崎市: from 2023-04-01
    event = submitted(data)
    await publish(event)
    rejected = await eventually(lambda: emitted.rejected(data.application_id))
    assert len(rejected) == 1
    assert rejected[0]["correlationid"] == event.correlationid
    assert rejected[0]["subject"] == str(data.application_id)
    assert rejected[0]["data"]["reasons"] == [
        {
            "field": "contract.contract_date",
            "rule": "orderer_not_yet_e_surety",
            "message": "川崎市は2023年4月1日（令和5年4月1日）以降に締結する契約から電子保証に対応しています。",
        }
    ]
    assert await issuance.pool.fetchval("SELECT count(*) FROM certificates WHERE application_id = $1", data.application_id) == 0
    assert await issuance.pool.fetchval("SELECT count(*) FROM rejections WHERE application_id = $1", data.application_id) == 1


async def test_missing_tender_notice_date_and_unknown_branch(issuance, emitted, publish):
    data = application(orderer_code="yurihonjo-city", orderer_name="由利本荘市長", branch="月面支店")
    await publish(submitted(data))
    rejected = await eventually(lambda: emitted.rejected(data.application_id))
    assert [(r["field"], r["rule"]) for r in rejected[0]["data"]["reasons"]] == [
        ("branch", "branch_unknown"),
        ("contract.tender_notice_date", "tender_notice_date_required"),
    ]


async def test_duplicate_delivery_issues_once(issuance, emitted, publish, handled):
    data = application(products=[advance()])
    event = submitted(data)
    await publish(event)
    await eventually(lambda: emitted.issued(data.application_id))
    await publish(event)  # the same event id again (a redelivery)
    await eventually(lambda: handled.calls[event.id] == 2)
    again = submitted(data)  # the same application under a new event id
    await publish(again)
    await eventually(lambda: handled.calls[again.id] == 1)
    assert handled.failures[event.id] == handled.failures[again.id] == 0
    assert await issuance.pool.fetchval("SELECT count(*) FROM certificates WHERE application_id = $1", data.application_id) == 1
    assert len(emitted.issued(data.application_id)) == 1


async def test_numbers_unique_and_serials_increase(issuance, emitted, publish):
    serials = []
    for _ in range(3):
        data = application(products=[advance(), contract_guarantee()], branch="長野支店")
        await publish(submitted(data))
        issued = await eventually(lambda: len(emitted.issued(data.application_id)) == 2 and emitted.issued(data.application_id))
        serials.append({e["data"]["product"]: e["data"]["contract_number"] for e in issued})
    for product in ("advance_payment", "contract_guarantee"):
        numbers = [s[product] for s in serials]
        assert all(n.startswith("370") for n in numbers)
        values = [int(n[6:11]) for n in numbers]
        assert values == sorted(values) and len(set(values)) == 3
    all_numbers = await issuance.pool.fetch("SELECT contract_number FROM certificates")
    assert len({r["contract_number"] for r in all_numbers}) == len(all_numbers)


async def test_a_failure_mid_issue_leaves_nothing_behind(issuance, monkeypatch):
    """One transaction: inbox row, certificates, PDF jobs and outbox commit together or not at all."""
    from services.issuance.handlers import issue_certificates

    real_enqueue = issue_certificates.enqueue

    async def broken(conn, event):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(issue_certificates, "enqueue", broken)
    data = application(products=[advance()])
    event = submitted(data)
    with pytest.raises(RuntimeError):
        await handle_application_submitted(issuance.pool, event)
    pool = issuance.pool
    assert await pool.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", event.id) == 0
    assert await pool.fetchval("SELECT count(*) FROM certificates WHERE application_id = $1", data.application_id) == 0
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE correlation_id = $1", event.correlationid) == 0

    # The retry (as the bus would redeliver it) issues normally; the drawn serial is simply skipped.
    monkeypatch.setattr(issue_certificates, "enqueue", real_enqueue)
    await handle_application_submitted(pool, event, clock=lambda: datetime.now(timezone.utc))
    assert await pool.fetchval("SELECT count(*) FROM certificates WHERE application_id = $1", data.application_id) == 1
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE correlation_id = $1", event.correlationid) == 1
