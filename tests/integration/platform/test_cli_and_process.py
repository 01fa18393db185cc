"""The operators' CLI (idempotent creates) and `python -m services.platform` as a real process."""

import asyncio
import json
import os
import signal
import subprocess
import sys

import httpx
import pytest

from services.platform.entrypoints.cli import run
from services.platform.handlers.accounts import UnknownOrganisation
from shared.settings import CommonSettings
from tests.conftest import TEST_AUTH_KEY_ENV, eventually, free_port

pytestmark = pytest.mark.integration


async def test_create_commands_are_idempotent(platform, platform_settings, http):
    first = await run(["create-organisation", "--code", "nagano-pref", "--name", "長野県"], platform_settings)
    again = await run(["create-organisation", "--code", "nagano-pref", "--name", "長野県"], platform_settings)
    assert first["created"] is True and again["created"] is False
    assert first["organisation_id"] == again["organisation_id"] and again["name"] == "長野県"

    args = ["create-user", "--organisation-code", "nagano-pref", "--login-id", "nagano-1", "--password", "pw-nagano-1"]
    user = await run(args, platform_settings)
    user_again = await run(args, platform_settings)
    assert user["created"] is True and user_again["created"] is False
    assert user["user_id"] == user_again["user_id"] and user["organisation_code"] == "nagano-pref"
    login = await http.post("/auth/login", json={"login_id": "nagano-1", "password": "pw-nagano-1"})
    assert login.status_code == 200 and login.json()["token_type"] == "bearer"

    with pytest.raises(UnknownOrganisation):
        await run(["create-user", "--organisation-code", "nowhere", "--login-id", "x", "--password", "y"], platform_settings)


def _env(settings, **extra) -> dict[str, str]:
    """The process environment carrying the test settings (database, broker, namespace, delivery limit…)."""
    # An unset optional setting (None) stays unset: "None" would be read as a value.
    common = {name.upper(): str(value) for name in CommonSettings.model_fields
              if (value := getattr(settings, name)) is not None}
    return {**os.environ, **common, **TEST_AUTH_KEY_ENV, **extra}


async def test_cli_as_a_command(platform, platform_settings):
    result = subprocess.run(
        [sys.executable, "-m", "services.platform.entrypoints.cli", "create-organisation", "--code", "hitachinaka-city", "--name", "ひたちなか市"],
        env=_env(platform_settings),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["code"] == "hitachinaka-city"


def cli(settings, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The CLI as operators run it; without `stdin` its standard input is /dev/null (no terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "services.platform.entrypoints.cli", *args],
        env=_env(settings),
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_create_user_reads_the_password_from_stdin(platform, platform_settings, http):
    assert cli(platform_settings, "create-organisation", "--code", "mito-city", "--name", "水戸市").returncode == 0
    args = ["create-user", "--organisation-code", "mito-city", "--login-id", "mito-1", "--password-stdin"]
    made = cli(platform_settings, *args, stdin="pw mito 1\n")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout.strip().splitlines()[-1])["created"] is True
    assert "pw mito 1" not in made.stdout + made.stderr
    login = await http.post("/auth/login", json={"login_id": "mito-1", "password": "pw mito 1"})
    assert login.status_code == 200


def test_create_user_without_a_password_or_a_terminal_is_refused_in_japanese(platform_settings):
    # Refused before anything touches the database.
    args = ["create-user", "--organisation-code", "mito-city", "--login-id", "mito-2"]
    refused = cli(platform_settings, *args)
    assert refused.returncode == 2
    assert "パスワードが指定されていません: --password-stdin で標準入力から渡すか" in refused.stderr
    empty = cli(platform_settings, *args, "--password-stdin", stdin="")
    assert empty.returncode == 2 and "標準入力からパスワードを読めませんでした" in empty.stderr


async def test_the_service_process_serves_http(platform, platform_settings, tmp_path):
    port = free_port()
    log_file = (tmp_path / "platform.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.platform",
        env=_env(platform_settings, PLATFORM_HTTP_PORT=str(port)),
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:

            async def up():
                if process.returncode is not None:
                    raise AssertionError("the process exited")
                try:
                    return (await client.get("/openapi.json")).status_code == 200
                except httpx.TransportError:
                    return False

            try:
                await eventually(up, timeout=30)
            except AssertionError:
                raise AssertionError((tmp_path / "platform.log").read_text()[-3000:]) from None
            spec = (await client.get("/openapi.json")).json()
            assert spec["info"]["title"] == "保証確認サービス API"
            assert {"/auth/login", "/certificates/lookup", "/certificates/pdf"} <= set(spec["paths"])
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        returncode = await asyncio.wait_for(process.wait(), 30)
        log_file.close()
    assert returncode == 0


async def test_missing_infrastructure_is_named(platform_settings):
    result = subprocess.run(
        [sys.executable, "-m", "services.platform"],
        env=_env(platform_settings, AMQP_URL=f"amqp://guest:guest@127.0.0.1:{free_port()}/"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "RabbitMQ is not reachable" in result.stderr
