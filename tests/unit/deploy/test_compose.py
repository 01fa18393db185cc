"""docker-compose.yml: the services, healthchecks and start order operators rely on."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
COMPOSE = ROOT / "docker-compose.yml"
APP_SERVICES = ("application", "issuance", "platform", "notifier")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_no_top_level_name_so_debian_docker_compose_accepts_it(compose):
    assert "name" not in compose


def test_infrastructure_services_and_their_healthchecks(compose):
    services = compose["services"]
    assert services["rabbitmq"]["image"] == "rabbitmq:3.13-management"
    assert services["rabbitmq"]["healthcheck"]["test"] == ["CMD", "rabbitmq-diagnostics", "-q", "ping"]
    assert services["postgres"]["image"] == "postgres:16"
    assert services["postgres"]["environment"]["POSTGRES_DB"] == "esurety"
    assert services["postgres"]["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert any(v.endswith(":/var/lib/postgresql/data") for v in services["postgres"]["volumes"])
    assert "postgres-data" in compose["volumes"]
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert "1025" in services["mailpit"]["expose"]
    assert any(str(p).endswith(":8025") for p in services["mailpit"]["ports"])


def test_migrate_runs_first_and_every_service_waits_for_it(compose):
    services = compose["services"]
    assert services["migrate"]["command"] == ["python", "-m", "deploy.migrate"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in APP_SERVICES:
        service = services[name]
        assert service["command"] == ["python", "-m", f"services.{name}"]
        assert service["build"] == {"context": ".", "dockerfile": "deploy/Dockerfile"}
        depends = service["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["rabbitmq"]["condition"] == "service_healthy"
        assert depends["postgres"]["condition"] == "service_healthy"
        env = service["environment"]
        assert "@rabbitmq:5672/" in env["AMQP_URL"]
        assert "@postgres:5432/esurety" in env["DATABASE_URL"]


REQUIRED_TOKEN = "${INTERNAL_API_TOKEN:?set INTERNAL_API_TOKEN (e.g. openssl rand -base64 32)}"


def test_internal_api_token_is_required_and_only_given_to_its_two_services(compose):
    """No default secret: compose refuses the file without INTERNAL_API_TOKEN, and only the services
    on either end of the internal API see it."""
    services = compose["services"]
    assert services["application"]["environment"]["INTERNAL_API_TOKEN"] == REQUIRED_TOKEN
    assert services["issuance"]["environment"]["INTERNAL_API_TOKEN"] == REQUIRED_TOKEN
    for name in ("platform", "notifier", "migrate"):
        assert "INTERNAL_API_TOKEN" not in services[name]["environment"]
    assert "dev-internal-token" not in COMPOSE.read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "port"), [("application", 8001), ("issuance", 8003), ("platform", 8002)])
def test_http_edges_listen_on_all_interfaces_with_a_healthcheck(compose, name, port):
    service = compose["services"][name]
    env = service["environment"]
    assert env[f"{name.upper()}_HTTP_HOST"] == "0.0.0.0"
    assert env[f"{name.upper()}_HTTP_PORT"] == str(port)
    test = service["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    assert f"http://127.0.0.1:{port}/readyz" in test[3]


def test_issuance_internal_api_is_not_published_to_the_host(compose):
    services = compose["services"]
    assert "ports" not in services["issuance"]
    assert services["issuance"]["expose"] == ["8003"]
    assert services["application"]["environment"]["ISSUANCE_INTERNAL_URL"] == "http://issuance:8003"
    assert any(str(p).endswith(":8001") for p in services["application"]["ports"])
    assert any(str(p).endswith(":8002") for p in services["platform"]["ports"])


def test_notifier_sends_through_mailpit(compose):
    notifier = compose["services"]["notifier"]
    assert "http://127.0.0.1:8004/readyz" in notifier["healthcheck"]["test"][3]
    assert notifier["expose"] == ["8004"] and "ports" not in notifier
    assert notifier["environment"]["SMTP_HOST"] == "mailpit"
    assert notifier["environment"]["SMTP_PORT"] == "1025"
    assert "mailpit" in notifier["depends_on"]
    assert notifier["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def docker_compose_config(**env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("INTERNAL_API_TOKEN", "AUTH_KEY_HMAC_SECRETS")} | env
    return subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "config", "-q"],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60,
    )


needs_docker_compose = pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="docker-compose (Debian package) not installed"
)


@needs_docker_compose
def test_docker_compose_accepts_the_file():
    result = docker_compose_config(INTERNAL_API_TOKEN="validation-placeholder", AUTH_KEY_HMAC_SECRETS="placeholder")
    assert result.returncode == 0, result.stderr


REQUIRED_KEY_SECRETS = "${AUTH_KEY_HMAC_SECRETS:?set AUTH_KEY_HMAC_SECRETS (a JSON object of key id to secret, see the top of this file)}"


def test_the_auth_key_secret_is_required_and_only_given_to_issuance_and_platform(compose):
    services = compose["services"]
    for name in ("issuance", "platform"):
        assert services[name]["environment"]["AUTH_KEY_HMAC_SECRETS"] == REQUIRED_KEY_SECRETS
    for name in ("application", "notifier"):
        assert "AUTH_KEY_HMAC_SECRETS" not in services[name].get("environment", {})


@needs_docker_compose
def test_docker_compose_refuses_the_file_without_an_auth_key_secret():
    result = docker_compose_config(INTERNAL_API_TOKEN="validation-placeholder")
    assert result.returncode != 0
    assert "set AUTH_KEY_HMAC_SECRETS" in result.stderr


@needs_docker_compose
def test_docker_compose_refuses_the_file_without_an_internal_api_token():
    result = docker_compose_config()
    assert result.returncode != 0
    assert "set INTERNAL_API_TOKEN (e.g. openssl rand -base64 32)" in result.stderr
