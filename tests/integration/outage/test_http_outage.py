"""PostgreSQL down: both HTTP edges answer 503 with Retry-After and the Japanese message, as JSON on the
APIs and as the portal's error page on the web pages, and log which dependency failed; /readyz says
the database is not ready; everything answers again once PostgreSQL is back (issue 11, defect 2)."""

import re
from datetime import date

import httpx
import pytest
import structlog

from deploy.demo import sample_form
from shared.unavailable import MESSAGE
from tests.conftest import eventually

pytestmark = pytest.mark.integration

TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"')


async def api_login(base_url: str, credentials: tuple[str, str]) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base_url, timeout=30)
    response = await client.post("/auth/login", json={"login_id": credentials[0], "password": credentials[1]})
    assert response.status_code == 200, response.text
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return client


async def page_login(base_url: str, prefix: str, credentials: tuple[str, str]) -> tuple[httpx.AsyncClient, str]:
    """A browser-like client logged in on a portal, and a fresh CSRF token for one more form."""
    client = httpx.AsyncClient(base_url=base_url, timeout=30)
    page = await client.get(f"{prefix}/login")
    response = await client.post(
        f"{prefix}/login",
        data={"csrftoken": TOKEN.search(page.text).group(1), "login_id": credentials[0], "password": credentials[1],
              "next": f"{prefix}/"},
    )
    assert response.status_code == 303, response.text
    login_form = await client.get(f"{prefix}/login")
    return client, TOKEN.search(login_form.text).group(1)


def assert_json_503(response: httpx.Response) -> None:
    assert response.status_code == 503, (response.request.url, response.status_code, response.text)
    assert response.headers["retry-after"] == "30"
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"detail": MESSAGE}


def assert_page_503(response: httpx.Response) -> None:
    assert response.status_code == 503, (response.request.url, response.status_code, response.text)
    assert response.headers["retry-after"] == "30"
    assert response.headers["content-type"].startswith("text/html")
    assert MESSAGE in response.text and '<html lang="ja"' in response.text  # the shared layout
    assert "ただいまご利用いただけません" in response.text


async def test_edges_answer_503_while_postgres_is_down(system, accounts, postgres):
    application, platform = system.urls["application"], system.urls["platform"]
    contractor = await api_login(application, accounts["contractor"])
    orderer = await api_login(platform, accounts["orderer"])
    portal, portal_csrf = await page_login(application, "/portal", accounts["contractor"])
    viewer, viewer_csrf = await page_login(platform, "/viewer", accounts["orderer"])
    anonymous = httpx.AsyncClient(timeout=30)
    form = sample_form(date.today())
    assert (await contractor.get("/applications")).status_code == 200

    postgres.stop()
    try:
        with structlog.testing.capture_logs() as logs:
            # The JSON APIs.
            assert_json_503(await anonymous.post(f"{application}/auth/login",
                                                 json={"login_id": "contractor-a", "password": "password-a"}))
            assert_json_503(await contractor.get("/applications"))
            assert_json_503(await contractor.post("/applications", json=form))
            assert_json_503(await contractor.get("/contracts"))
            assert_json_503(await anonymous.post(f"{platform}/auth/login",
                                                 json={"login_id": "kawasaki", "password": "password-k"}))
            assert_json_503(await orderer.post("/certificates/lookup",
                                               json={"contract_number": "35072-00001M", "auth_key": "x" * 12}))
            # The web pages.
            assert_page_503(await portal.get("/portal/applications"))
            assert_page_503(await portal.post("/portal/login", data={
                "csrftoken": portal_csrf, "login_id": "contractor-a", "password": "password-a", "next": "/portal/"}))
            assert_page_503(await viewer.get("/viewer/"))
            assert_page_503(await viewer.post("/viewer/login", data={
                "csrftoken": viewer_csrf, "login_id": "kawasaki", "password": "password-k", "next": "/viewer/"}))
            # Readiness says what failed.
            for base in (application, platform):
                ready = await anonymous.get(f"{base}/readyz")
                assert ready.status_code == 503 and ready.json()["checks"]["database"].startswith("not answering")
        outage_lines = [line for line in logs if line["event"] == "dependency unavailable" and "path" in line]
        assert len(outage_lines) >= 10 and {line["dependency"] for line in outage_lines} == {"database"}
        assert {line["path"] for line in outage_lines} >= {
            "/applications", "/contracts", "/auth/login", "/certificates/lookup", "/portal/applications",
            "/portal/login", "/viewer/", "/viewer/login"}
    finally:
        postgres.start()

    # Back by themselves: the pools reconnect.
    async def answers() -> bool:
        return (await contractor.get("/applications")).status_code == 200
    await eventually(answers, timeout=30)
    assert (await orderer.post("/certificates/lookup", json={"contract_number": "35072-00001M", "auth_key": "x" * 12})
            ).status_code == 404
    assert (await portal.get("/portal/applications")).status_code == 200
    assert (await viewer.get("/viewer/")).status_code == 200

    async def ready() -> bool:
        answers = [await anonymous.get(f"{base}/readyz") for base in (application, platform)]
        return all(answer.status_code == 200 for answer in answers)
    await eventually(ready, timeout=30)
    for client in (contractor, orderer, portal, viewer, anonymous):
        await client.aclose()
