"""Operations: the dead-letter command and graceful shutdown, against the real RabbitMQ and PostgreSQL.

The command and the service processes run as operators run them (subprocesses with the test's
settings in their environment)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import aio_pika
import pytest

from shared.settings import CommonSettings
from tests.conftest import TEST_AUTH_KEY_ENV, package_bus_fixtures

# This package's own bus namespace: no other package's leftover events reach its services.
bus_namespace, common_env, common_settings, bus_cleanup = package_bus_fixtures()

ROOT = Path(__file__).resolve().parents[3]
INTERNAL_TOKEN = "operations-test-internal-token-0123456789"


def process_env(settings: CommonSettings, **extra: str) -> dict[str, str]:
    """The environment of a service or CLI process carrying the test settings."""
    # An unset optional setting (None) stays unset: "None" would be read as a value.
    common = {name.upper(): str(value) for name in CommonSettings.model_fields
              if (value := getattr(settings, name)) is not None}
    return {**os.environ, **common, **TEST_AUTH_KEY_ENV, "PYTHONUNBUFFERED": "1", **extra}


def dead_letters(settings: CommonSettings, *args: str) -> subprocess.CompletedProcess:
    """`python -m shared.bus.dead_letters …` as an operator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "shared.bus.dead_letters", *args],
        cwd=ROOT, env=process_env(settings), capture_output=True, text=True, timeout=60,
    )


def dead_letters_json(settings: CommonSettings, *args: str) -> dict:
    result = dead_letters(settings, *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="package")
async def amqp(common_settings):
    connection = await aio_pika.connect(common_settings.amqp_url)
    async with connection:
        yield connection


async def queue_depth(connection, name: str) -> int:
    channel = await connection.channel()
    try:
        return (await channel.declare_queue(name, passive=True)).declaration_result.message_count
    finally:
        await channel.close()


def depth_is(connection, name: str, expected: int):
    """A predicate for `eventually`: the queue holds `expected` ready messages."""

    async def check() -> bool:
        return await queue_depth(connection, name) == expected

    return check
