"""変更依頼 / 解除確認 reach the surety company: from the bus into its own table once per request (a
redelivery or a copy changes nothing), listed by the staff command `list-orderer-requests` as JSON lines;
a request on a version never issued, or from an orderer the certificate is not addressed to, is poison."""

import json
import os
import subprocess
import sys
import uuid
from datetime import datetime, timezone

import pytest

from services.issuance.entrypoints.cli import _with_pool
from services.issuance.handlers import orderer_requests
from services.issuance.handlers.orderer_requests import list_orderer_requests
from shared.bus.consumer import PoisonMessage
from shared.events import AmendmentRequested, AmendmentRequestedV1, ReleaseGround, ReleaseRequested, ReleaseRequestedV1
from tests.conftest import TEST_DATABASE_URL, eventually
from tests.samples import bus_message
from tests.unit.issuance.factories import advance, application, submitted

pytestmark = pytest.mark.integration


def amendment(number: str, *, version: int = 0, organisation: str = "kawasaki-city", request_id=None):
    data = AmendmentRequestedV1(request_id=request_id or uuid.uuid4(), contract_number=number, version=version,
                                organisation_code=organisation, organisation_name="川崎市",
                                message="請負金額の増額に合わせて前払金保証金額を変更してください",
                                requested_at=datetime(2026, 2, 1, 0, 30, tzinfo=timezone.utc))
    return AmendmentRequested.wrap(data, source="/esurety/platform", subject=number, correlation_id="corr")


def release(number: str) -> ReleaseRequested:
    data = ReleaseRequestedV1(request_id=uuid.uuid4(), contract_number=number, version=0,
                              organisation_code="kawasaki-city", organisation_name="川崎市",
                              grounds=[ReleaseGround.CONSTRUCTION_COMPLETED], note=None,
                              requested_at=datetime(2026, 3, 1, 0, 30, tzinfo=timezone.utc))
    return ReleaseRequested.wrap(data, source="/esurety/platform", subject=number, correlation_id="corr")


async def test_requests_are_kept_once_and_listed_for_the_staff(issuance, emitted, publish, amqp, issuance_settings):
    app = application(products=[advance()])
    await publish(submitted(app))
    [issued] = await eventually(lambda: emitted.issued(app.application_id), timeout=60)
    number = issued["data"]["contract_number"]
    assert issued["data"]["certificate"]["obligee_code"] == "kawasaki-city"

    asked, confirmed = amendment(number), release(number)
    channel = await amqp.channel()
    exchange = await channel.get_exchange(f"{issuance_settings.bus_namespace}.events")
    for event in (asked, confirmed):
        await exchange.publish(bus_message(event), routing_key=event.type)

    async def listed():
        found = await list_orderer_requests(issuance.pool, number)
        return found if len(found) == 2 else None

    found = await eventually(listed, timeout=30)
    assert [(r["kind"], r["kind_label"], r["grounds"], r["ground_labels"], r["message"]) for r in found] == [
        ("release", "解除確認", ["construction_completed"], ["工事完成"], None),
        ("amendment", "変更依頼", [], [], "請負金額の増額に合わせて前払金保証金額を変更してください"),
    ]
    assert found[1]["request_id"] == str(asked.data.request_id) and found[1]["organisation_code"] == "kawasaki-city"
    assert found[1]["construction_name"] == issued["data"]["certificate"]["construction_name"]
    assert found[1]["contractor_company_id"] == str(app.contractor.company_id)

    # A redelivery (same event id) and a copy (new event id, same request) change nothing.
    await orderer_requests.on_amendment_requested(issuance.pool, asked)
    await orderer_requests.on_amendment_requested(issuance.pool, amendment(number, request_id=asked.data.request_id))
    await orderer_requests.on_release_requested(issuance.pool, confirmed)
    assert len(await list_orderer_requests(issuance.pool, number)) == 2

    # Inconsistent: a version never issued, an orderer the certificate is not addressed to, an unknown number.
    for poison in (amendment(number, version=3), amendment(number, organisation="mishima-city"),
                   amendment("99999-99999M")):
        with pytest.raises(PoisonMessage):
            await orderer_requests.on_amendment_requested(issuance.pool, poison)
        assert not await issuance.pool.fetchval(
            "SELECT count(*) FROM inbox WHERE event_id = $1", poison.id)  # rolled back with the refusal

    # The staff command, as staff run it: JSON lines, newest first; only that guarantee with --contract-number.
    env = {**os.environ, "DATABASE_URL": TEST_DATABASE_URL}
    cli = [sys.executable, "-m", "services.issuance.entrypoints.cli", "list-orderer-requests"]
    one = subprocess.run([*cli, "--contract-number", number], env=env, capture_output=True, text=True, check=True)
    lines = [json.loads(line) for line in one.stdout.splitlines()]
    assert lines == await list_orderer_requests(issuance.pool, number)
    every = subprocess.run(cli, env=env, capture_output=True, text=True, check=True)
    assert {r["request_id"] for r in lines} <= {json.loads(line)["request_id"] for line in every.stdout.splitlines()}
    bad = subprocess.run([*cli, "--contract-number", "12345"], env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "保証契約番号は「37071-00000M」の形式で指定してください" in bad.stderr
    assert await _with_pool(TEST_DATABASE_URL, lambda pool: list_orderer_requests(pool, "99999-99998M")) == []
