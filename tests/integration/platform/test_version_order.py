"""変更-2 before 変更-1, each delivered twice (the same event id, and a second id with the same content), on
the platform with the real PostgreSQL (issue 13): the latest stays 変更-2, every version is kept once with
the 電子保証発行日時 of its first arrival, the orderer's history lists 新規, 変更-1, 変更-2 in that order, and
each version is announced (CertificatePublished) once with that arrival time."""

import uuid

import pytest

from shared.bus.consumer import PoisonMessage
from shared.events import CertificatePublished, CertificatePublishedV1
from services.platform.handlers.certificates import record_arrival
from tests.integration.platform.conftest import new_contract_number
from tests.unit.platform.samples import certificate, issued_event

pytestmark = pytest.mark.integration

KEY = "Z28YUE4J3Bux"
AMOUNTS = {0: 20_000_000, 1: 22_000_000, 2: 24_000_000}


def versions_issued(number: str):
    """新規, 変更-1, 変更-2 of one guarantee: the same key (hash), each with its own 保証金額."""
    contents = [certificate(number, version=v).model_copy(update={"guaranteed_amount": AMOUNTS[v]}) for v in AMOUNTS]
    first = issued_event(contents[0], KEY)
    return [first] + [issued_event(c, KEY, key_hash=first.data.auth_key_hash) for c in contents[1:]]


def copy_of(event):
    """The same event under another id (a relay's retry after a lost confirm, an operator's replay)."""
    return event.model_copy(update={"id": str(uuid.uuid4())})


async def delivered_twice(pool, event) -> None:
    """Delivered, redelivered with its id, and re-sent under a new id."""
    for delivery in (event, event, copy_of(event)):
        await record_arrival(pool, delivery)


async def looked_up(http, headers, number: str, version: int | None = None) -> dict:
    body = {"contract_number": number, "auth_key": KEY} | ({} if version is None else {"version": version})
    response = await http.post("/certificates/lookup", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def announced(pool, number: str) -> list[CertificatePublishedV1]:
    """The CertificatePublished events the platform queued for this certificate, in the order queued."""
    rows = await pool.fetch(
        "SELECT body FROM outbox WHERE routing_key = $1 ORDER BY created_at", CertificatePublishedV1.event_type
    )
    events = [CertificatePublished.model_validate_json(bytes(r["body"])) for r in rows]
    return [e.data for e in events if e.subject == number]


async def test_change_2_before_change_1_each_twice(platform, http, login_as):
    pool = platform.pool
    headers = await login_as()
    number = new_contract_number()
    new, one, two = versions_issued(number)

    await delivered_twice(pool, new)
    await delivered_twice(pool, two)  # 変更-1 is still on its way
    early = await looked_up(http, headers, number)
    assert (early["version"], early["version_label"]) == (2, "変更-2")
    assert [(v["no"], v["label"]) for v in early["versions"]] == [(1, "新規"), (2, "変更-2")]
    arrived = {v["version"]: v["published_at"] for v in early["versions"]}

    await delivered_twice(pool, one)  # late, and twice
    latest = await looked_up(http, headers, number)
    assert (latest["version"], latest["version_label"]) == (2, "変更-2"), "a late 変更-1 became the latest"
    assert latest["certificate"]["guaranteed_amount"] == AMOUNTS[2]
    assert latest["content_digest"] == two.data.content_digest
    history = [(v["no"], v["version"], v["label"]) for v in latest["versions"]]
    assert history == [(1, 0, "新規"), (2, 1, "変更-1"), (3, 2, "変更-2")], history
    times = {v["version"]: v["published_at"] for v in latest["versions"]}
    assert (times[0], times[2]) == (arrived[0], arrived[2]), "a redelivery moved a 電子保証発行日時"
    assert times[0] < times[2] < times[1], "each version keeps the time it first arrived"

    # 変更-1 opens as itself, with the same key.
    one_shown = await looked_up(http, headers, number, version=1)
    assert (one_shown["version_label"], one_shown["certificate"]["guaranteed_amount"]) == ("変更-1", AMOUNTS[1])
    assert one_shown["content_digest"] == one.data.content_digest

    # One announcement per version, in the order they arrived, each with that version's own time.
    published = await announced(pool, number)
    assert [(p.version, p.version_label) for p in published] == [(0, "新規"), (2, "変更-2"), (1, "変更-1")]
    assert {p.version: p.published_at.isoformat().replace("+00:00", "Z") for p in published} == times
    assert {p.version: p.content_digest for p in published} == {e.data.version: e.data.content_digest for e in (new, one, two)}


async def test_a_second_copy_of_a_version_with_other_content_is_refused_and_changes_nothing(platform, http, login_as):
    pool = platform.pool
    headers = await login_as()
    number = new_contract_number()
    new, one, two = versions_issued(number)
    for event in (new, two, one):
        await record_arrival(pool, event)
    before = await looked_up(http, headers, number)
    other = certificate(number, version=1).model_copy(update={"guaranteed_amount": 99_000_000})
    forged = issued_event(other, KEY, key_hash=new.data.auth_key_hash)
    with pytest.raises(PoisonMessage, match="already here with other content"):
        await record_arrival(pool, forged)
    assert await looked_up(http, headers, number) == before
    assert (await looked_up(http, headers, number, version=1))["certificate"]["guaranteed_amount"] == AMOUNTS[1]
    assert len(await announced(pool, number)) == 3
