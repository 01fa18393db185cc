"""The platform service built as in production (bootstrap.build), on real PostgreSQL and RabbitMQ."""

import itertools
import random
import uuid

import aio_pika
import httpx
import pytest

from services.platform.bootstrap import build
from services.platform.handlers.accounts import create_organisation, create_user
from services.platform.settings import Settings
from tests.conftest import package_bus_fixtures

# This package's own bus namespace: no other package's leftover events reach its services.
bus_namespace, common_env, common_settings, bus_cleanup = package_bus_fixtures()

PASSWORD = "orderer-pass-1"
_serials = itertools.count(random.randint(10_000, 60_000))


def new_contract_number(letter: str = "M") -> str:
    return f"35072-{next(_serials):05d}{letter}"


@pytest.fixture(scope="package")
def platform_settings(common_env) -> Settings:
    return Settings(**common_env, pdf_processes=1)


@pytest.fixture(scope="package")
async def platform(fresh_database, bus_cleanup, platform_settings):
    ctx = await build(platform_settings)
    await ctx.start()
    yield ctx
    await ctx.stop()


@pytest.fixture
async def http(platform):
    transport = httpx.ASGITransport(app=platform.http_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://platform.test") as client:
        yield client


@pytest.fixture
async def amqp_channel(platform_settings):
    connection = await aio_pika.connect(platform_settings.amqp_url)
    async with connection:
        yield await connection.channel()


@pytest.fixture
def login_as(platform, http):
    """Create (idempotently) an organisation and a fresh user in it; return bearer headers."""

    async def login(organisation_code: str = "kawasaki-city", name: str = "川崎市") -> dict[str, str]:
        await create_organisation(platform.pool, organisation_code, name)
        login_id = f"user-{uuid.uuid4().hex[:8]}"
        await create_user(platform.pool, organisation_code, login_id, PASSWORD)
        response = await http.post("/auth/login", json={"login_id": login_id, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    return login
