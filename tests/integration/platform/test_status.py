"""期間満了 and 解約 on D-Sure, on the real database: the status events kept by 保証契約番号 (also when they
come before the certificate itself), once, whatever the copies; a paper guarantee's ignored; the orderer still
opens an ended certificate and sees the status prominently (the page and the JSON API), and the
保証確認台帳 shows it with its date, never 期限間近, and filters by it."""

import csv
import io
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from services.platform.handlers import status
from shared.events import (
    CancellationReason,
    CertificateCancelled,
    CertificateCancelledV1,
    CertificateExpired,
    CertificateExpiredV1,
    Product,
)
from tests.integration.platform.conftest import new_contract_number
from tests.integration.platform.test_http import KEY, issue
from tests.integration.platform.test_viewer_pages import staff  # noqa: F401 (fixture)
from tests.samples import sample_certificate_content
from tests.unit.platform.samples import certificate

pytestmark = pytest.mark.integration


def expired(number: str, expiry: date, *, electronic: bool = True) -> CertificateExpired:
    data = CertificateExpiredV1(
        contract_number=number, product=Product.ADVANCE_PAYMENT, application_id=uuid.uuid4(),
        contractor_company_id=uuid.uuid4(), electronic=electronic, guarantee_expiry=expiry,
        expired_on=expiry + timedelta(days=1), expired_at=datetime.now(timezone.utc),
    )
    return CertificateExpired.wrap(data, source="/esurety/issuance", subject=number, correlation_id=f"expiry-{number}")


def cancelled(number: str, on: date) -> CertificateCancelled:
    data = CertificateCancelledV1(
        contract_number=number, product=Product.ADVANCE_PAYMENT, application_id=uuid.uuid4(),
        contractor_company_id=uuid.uuid4(), electronic=True, request_id=uuid.uuid4(), cancelled_on=on,
        cancelled_at=datetime.now(timezone.utc), reason=CancellationReason.NOT_NEEDED,
    )
    return CertificateCancelled.wrap(data, source="/esurety/issuance", subject=number, correlation_id="c")


def copy_of(event):
    return event.model_copy(update={"id": str(uuid.uuid4())})


async def test_an_expired_certificate_before_and_after_it_arrives(platform, staff, http, login_as):  # noqa: F811
    pool = platform.pool
    content = certificate(new_contract_number())
    number, expiry = content.contract_number, content.guarantee_expiry
    event = expired(number, expiry)
    await status.on_certificate_expired(pool, event)  # before the certificate: kept, joined when read
    await issue(platform, content)
    await status.on_certificate_expired(pool, event)  # redelivered
    await status.on_certificate_expired(pool, copy_of(event))  # a copy
    later = cancelled(number, date(2099, 1, 1))
    await status.on_certificate_cancelled(pool, later)  # an ended guarantee ends once: the first stands
    rows = await pool.fetch("SELECT * FROM certificate_endings WHERE contract_number = $1", number)
    assert [(r["status"], r["ended_on"]) for r in rows] == [("expired", expiry + timedelta(days=1))]
    label = (await status.ending_of(pool, number)).label

    # The orderer still opens it, with the status prominent.
    kawasaki = await staff(display="契約課 山田")
    opened = await kawasaki.lookup(number, KEY)
    assert opened.status_code == 303
    view = await kawasaki.get(opened.headers["location"])
    assert view.status_code == 200 and content.construction_name in view.text
    assert 'id="status-note"' in view.text and "に期間満了となりました。表示している保証証書は期間満了前の内容です。" in view.text
    register = await kawasaki.get("/viewer/register")
    assert f'<span class="tag tag--red">{label}</span>' in register.text
    only_expired = await kawasaki.get("/viewer/register", params={"status": "expired"})
    assert number in only_expired.text
    assert number not in (await kawasaki.get("/viewer/register", params={"status": "cancelled"})).text
    assert number not in (await kawasaki.get("/viewer/register", params={"status": "expiring"})).text
    download = await kawasaki.get("/viewer/register.csv")
    table = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    [line] = [r for r in table[1:] if r[0] == number]
    assert line[table[0].index("期間満了・解約")] == label and line[table[0].index("期限間近")] == ""

    # The JSON API says it too.
    headers = await login_as()
    answer = await http.post("/certificates/lookup", json={"contract_number": number, "auth_key": KEY}, headers=headers)
    assert answer.status_code == 200
    assert answer.json()["status"] == {
        "status": "expired", "label": label, "ended_on": (expiry + timedelta(days=1)).isoformat(),
    }


async def test_a_cancelled_certificate_soon_to_expire_is_not_expiring(platform, staff, http, login_as):  # noqa: F811
    pool = platform.pool
    soon = datetime.now(timezone(timedelta(hours=9))).date() + timedelta(days=10)
    content = sample_certificate_content(contract_number=new_contract_number(), guarantee_expiry=soon, period_end=soon)
    await issue(platform, content)
    kawasaki = await staff(display="契約課 佐藤")
    assert (await kawasaki.lookup(content.contract_number, KEY)).status_code == 303
    expiring = await kawasaki.get("/viewer/register", params={"status": "expiring"})
    assert content.contract_number in expiring.text  # in force: 期限間近
    await status.on_certificate_cancelled(pool, cancelled(content.contract_number, date(2026, 11, 30)))
    after = await kawasaki.get("/viewer/register", params={"status": "expiring"})
    assert content.contract_number not in after.text
    listed = await kawasaki.get("/viewer/register", params={"status": "cancelled"})
    assert '<span class="tag tag--red">解約（令和8年11月30日）</span>' in listed.text
    view = await kawasaki.get(f"/viewer/certificates/{content.contract_number}")
    assert view.status_code == 200 and "この保証は令和8年11月30日に解約されました。" in view.text
    headers = await login_as()
    answer = await http.post("/certificates/lookup", json={"contract_number": content.contract_number, "auth_key": KEY},
                             headers=headers)
    assert answer.json()["status"]["label"] == "解約（令和8年11月30日）"
    # In force elsewhere: no status.
    other = certificate(new_contract_number())
    await issue(platform, other)
    fresh = await http.post("/certificates/lookup", json={"contract_number": other.contract_number, "auth_key": KEY},
                            headers=headers)
    assert fresh.json()["status"] is None


async def test_a_paper_guarantee_s_status_is_not_kept(platform):
    number = new_contract_number("K")
    await status.on_certificate_expired(platform.pool, expired(number, date(2027, 3, 31), electronic=False))
    assert await platform.pool.fetchval("SELECT count(*) FROM certificate_endings WHERE contract_number = $1", number) == 0
