"""The internal API the application service calls: bearer token, company check, key and PDFs, and the
orderer registry."""

import uuid

import httpx
import pytest

from services.issuance.domain.model import JudgedOn, Orderer
from services.issuance.entrypoints.cli import add_orderer
from tests.conftest import TEST_DATABASE_URL, eventually
from tests.integration.issuance.conftest import INTERNAL_TOKEN, rendered
from tests.unit.issuance.factories import COMPANY_ID, PAPER_DELIVERY, advance, application, paper, submitted

pytestmark = pytest.mark.integration

AUTH = {"Authorization": f"Bearer {INTERNAL_TOKEN}"}


@pytest.fixture(scope="module")
async def issued_number(issuance, emitted, publish) -> str:
    data = application(products=[advance()])
    await publish(submitted(data))
    issued = await eventually(lambda: emitted.issued(data.application_id))
    await rendered(issuance.pool, issued[0]["data"]["contract_number"])
    return issued[0]["data"]["contract_number"]


@pytest.fixture
async def client(issuance):
    transport = httpx.ASGITransport(app=issuance.http_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://issuance") as c:
        yield c


async def test_auth_key(client, issuance, issued_number):
    stored = await issuance.pool.fetchval("SELECT auth_key FROM certificates WHERE contract_number = $1", issued_number)
    r = await client.get(f"/internal/certificates/{issued_number}/auth-key", headers={**AUTH, "X-Company-Id": str(COMPANY_ID)})
    assert r.status_code == 200
    assert r.json() == {"contract_number": issued_number, "auth_key": stored}
    assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("document", ["certificate.pdf", "key-notice.pdf"])
async def test_pdfs(client, issuance, issued_number, document):
    column = "certificate_pdf" if document == "certificate.pdf" else "key_notice_pdf"
    stored = await issuance.pool.fetchval(f"SELECT {column} FROM certificates WHERE contract_number = $1", issued_number)
    r = await client.get(
        f"/internal/certificates/{issued_number}/documents/{document}", headers={**AUTH, "X-Company-Id": str(COMPANY_ID)}
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.content == bytes(stored) and r.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {INTERNAL_TOKEN}"}, {"Authorization": "Bearer "}],
)
async def test_token_required(client, issued_number, headers):
    for path in ("auth-key", "documents/certificate.pdf", "documents/key-notice.pdf"):
        r = await client.get(f"/internal/certificates/{issued_number}/{path}", headers={**headers, "X-Company-Id": str(COMPANY_ID)})
        assert r.status_code == 401, path
        assert r.json() == {"detail": "認証が必要です。"}


async def test_other_company_gets_the_same_404_as_unknown(client, issued_number):
    other = {**AUTH, "X-Company-Id": str(uuid.uuid4())}
    for path in ("auth-key", "documents/certificate.pdf", "documents/key-notice.pdf"):
        foreign = await client.get(f"/internal/certificates/{issued_number}/{path}", headers=other)
        unknown = await client.get(f"/internal/certificates/99999-99999M/{path}", headers={**AUTH, "X-Company-Id": str(COMPANY_ID)})
        assert foreign.status_code == unknown.status_code == 404
        assert foreign.json() == unknown.json() == {"detail": "保証契約が見つかりません。"}


async def test_company_header_required(client, issued_number):
    r = await client.get(f"/internal/certificates/{issued_number}/auth-key", headers=AUTH)
    assert r.status_code == 422


@pytest.fixture(scope="module")
async def paper_number(issuance, emitted, publish) -> str:
    data = application(products=[paper(advance())], paper_delivery=PAPER_DELIVERY)
    await publish(submitted(data))
    issued = await eventually(lambda: emitted.paper(data.application_id))
    await rendered(issuance.pool, issued[0]["data"]["contract_number"])
    return issued[0]["data"]["contract_number"]


async def test_paper_certificate_has_a_pdf_but_no_key(client, issuance, paper_number):
    company = {**AUTH, "X-Company-Id": str(COMPANY_ID)}
    for path in ("auth-key", "documents/key-notice.pdf"):
        r = await client.get(f"/internal/certificates/{paper_number}/{path}", headers=company)
        assert r.status_code == 404, path
        assert r.json() == {"detail": "保証契約が見つかりません。"}
    r = await client.get(f"/internal/certificates/{paper_number}/documents/certificate.pdf", headers=company)
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    stored = await issuance.pool.fetchval("SELECT certificate_pdf FROM certificates WHERE contract_number = $1", paper_number)
    assert r.content == bytes(stored)


async def test_orderers(client):
    await add_orderer(TEST_DATABASE_URL, Orderer("paper-town", "紙町", "紙町長", None, JudgedOn.CONTRACT_DATE))
    r = await client.get("/internal/orderers", headers=AUTH)  # no X-Company-Id: the registry is not a company's
    assert r.status_code == 200
    by_code = {o["code"]: o for o in r.json()}
    assert by_code["kawasaki-city"] == {
        "code": "kawasaki-city", "name": "川崎市", "certificate_name": "川崎市長", "e_surety_from": "2023-04-01",
        "judged_on": "contract_date", "rounding_unit": 10000, "requires_tender_status": False,
        "advance_payment_percent": 40, "note": "令和5年4月1日以降契約締結分",
    }
    assert by_code["yurihonjo-city"]["judged_on"] == "tender_notice_date"
    assert by_code["nagano-pref"]["rounding_unit"] == 100000
    assert by_code["paper-town"]["e_surety_from"] is None  # does not accept 電子保証
    assert {"kawasaki-city", "mishima-city", "yurihonjo-city", "nagano-pref", "hitachinaka-city"} <= set(by_code)


async def test_orderers_need_the_token(client):
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        r = await client.get("/internal/orderers", headers=headers)
        assert r.status_code == 401
        assert r.json() == {"detail": "認証が必要です。"}
