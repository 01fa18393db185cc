"""The contractor API against its own OpenAPI document (schemathesis): whatever a client may send, the
answer is no server error and is what the document says (status code, content type, headers, body).

The service is built by its bootstrap on the real PostgreSQL and RabbitMQ (a bus namespace of this
module's own), with the package's fake issuance API, and served over HTTP by uvicorn on a thread of its
own (tests/integration/service_thread.py says why). Every operation gets a bounded, derandomized set of
examples; authenticated operations carry a bearer token of a company of this module's own, so that the
checks reach past 401. The tests:
- every operation but logout, with generated input (schemathesis's coverage cases, the schema's
  examples and MAX_EXAMPLES generated cases), then again with the harness's edge values mixed in;
- logout, each case with a fresh token (it ends the token it is sent with);
- one known-good request per operation (generated input hardly ever names an existing application or
  contract), so that the 2xx answers are validated too;
- NUL in a draft's field, which generation does not reach (see that test).
"""

import contextlib
import uuid
from dataclasses import dataclass
from datetime import date

import pytest
import requests
import schemathesis
from schemathesis import BaseSchema

from services.application.bootstrap import build
from services.application.entrypoints.cli import create_company, create_user
from services.application.handlers import events
from services.application.settings import Settings
from shared.events import Product
from tests.conftest import TEST_DATABASE_URL, delete_bus_namespace
from tests.integration.application.conftest import (
    INTERNAL_TOKEN,
    Contractor,
    FakeIssuance,
    _fake_issuance_app,
    certificate_issued,
    certificate_published,
    contract_number,
)
from tests.integration.openapi_harness import (
    EDGE_SETTINGS,
    FUZZ_SETTINGS,
    FuzzerSession,
    generation_from_the_document_alone,
    load_schema,
    login,
)
from tests.integration.service_thread import (
    ServiceThread,
    own_bus_namespace,
    serve_http,
)
from tests.unit.application import forms

pytestmark = pytest.mark.integration

PASSWORD = "oas-contractor-password"
KEY = "Z28YUE4J3Bux"


@pytest.fixture(scope="module", autouse=True)
def _examples_from_the_document_alone():
    with generation_from_the_document_alone():
        yield


@dataclass
class Served:
    url: str
    session: requests.Session  # the examples' (from FUZZER_ADDRESS)
    thread: ServiceThread
    pool: object
    issuance: FakeIssuance
    company: Contractor  # its headers are unused: each test logs in
    fuzzer: str
    logout_user: str


@pytest.fixture(scope="module")
def contractor_api(fresh_database, common_env) -> Served:
    """The contractor API served on its own thread, and a company of its own with two users (one for logout)."""
    settings = Settings(
        **own_bus_namespace(common_env), issuance_internal_url="http://unset", internal_api_token=INTERNAL_TOKEN
    )

    @contextlib.asynccontextmanager
    async def lifecycle():
        fake = FakeIssuance(url="")
        async with serve_http(_fake_issuance_app(fake)) as issuance_url:
            fake.url = issuance_url
            ctx = await build(settings.model_copy(update={"issuance_internal_url": issuance_url}))
            await ctx.start()
            try:
                async with serve_http(ctx.http_app) as url:
                    yield url, ctx.pool, fake
            finally:
                await ctx.stop()
                await delete_bus_namespace(settings)

    with ServiceThread(lifecycle) as thread:
        url, pool, fake = thread.value
        suffix = uuid.uuid4().hex[:6]
        name = f"スキーマ検証建設 株式会社 {suffix}"
        company_id = thread.run(create_company(name, "東京都千代田区丸の内1-1", database_url=TEST_DATABASE_URL))
        fuzzer, logout_user = f"oas-fuzzer-{suffix}", f"oas-logout-{suffix}"
        for login_id in (fuzzer, logout_user):
            thread.run(create_user(name, login_id, PASSWORD, "検証 太郎", database_url=TEST_DATABASE_URL))
        with FuzzerSession() as session:
            yield Served(url, session, thread, pool, fake, Contractor(company_id, name, {}), fuzzer, logout_user)


@pytest.fixture(scope="module")
def contractor_schema(contractor_api) -> BaseSchema:
    """Every operation but logout, with one token for all of them."""
    token = login(contractor_api.url, contractor_api.fuzzer, PASSWORD)
    return load_schema(contractor_api.url, lambda: token)


@pytest.fixture(scope="module")
def contractor_edge_schema(contractor_api) -> BaseSchema:
    """The same, with the harness's edge values (NUL, huge numbers) mixed into parameters and body fields."""
    token = login(contractor_api.url, contractor_api.fuzzer, PASSWORD)
    return load_schema(contractor_api.url, lambda: token, edge_values=True)


@pytest.fixture(scope="module")
def logout_schema(contractor_api) -> BaseSchema:
    """Logout ends the token it is sent with: each of its cases gets a fresh one (a login of a second user)."""
    return load_schema(contractor_api.url, lambda: login(contractor_api.url, contractor_api.logout_user, PASSWORD))


contractor = schemathesis.pytest.from_fixture("contractor_schema")
contractor_edge = schemathesis.pytest.from_fixture("contractor_edge_schema")
logout = schemathesis.pytest.from_fixture("logout_schema")


