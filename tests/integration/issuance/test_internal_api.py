"""The internal API the application service calls: bearer token, company check, key and PDFs."""

import uuid

import httpx
import pytest

from tests.conftest import eventually
from tests.integration.issuance.conftest import INTERNAL_TOKEN
from tests.unit.issuance.factories import COMPANY_ID, advance, application, submitted

pytestmark = pytest.mark.integration

AUTH = {"Authorization": f"Bearer {INTERNAL_TOKEN}"}


@pytest.fixture(scope="module")
async def issued_number(issuance, emitted, publish) -> str:
    data = application(products=[advance()])
    await publish(submitted(data))
    issued = await eventually(lambda: emitted.issued(data.application_id))
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
