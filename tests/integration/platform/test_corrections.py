"""訂正 and 変更取消 on the platform, on the real PostgreSQL: the history shows the corrected revision in
place of the one it replaces and no withdrawn version; what is hidden is kept with its original arrival
time; any order and any number of copies end the same."""

import uuid

import pytest

from shared.events import CertificatePublished, CertificatePublishedV1
from services.platform.adapters.certificate_repository import versions_of
from services.platform.domain.versions import history
from services.platform.handlers.certificates import record_arrival
from services.platform.handlers.corrections import record_correction, record_withdrawal
from tests.integration.platform.conftest import new_contract_number
from tests.samples import sample_amendment_withdrawn, sample_certificate_corrected
from tests.unit.platform.samples import certificate, issued_event

pytestmark = pytest.mark.integration

KEY = "Z28YUE4J3Bux"


def versions_issued(number: str, count: int):
    """新規, 変更-1 … of one certificate, all with the same key hash (the key never changes)."""
    first = issued_event(certificate(number), KEY)
    return [first] + [
        issued_event(certificate(number, version=v), KEY, key_hash=first.data.auth_key_hash) for v in range(1, count)
    ]


def copy_of(event):
    """The same event published again under another id (an operator's replay, a relay's retry)."""
    return event.model_copy(update={"id": str(uuid.uuid4())})


async def shown(pool, number: str) -> list[tuple[int, int, str]]:
    return [(v.version, v.revision, v.content.construction_name) for v in await _versions(pool, number)]


async def _versions(pool, number):
    async with pool.acquire() as conn:
        rows = await versions_of(conn, number)
        revisions = dict(
            await conn.fetch("SELECT version, revision FROM certificate_versions WHERE contract_number = $1", number)
        )
    return [type("V", (), {"version": v.version, "revision": revisions[v.version], "content": v.content, "arrived_at": v.arrived_at}) for v in rows]


async def hidden(pool, number: str) -> list[tuple]:
    rows = await pool.fetch(
        "SELECT version, revision, hidden_as, reason, arrived_at FROM hidden_versions WHERE contract_number = $1"
        " ORDER BY version, revision",
        number,
    )
    return [tuple(r) for r in rows]


async def published(pool, number: str) -> list[CertificatePublishedV1]:
    rows = await pool.fetch(
        "SELECT body FROM outbox WHERE routing_key = $1 ORDER BY created_at", CertificatePublishedV1.event_type
    )
    events = [CertificatePublished.model_validate_json(bytes(r["body"])) for r in rows]
    return [e.data for e in events if e.subject == number]


async def test_a_correction_replaces_its_version_in_the_history_and_the_replaced_one_is_kept(platform):
    pool = platform.pool
    number = new_contract_number()
    new, one = versions_issued(number, 2)
    await record_arrival(pool, new)
    await record_arrival(pool, one)
    arrived_before = {v.version: v.arrived_at for v in await _versions(pool, number)}

    correction = sample_certificate_corrected(one)
    await record_correction(pool, correction)
    name = one.data.certificate.construction_name
    assert await shown(pool, number) == [(0, 0, name), (1, 1, f"{name}（訂正1）")]
    after = {v.version: v.arrived_at for v in await _versions(pool, number)}
    assert after[0] == arrived_before[0] and after[1] > arrived_before[1]  # the corrected one arrived now
    assert await hidden(pool, number) == [(1, 0, "corrected", "工事名の誤記", arrived_before[1])]  # its time untouched
    labels = [(h.no, h.label) for h in history([(v.version, "新規" if v.version == 0 else f"変更-{v.version}", v.arrived_at) for v in await _versions(pool, number)])]
    assert labels == [(1, "新規"), (2, "変更-1")]
    announced = await published(pool, number)
    assert [(p.version, p.revision) for p in announced] == [(0, 0), (1, 0), (1, 1)]
    assert announced[-1].published_at == after[1] and announced[-1].content_digest == correction.data.content_digest

    # Copies change nothing: the same event, the same correction under another id, the original 変更-1 again.
    await record_correction(pool, correction)
    await record_correction(pool, copy_of(correction))
    await record_arrival(pool, copy_of(one))
    assert await shown(pool, number) == [(0, 0, name), (1, 1, f"{name}（訂正1）")]
    assert len(await hidden(pool, number)) == 1 and len(await published(pool, number)) == 3

    # A second correction replaces the first; the first is kept too.
    await record_correction(pool, sample_certificate_corrected(one, revision=2))
    assert await shown(pool, number) == [(0, 0, name), (1, 2, f"{name}（訂正2）")]
    assert [(v, r) for v, r, *_ in await hidden(pool, number)] == [(1, 0), (1, 1)]


async def test_corrections_out_of_order(platform):
    pool = platform.pool
    number = new_contract_number()
    new, one = versions_issued(number, 2)
    second, first = sample_certificate_corrected(one, revision=2), sample_certificate_corrected(one, revision=1)
    name = one.data.certificate.construction_name
    await record_arrival(pool, new)
    await record_correction(pool, second)  # before 変更-1 itself and before the first correction
    await record_arrival(pool, one)
    await record_correction(pool, first)
    assert await shown(pool, number) == [(0, 0, name), (1, 2, f"{name}（訂正2）")]
    assert [(v, r, how) for v, r, how, *_ in await hidden(pool, number)] == [(1, 0, "corrected"), (1, 1, "corrected")]
    assert [(p.version, p.revision) for p in await published(pool, number)] == [(0, 0), (1, 2)]


async def test_a_withdrawn_change_leaves_the_history_in_any_order(platform):
    pool = platform.pool
    number = new_contract_number()
    new, one, two, three = versions_issued(number, 4)
    for event in (new, one, two):
        await record_arrival(pool, event)
    arrived_two = {v.version: v.arrived_at for v in await _versions(pool, number)}[2]
    withdrawal = sample_amendment_withdrawn(two)
    await record_withdrawal(pool, withdrawal)
    assert [v for v, *_ in await shown(pool, number)] == [0, 1]
    assert await hidden(pool, number) == [(2, 0, "withdrawn", "変更契約が締結されなかったため", arrived_two)]
    await record_withdrawal(pool, copy_of(withdrawal))
    await record_arrival(pool, copy_of(two))  # a late copy of the withdrawn version never shows again
    assert [v for v, *_ in await shown(pool, number)] == [0, 1]

    # 変更-3 withdrawn before it arrives, then arriving (and its correction too): never shown, kept.
    await record_withdrawal(pool, sample_amendment_withdrawn(three, current_version=1))
    await record_arrival(pool, three)
    await record_correction(pool, sample_certificate_corrected(three))
    assert [v for v, *_ in await shown(pool, number)] == [0, 1]
    assert [(v, r, how) for v, r, how, *_ in await hidden(pool, number)] == [
        (2, 0, "withdrawn"), (3, 0, "withdrawn"), (3, 1, "withdrawn"),
    ]
    assert [p.version for p in await published(pool, number)] == [0, 1, 2]  # nothing announced for 変更-3