@contractor.exclude(path="/auth/logout").parametrize()
@FUZZ_SETTINGS
def test_contractor_api_conforms_to_its_openapi_document(case, contractor_api):
    case.call_and_validate(base_url=contractor_api.url, session=contractor_api.session)


@contractor_edge.exclude(path="/auth/logout").parametrize()
@EDGE_SETTINGS
def test_contractor_api_conforms_with_edge_values(case, contractor_api):
    case.call_and_validate(base_url=contractor_api.url, session=contractor_api.session)


@logout.include(path="/auth/logout").parametrize()
@FUZZ_SETTINGS
def test_logout_conforms_to_the_openapi_document(case, contractor_api):
    case.call_and_validate(base_url=contractor_api.url, session=contractor_api.session)


def test_successful_answers_conform_to_the_openapi_document(contractor_api, contractor_schema):
    """One known-good request per operation (a draft, its submission, issued contracts with a key and PDFs,
    a bid bond won and one lost), each answer validated by the same checks."""
    served = contractor_api
    company = served.company
    headers = {"Authorization": f"Bearer {login(served.url, served.fuzzer, PASSWORD)}"}

    def call(method: str, path: str, status: int, **parts) -> dict | None:
        case = contractor_schema[path][method].Case(headers=headers, **parts)
        response = case.call_and_validate(base_url=served.url)
        assert response.status_code == status, response.text
        content_type = response.headers.get("content-type", [""])[0]  # schemathesis: a list per header
        return response.json() if response.content and content_type.startswith("application/json") else None

    def issued(application_id: str, product: Product, **content) -> str:
        number = contract_number(product)
        event = certificate_issued(
            application_id=uuid.UUID(application_id), company=company, product=product, number=number, **content
        )
        served.thread.run(events.on_certificate_issued(served.pool, event))
        served.thread.run(events.on_certificate_published(served.pool, certificate_published(event)))
        served.issuance.keys[number] = (str(company.company_id), KEY)
        return number

    draft = call("POST", "/applications", 201, body=forms.valid_form())
    one = {"application_id": draft["id"]}
    call("GET", "/applications", 200)
    call("GET", "/applications/{application_id}", 200, path_parameters=one)
    call("PUT", "/applications/{application_id}", 200, path_parameters=one, body=forms.valid_form())
    call("POST", "/applications/{application_id}/confirm", 200, path_parameters=one)
    call("POST", "/applications/{application_id}/submit", 202, path_parameters=one, body={})
    call("POST", "/applications/{application_id}/submit", 200, path_parameters=one, body={})
    other = call("POST", "/applications", 201, body=forms.valid_form())
    call(
        "DELETE", "/applications/{application_id}/sections/{section}", 200,
        path_parameters={"application_id": other["id"], "section": "information"},
    )

    advance = issued(draft["id"], Product.ADVANCE_PAYMENT)
    number = {"contract_number": advance}
    call("GET", "/contracts", 200)
    call("GET", "/contracts", 200, query={"product": "advance_payment", "contract_number": advance})
    call("GET", "/contracts/{contract_number}", 200, path_parameters=number)
    call("GET", "/contracts/{contract_number}/certificate.pdf", 200, path_parameters=number)
    call("GET", "/contracts/{contract_number}/key-notice.pdf", 200, path_parameters=number)
    call("POST", "/contracts/{contract_number}/intermediate-application", 201, path_parameters=number)

    bond_form = forms.bid_bond_form() | {"tender": {"order_type": "一般競争入札", "below_low_bid_price": False}}
    bond = {
        "guaranteed_amount": 4_850_000, "contract_amount": None, "contract_date": None,
        "bid_date": date(2023, 3, 1), "bid_amount": 48_500_000, "clause": "契約保証予約約款",
    }
    for won, status in ((True, 201), (False, 200)):  # 落札: a new draft; not: 失効
        application = call("POST", "/applications", 201, body=bond_form)
        number = {"contract_number": issued(application["id"], Product.BID_BOND, **bond)}
        call("POST", "/contracts/{contract_number}/bid-result", status, path_parameters=number, body={"won": won})

    headers = {"Authorization": f"Bearer {login(served.url, served.logout_user, PASSWORD)}"}
    call("POST", "/auth/logout", 204)


def test_edge_values_in_a_draft_conform_to_the_openapi_document(contractor_api, contractor_schema):
    """NUL in a field of a draft (a draft keeps whatever was entered). Schemathesis seldom fills the named
    fields of the draft's open, untyped form, so its edge-value pass does not reach them: named here."""
    served = contractor_api
    headers = {"Authorization": f"Bearer {login(served.url, served.fuzzer, PASSWORD)}"}
    form = forms.valid_form()
    form["contract"]["construction_name"] = "河川維持\u0000工事"
    draft = contractor_schema["/applications"]["POST"].Case(headers=headers, body=form)
    draft.call_and_validate(base_url=served.url)
    created = contractor_schema["/applications"]["POST"].Case(headers=headers, body=forms.valid_form())
    one = {"application_id": created.call_and_validate(base_url=served.url).json()["id"]}
    replace = contractor_schema["/applications/{application_id}"]["PUT"].Case(
        headers=headers, path_parameters=one, body=form
    )
    replace.call_and_validate(base_url=served.url)
