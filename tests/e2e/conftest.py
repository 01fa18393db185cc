import aio_pika
import pytest

from services.application.entrypoints import cli as application_cli
from services.platform.entrypoints import cli as platform_cli
from services.platform.settings import Settings as PlatformSettings
from tests.e2e.harness import System
from tests.conftest import package_bus_fixtures

# This package's own bus namespace: no other package's leftover events reach its services.
bus_namespace, common_env, common_settings, bus_cleanup = package_bus_fixtures()


@pytest.fixture(scope="package")
async def system(fresh_database, bus_cleanup, common_env):
    running = await System(common=common_env).start()
    yield running
    await running.stop()


@pytest.fixture(scope="package")
async def accounts(system, common_env):
    """Two contractor companies (A, B) with a user each, and 川崎市 with an orderer user."""
    url = common_env["database_url"]
    await application_cli.create_company("○○建設 株式会社", "神奈川県横浜市中区尾上町1-6", database_url=url)
    await application_cli.create_user("○○建設 株式会社", "contractor-a", "password-a", database_url=url)
    await application_cli.create_company("△△工業 株式会社", "東京都港区", database_url=url)
    await application_cli.create_user("△△工業 株式会社", "contractor-b", "password-b", database_url=url)
    settings = PlatformSettings(**common_env)
    await platform_cli.run(["create-organisation", "--code", "kawasaki-city", "--name", "川崎市"], settings)
    await platform_cli.run(["create-user", "--organisation-code", "kawasaki-city", "--login-id", "kawasaki", "--password", "password-k"], settings)
    await platform_cli.run(["create-organisation", "--code", "mishima-city", "--name", "三島市"], settings)
    await platform_cli.run(["create-user", "--organisation-code", "mishima-city", "--login-id", "mishima", "--password", "password-m"], settings)
    return {"a": ("contractor-a", "password-a"), "b": ("contractor-b", "password-b"), "kawasaki": ("kawasaki", "password-k"), "mishima": ("mishima", "password-m")}


@pytest.fixture(scope="package")
async def tap(system, common_env):
    """A queue of our own bound to every event on the exchange, as an external subscriber would."""
    connection = await aio_pika.connect(common_env["amqp_url"])
    channel = await connection.channel()
    exchange = await channel.get_exchange(f"{common_env['bus_namespace']}.events")
    queue = await channel.declare_queue(exclusive=True)
    await queue.bind(exchange, routing_key="jp.esurety.#")
    yield queue, exchange
    await connection.close()
