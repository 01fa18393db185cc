"""A shipped default secret does not start a service outside development (shared.settings)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from services.application.settings import Settings as ApplicationSettings
from services.issuance.entrypoints.internal_http import create_app
from services.issuance.settings import Settings as IssuanceSettings
from services.platform.settings import Settings as PlatformSettings
from shared.settings import UnsafeSettings, refuse_unsafe_settings, unsafe_settings
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = (IssuanceSettings, ApplicationSettings)
GOOD_TOKEN = secrets.token_urlsafe(32)


GOOD_AUTH_KEY_SECRETS = json.dumps({"k1": secrets.token_urlsafe(32)})
KEY_VARIABLES = ("AUTH_KEY_HMAC_SECRETS", "AUTH_KEY_HMAC_KEY_ID")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """These tests say what they set: nothing from the shell running pytest. The 認証キー's hash secret is
    a proper one unless a test says otherwise (the INTERNAL_API_TOKEN tests are about the token)."""
    for name in ("INTERNAL_API_TOKEN", "ESURETY_ENVIRONMENT", *KEY_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AUTH_KEY_HMAC_SECRETS", GOOD_AUTH_KEY_SECRETS)
    monkeypatch.setenv("AUTH_KEY_HMAC_KEY_ID", "k1")


def refusal(settings) -> str:
    with pytest.raises(UnsafeSettings) as caught:
        refuse_unsafe_settings(settings)
    return str(caught.value.code)


@pytest.mark.parametrize("settings_class", SETTINGS)
def test_an_unset_token_is_refused_with_how_to_set_it(settings_class):
    message = refusal(settings_class())
    assert "INTERNAL_API_TOKEN is not set" in message
    assert 'INTERNAL_API_TOKEN="$(openssl rand -base64 32)"' in message
    assert "ESURETY_ENVIRONMENT=development" in message


@pytest.mark.parametrize("settings_class", SETTINGS)
@pytest.mark.parametrize("token", ["dev-internal-token", "changeme", "CHANGEME", " secret "])
def test_a_known_default_is_refused(settings_class, token, monkeypatch):
    monkeypatch.setenv("INTERNAL_API_TOKEN", token)
    assert "INTERNAL_API_TOKEN is a published default value" in refusal(settings_class())


@pytest.mark.parametrize("token", ["", "   "])
def test_an_empty_token_is_refused(token, monkeypatch):
    monkeypatch.setenv("INTERNAL_API_TOKEN", token)
    assert "INTERNAL_API_TOKEN is empty" in refusal(IssuanceSettings())


def test_a_short_token_is_refused_without_showing_it():
    short = "s3cr3t-but-only-24-chars"
    message = refusal(ApplicationSettings(internal_api_token=short))
    assert "INTERNAL_API_TOKEN is too short (24 characters, at least 32)" in message
    assert short not in message


@pytest.mark.parametrize("settings_class", SETTINGS)
def test_a_proper_token_is_accepted_and_kept_out_of_reprs(settings_class, monkeypatch):
    monkeypatch.setenv("INTERNAL_API_TOKEN", GOOD_TOKEN)
    settings = settings_class()
    assert unsafe_settings(settings) == []
    refuse_unsafe_settings(settings)
    assert settings.internal_api_token.get_secret_value() == GOOD_TOKEN
    assert GOOD_TOKEN not in repr(settings) and GOOD_TOKEN not in str(settings.model_dump())


@pytest.mark.parametrize("settings_class", SETTINGS)
@pytest.mark.parametrize("environment", ["development", " Development "])
def test_development_allows_the_default_token(settings_class, environment, monkeypatch):
    monkeypatch.setenv("ESURETY_ENVIRONMENT", environment)
    settings = settings_class()
    assert settings.esurety_environment == "development"
    assert settings.internal_api_token.get_secret_value() == "dev-internal-token"
    refuse_unsafe_settings(settings)


def test_production_is_the_default_and_services_without_the_token_have_nothing_to_refuse():
    assert IssuanceSettings(internal_api_token=GOOD_TOKEN).esurety_environment == "production"
    assert unsafe_settings(PlatformSettings()) == []
    assert unsafe_settings(ApplicationSettings(internal_api_token=GOOD_TOKEN)) == []  # holds no hash secret


KEY_SETTINGS = (IssuanceSettings, PlatformSettings)


def key_refusal(settings_class, monkeypatch, **env: str) -> str:
    for name in KEY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return refusal(settings_class(internal_api_token=GOOD_TOKEN))


@pytest.mark.parametrize("settings_class", KEY_SETTINGS)
def test_an_unset_auth_key_secret_is_refused_with_how_to_set_it(settings_class, monkeypatch):
    message = key_refusal(settings_class, monkeypatch)
    assert "AUTH_KEY_HMAC_SECRETS is not set" in message
    assert "openssl rand -base64 32" in message and "ESURETY_ENVIRONMENT=development" in message


@pytest.mark.parametrize("settings_class", KEY_SETTINGS)
@pytest.mark.parametrize("secret", ["dev-auth-key-hmac-secret-not-for-production", "changeme", " SECRET "])
def test_a_published_auth_key_secret_is_refused_even_for_an_old_key_id(settings_class, secret, monkeypatch):
    env = {"AUTH_KEY_HMAC_SECRETS": json.dumps({"new": "n" * 40, "old": secret}), "AUTH_KEY_HMAC_KEY_ID": "new"}
    message = key_refusal(settings_class, monkeypatch, **env)
    assert "AUTH_KEY_HMAC_SECRETS['old'] is a published default value" in message
    assert "not-for-production" not in message  # the secret itself is never shown


def test_a_short_auth_key_secret_is_refused_without_showing_it(monkeypatch):
    short = "short-secret-of-24-chars"
    env = {"AUTH_KEY_HMAC_SECRETS": json.dumps({"k1": short}), "AUTH_KEY_HMAC_KEY_ID": "k1"}
    message = key_refusal(PlatformSettings, monkeypatch, **env)
    assert "AUTH_KEY_HMAC_SECRETS['k1'] is too short (24 characters, at least 32)" in message
    assert short not in message


@pytest.mark.parametrize("settings_class", KEY_SETTINGS)
def test_a_proper_auth_key_secret_is_accepted_and_development_allows_the_default(settings_class, monkeypatch):
    assert unsafe_settings(settings_class(internal_api_token=GOOD_TOKEN)) == []
    for name in KEY_VARIABLES:
        monkeypatch.delenv(name)
    monkeypatch.setenv("ESURETY_ENVIRONMENT", "development")
    assert unsafe_settings(settings_class()) == []


def test_the_platform_process_refuses_the_development_auth_key_secret_before_connecting():
    result = service_process(
        "services.platform",
        AUTH_KEY_HMAC_SECRETS=json.dumps({"dev": "dev-auth-key-hmac-secret-not-for-production"}),
        AUTH_KEY_HMAC_KEY_ID="dev",
    )
    assert result.returncode == 2
    assert "refusing to start: AUTH_KEY_HMAC_SECRETS['dev'] is a published default value" in result.stderr
    assert "dev-auth-key-hmac-secret" not in result.stderr
    assert "Traceback" not in result.stderr


def service_process(module: str, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("INTERNAL_API_TOKEN", "ESURETY_ENVIRONMENT")}
    environ.setdefault("AUTH_KEY_HMAC_SECRETS", GOOD_AUTH_KEY_SECRETS)  # os.environ has the fixture's, unless a test overrides

    # Nothing listens there: a refusal must come before any connection is tried.
    environ |= {
        "AMQP_URL": f"amqp://guest:guest@127.0.0.1:{free_port()}/",
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/esurety",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", module], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("module", ["services.issuance", "services.application"])
def test_the_service_process_refuses_the_default_token_before_connecting(module):
    result = service_process(module, INTERNAL_API_TOKEN="dev-internal-token")
    assert result.returncode == 2
    assert "refusing to start: INTERNAL_API_TOKEN is a published default value" in result.stderr
    assert "openssl rand -base64 32" in result.stderr
    assert "Traceback" not in result.stderr
    assert "RabbitMQ" not in result.stderr and "PostgreSQL" not in result.stderr


def test_in_development_the_service_process_gets_past_the_token_check():
    result = service_process("services.issuance", ESURETY_ENVIRONMENT="development")
    assert result.returncode == 2
    assert "INTERNAL_API_TOKEN" not in result.stderr
    assert "RabbitMQ is not reachable" in result.stderr


async def test_an_empty_development_token_does_not_open_the_internal_api():
    app = create_app(pool=None, internal_api_token="", renderer=None)  # the routes refuse before they touch the pool
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://issuance") as client:
        for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer x"}):
            assert (await client.get("/internal/orderers", headers=headers)).status_code == 401


def test_shutdown_timeout_is_bounded():
    from pydantic import ValidationError

    from shared.settings import CommonSettings

    assert CommonSettings().shutdown_timeout_seconds == 20.0
    for wrong in (0, 301):
        with pytest.raises(ValidationError):
            CommonSettings(shutdown_timeout_seconds=wrong)
