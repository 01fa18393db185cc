"""The whole system (tests/e2e/harness.py) against a PostgreSQL cluster of this package's own, which the
tests stop and start to make an outage (issue 11)."""

import asyncpg
import pytest

from services.application.entrypoints import cli as application_cli
from services.platform.entrypoints import cli as platform_cli
from services.platform.settings import Settings as PlatformSettings
from tests.conftest import TEST_AMQP_URL, package_bus_fixtures
from tests.e2e.harness import System
from tests.integration.outage.postgres_cluster import PostgresCluster

bus_namespace, _, common_settings, bus_cleanup = package_bus_fixtures()  # common_env: below

# Fast in tests: a retry budget of 3 deliveries with backoff capped at 2 s is spent in about 3.5 s, so a
# 30-second outage would dead-letter every message that arrived during it, were it not held.
DELIVERY_LIMIT = 3
BACKOFF_MAX_SECONDS = 2.0


@pytest.fixture(scope="package")
def postgres():
    cluster = PostgresCluster.create()
    cluster.start()
    yield cluster
    cluster.destroy()


@pytest.fixture(scope="package")
async def own_database(postgres) -> str:
    admin = await asyncpg.connect(postgres.url())
    try:
        await admin.execute('CREATE DATABASE "esurety"')
    finally:
        await admin.close()
    return postgres.url("esurety")


@pytest.fixture(scope="package")
def common_env(bus_namespace, own_database) -> dict[str, str]:
    return {
        "database_url": own_database,
        "amqp_url": TEST_AMQP_URL,
        "bus_namespace": bus_namespace,
        "delivery_limit": str(DELIVERY_LIMIT),
        "retry_backoff_base_seconds": "0.5",
        "retry_backoff_max_seconds": str(BACKOFF_MAX_SECONDS),
        "database_hold_seconds": "600",
    }


@pytest.fixture(scope="package")
async def system(bus_cleanup, common_env):
    running = await System(common=common_env).start()
    yield running
    await running.stop()


@pytest.fixture(scope="package")
async def accounts(system, common_env):
    url = common_env["database_url"]
    await application_cli.create_company("○○建設 株式会社", "神奈川県横浜市中区尾上町1-6", database_url=url)
    await application_cli.create_user("○○建設 株式会社", "contractor-a", "password-a", database_url=url)
    settings = PlatformSettings(**common_env)
    await platform_cli.run(["create-organisation", "--code", "kawasaki-city", "--name", "川崎市"], settings)
    await platform_cli.run(
        ["create-user", "--organisation-code", "kawasaki-city", "--login-id", "kawasaki", "--password", "password-k"],
        settings,
    )
    return {"contractor": ("contractor-a", "password-a"), "orderer": ("kawasaki", "password-k")}
