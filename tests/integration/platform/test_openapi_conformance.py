"""The orderer API against its own OpenAPI document (schemathesis): whatever a client may send, the answer
is no server error and is what the document says (status code, content type, headers, body).

The platform service is built by its bootstrap on the real PostgreSQL and RabbitMQ (a bus namespace of
this module's own) and served over HTTP by uvicorn on a thread of its own
(tests/integration/service_thread.py says why). Every operation gets a bounded, derandomized set of
examples; authenticated operations carry a bearer token of an orderer user of an organisation of this
module's own (lookups throttle per organisation too: fuzzing must not throttle the package's 川崎市).
The tests: every operation but logout with generated input, then again with the harness's edge values
mixed in; logout, each case with a fresh token (it ends the token it is sent with); and, since generated
input never names a certificate with its key, one opened (and as PDF) with its answers validated too.
"""

import contextlib
import uuid
from dataclasses import dataclass

import pytest
import requests
import schemathesis
from schemathesis import BaseSchema

from services.platform.bootstrap import build
from services.platform.handlers.accounts import create_organisation, create_user
from services.platform.handlers.certificates import record_arrival
from services.platform.settings import Settings
from tests.conftest import delete_bus_namespace
from tests.integration.openapi_harness import (
    EDGE_SETTINGS,
    FUZZ_SETTINGS,
    FuzzerSession,
    generation_from_the_document_alone,
    load_schema,
    login,
)
from tests.integration.platform.conftest import new_contract_number
from tests.integration.service_thread import (
    ServiceThread,
    own_bus_namespace,
    serve_http,
)
from tests.unit.platform.samples import certificate, issued_event

pytestmark = pytest.mark.integration

PASSWORD = "oas-orderer-password"
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
    organisation: str
    fuzzer: str
    logout_user: str


@pytest.fixture(scope="module")
def orderer_api(fresh_database, common_env) -> Served:
    """The orderer API served on its own thread, and an organisation of its own with two users (one for logout)."""
    # The lookup throttles (5 failures per user, 10 per number, 20 per organisation) would answer every
    # lookup after the first few with 429 before reading it: lifted, so that the examples reach validation
    # and the lookup itself (the throttles have their own tests in test_http.py).
    settings = Settings(
        **own_bus_namespace(common_env),
        pdf_processes=1,
        lookup_max_failures=1_000_000,
        lookup_number_max_failures=1_000_000,
        lookup_organisation_max_failures=1_000_000,
    )

    @contextlib.asynccontextmanager
    async def lifecycle():
        ctx = await build(settings)
        await ctx.start()
        try:
            async with serve_http(ctx.http_app) as url:
                yield url, ctx.pool
        finally:
            await ctx.stop()
            await delete_bus_namespace(settings)

    with ServiceThread(lifecycle) as thread:
        url, pool = thread.value
        suffix = uuid.uuid4().hex[:6]
        organisation = f"oas-city-{suffix}"
        thread.run(create_organisation(pool, organisation, "スキーマ検証市"))
        fuzzer, logout_user = f"oas-fuzzer-{suffix}", f"oas-logout-{suffix}"
        for login_id in (fuzzer, logout_user):
            thread.run(create_user(pool, organisation, login_id, PASSWORD))
        with FuzzerSession() as session:
            yield Served(url, session, thread, pool, organisation, fuzzer, logout_user)


@pytest.fixture(scope="module")
def orderer_schema(orderer_api) -> BaseSchema:
    """Every operation but logout, with one token for all of them."""
    token = login(orderer_api.url, orderer_api.fuzzer, PASSWORD)
    return load_schema(orderer_api.url, lambda: token)


@pytest.fixture(scope="module")
def orderer_edge_schema(orderer_api) -> BaseSchema:
    """The same, with the harness's edge values (NUL, huge numbers) mixed into parameters and body fields."""
    token = login(orderer_api.url, orderer_api.fuzzer, PASSWORD)
    return load_schema(orderer_api.url, lambda: token, edge_values=True)


@pytest.fixture(scope="module")
def logout_schema(orderer_api) -> BaseSchema:
    """Logout ends the token it is sent with: each of its cases gets a fresh one (a login of a second user)."""
    return load_schema(orderer_api.url, lambda: login(orderer_api.url, orderer_api.logout_user, PASSWORD))


orderer = schemathesis.pytest.from_fixture("orderer_schema")
orderer_edge = schemathesis.pytest.from_fixture("orderer_edge_schema")
logout = schemathesis.pytest.from_fixture("logout_schema")


@orderer.exclude(path="/auth/logout").parametrize()
@FUZZ_SETTINGS
def test_orderer_api_conforms_to_its_openapi_document(case, orderer_api):
    case.call_and_validate(base_url=orderer_api.url, session=orderer_api.session)


@orderer_edge.exclude(path="/auth/logout").parametrize()
@EDGE_SETTINGS
def test_orderer_api_conforms_with_edge_values(case, orderer_api):
    case.call_and_validate(base_url=orderer_api.url, session=orderer_api.session)


@logout.include(path="/auth/logout").parametrize()
@FUZZ_SETTINGS
def test_logout_conforms_to_the_openapi_document(case, orderer_api):
    case.call_and_validate(base_url=orderer_api.url, session=orderer_api.session)


def test_successful_answers_conform_to_the_openapi_document(orderer_api, orderer_schema):
    """A certificate of the organisation, opened (latest and a given version) and as PDF, then logout; each
    answer validated by the same checks."""
    served = orderer_api
    content = certificate(new_contract_number(), obligee_code=served.organisation)
    served.thread.run(record_arrival(served.pool, issued_event(content, KEY)))
    headers = {"Authorization": f"Bearer {login(served.url, served.fuzzer, PASSWORD)}"}

    def call(method: str, path: str, status: int, **parts) -> None:
        case = orderer_schema[path][method].Case(headers=headers, **parts)
        response = case.call_and_validate(base_url=served.url)
        assert response.status_code == status, response.text

    lookup = {"contract_number": content.contract_number, "auth_key": KEY}
    call("POST", "/certificates/lookup", 200, body=lookup)
    call("POST", "/certificates/lookup", 200, body=lookup | {"version": 0})
    call("POST", "/certificates/pdf", 200, body=lookup)

    headers = {"Authorization": f"Bearer {login(served.url, served.logout_user, PASSWORD)}"}
    call("POST", "/auth/logout", 204)
