"""The whole system in one process (tests/e2e/harness.py) with tracing on (an in-memory span exporter in
every service's provider) and every service's log output captured as it would be printed: one JSON
object per line, each service's lines bound to its name. One application goes through, from the HTTP
submit to the completion email, with every secret of the flow recorded for the log check."""

import io
import logging
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date

import httpx
import pytest
import structlog
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from deploy.demo import sample_form
from services.application.entrypoints import cli as application_cli
from services.platform.entrypoints import cli as platform_cli
from services.platform.settings import Settings as PlatformSettings
from shared import tracing
from shared.logging import configure_logging
from tests.conftest import eventually, package_bus_fixtures
from tests.e2e.harness import System
from tests.e2e.test_pipeline import issued_application, logged_in

bus_namespace, common_env, common_settings, bus_cleanup = package_bus_fixtures()

TEST_CLIENT = "test-client"
CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')


@pytest.fixture(scope="package")
def span_exporter():
    exporter = InMemorySpanExporter()
    processor = SimpleSpanProcessor(exporter)
    tracing.extra_span_processors.append(processor)
    yield exporter
    tracing.extra_span_processors.remove(processor)
    tracing.reset()  # later packages run untraced, as a service without OTEL_EXPORTER_OTLP_ENDPOINT does


@pytest.fixture(scope="package")
def log_lines():
    """Everything the services log, as printed (configure_logging per service, its stream captured)."""
    buffer = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)

    def bind(service: str) -> None:
        configure_logging(service, "DEBUG")  # the most a service can be made to say
        root.handlers[0].setStream(buffer)

    yield bind, buffer
    root.handlers[:], level = saved
    root.setLevel(level)
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()


@pytest.fixture(scope="package")
async def system(fresh_database, bus_cleanup, common_env, span_exporter, log_lines):
    bind, _ = log_lines
    running = await System(common=common_env, internal_token=secrets.token_urlsafe(24), before_service=bind).start()
    yield running
    await running.stop()


@dataclass
class Flow:
    correlation_id: str
    application: dict
    secrets: dict[str, str] = field(default_factory=dict)  # what must never be logged, by what it is


async def _page_session(base_url: str, login_page: str, login_id: str, password: str, flow: Flow, label: str):
    client = httpx.AsyncClient(base_url=base_url, timeout=30)
    page = await client.get(login_page)
    token = CSRF.search(page.text).group(1)
    response = await client.post(login_page, data={"csrftoken": token, "login_id": login_id, "password": password})
    assert response.status_code == 303, response.text
    flow.secrets[f"{label} login CSRF token"] = token
    for cookie in client.cookies.jar:
        flow.secrets[f"{label} cookie {cookie.name}"] = cookie.value
    return client


@pytest.fixture(scope="package")
async def flow(system, common_env) -> Flow:
    """One application from submit to email, then the contractor's and the orderer's pages with the key."""
    # The test's own HTTP clients log too (httpcore, at DEBUG): their lines are marked and left out.
    structlog.contextvars.bind_contextvars(service=TEST_CLIENT)
    url = common_env["database_url"]
    suffix = uuid.uuid4().hex[:6]
    contractor_password, orderer_password = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    company = f"観測建設 株式会社{suffix}"
    await application_cli.create_company(company, "神奈川県横浜市中区尾上町1-6", database_url=url)
    await application_cli.create_user(company, f"obs-{suffix}", contractor_password, database_url=url)
    settings = PlatformSettings(**common_env)
    # The sample form's orderer (発注者): its staff may open the certificate. Both commands are idempotent.
    await platform_cli.run(["create-organisation", "--code", "kawasaki-city", "--name", "川崎市"], settings)
    await platform_cli.run(["create-user", "--organisation-code", "kawasaki-city", "--login-id",
                            f"obs-orderer-{suffix}", "--password", orderer_password], settings)

    correlation_id = f"obs-{suffix}"
    contractor = await logged_in(system.urls["application"], (f"obs-{suffix}", contractor_password))
    application = await issued_application(contractor, sample_form(date.today()), correlation_id=correlation_id)
    result = Flow(correlation_id, application)
    result.secrets.update({
        "contractor password": contractor_password,
        "orderer password": orderer_password,
        "bearer token": contractor.headers["Authorization"].removeprefix("Bearer "),
        "INTERNAL_API_TOKEN": system.internal_token,
    })

    numbers = [c["contract_number"] for c in application["certificates"]]

    async def mailed():
        return [m for m in system.mails if any(n in m.message.get_content() for n in numbers)] or None

    await eventually(mailed, timeout=60)
    for certificate in application["certificates"]:
        number = certificate["contract_number"]
        key = (await contractor.get(f"/contracts/{number}")).json()["auth_key"]
        result.secrets[f"認証キー {number}"] = key
        notice = await contractor.get(f"/contracts/{number}/key-notice.pdf")
        assert notice.status_code == 200

    # The pages: Net Desk (session cookie, CSRF) and the orderer's viewer, which takes the key.
    portal = await _page_session(system.urls["application"], "/portal/login", f"obs-{suffix}", contractor_password, result, "portal")
    number = application["certificates"][0]["contract_number"]
    assert (await portal.get(f"/portal/contracts/{number}")).status_code == 200
    viewer = await _page_session(system.urls["platform"], "/viewer/login", f"obs-orderer-{suffix}", orderer_password, result, "viewer")
    form = await viewer.get("/viewer/")
    token = CSRF.search(form.text).group(1)
    result.secrets["viewer page CSRF token"] = token
    opened = await viewer.post("/viewer/lookup", data={"csrftoken": token, "contract_number": number,
                                                       "auth_key": result.secrets[f"認証キー {number}"]})
    assert opened.status_code == 303, opened.text
    assert (await viewer.get(opened.headers["location"])).status_code == 200
    for client in (contractor, portal, viewer):
        await client.aclose()
    return result
