"""訂正 and 変更取消 in Net Desk's read model, on the real PostgreSQL: the contract's row, the versions and
the history show the corrected revision and never a withdrawn version, in any order and with copies;
what is hidden is kept with the 電子保証発行日時 it had."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.application.adapters import contracts_repository as contracts
from services.application.handlers import corrections, events
from shared.events import Product
from tests.integration.application.conftest import certificate_issued, certificate_published, contract_number
from tests.samples import sample_amendment_withdrawn, sample_certificate_corrected, sample_certificate_published

pytestmark = pytest.mark.integration

T0 = datetime(2022, 4, 1, 5, 54, tzinfo=timezone.utc)


def issued_versions(company, count: int):
    number = contract_number(Product.ADVANCE_PAYMENT)
    app = uuid.uuid4()
    made = []
    for version in range(count):
        e = certificate_issued(application_id=app if version == 0 else uuid.uuid4(), company=company,
                               product=Product.ADVANCE_PAYMENT, number=number, version=version,
                               guaranteed_amount=20_000_000 + version * 1_000_000)
        made.append(e.model_copy(update={"data": e.data.model_copy(update={
            "version": version, "version_label": "新規" if version == 0 else f"変更-{version}"})}))
    return number, made


def published_correction(correction, at: datetime):
    d = correction.data
    return sample_certificate_published(
        application_id=d.application_id, contract_number=d.contract_number, product=d.product, version=d.version,
        version_label=d.version_label, published_at=at, content_digest=d.content_digest,
        construction_name=d.certificate.construction_name, orderer_name=d.certificate.obligee.name,
        contractor_name=d.certificate.contractor.name, revision=d.revision,
    )


def copy_of(event):
    return event.model_copy(update={"id": str(uuid.uuid4())})


async def seen(pool, number: str, company_id) -> dict:
    async with pool.acquire() as conn:
        row = await contracts.get_owned(conn, number, company_id)
        return {
            "latest": (row["version"], row["revision"], row["construction_name"], row["guaranteed_amount"]),
            "versions": [(v["version"], v["content_digest"]) for v in await contracts.versions(conn, number)],
            "history": [(h["version"], h["published_at"]) for h in await contracts.history(conn, number)],
        }


async def test_a_correction_of_the_latest_version_is_what_the_contractor_sees(service, contractor_a):
    pool = service.pool
    number, (new, one) = issued_versions(contractor_a, 2)
    for i, e in enumerate((new, one)):
        await events.on_certificate_issued(pool, e)
        await events.on_certificate_published(pool, certificate_published(e, T0 + timedelta(days=17 * i)))
    correction = sample_certificate_corrected(one)
    name = correction.data.certificate.construction_name
    later = T0 + timedelta(days=20)
    # The publication of the correction may come first: the history line waits for nothing.
    await events.on_certificate_published(pool, published_correction(correction, later))
    await corrections.on_certificate_corrected(pool, correction)
    expected = {
        "latest": (1, 1, name, 21_000_000),
        "versions": [(0, new.data.content_digest), (1, correction.data.content_digest)],
        "history": [(0, T0), (1, later)],
    }
    assert await seen(pool, number, contractor_a.company_id) == expected
    # Copies and late originals change nothing.
    for event in (correction, copy_of(correction)):
        await corrections.on_certificate_corrected(pool, event)
    await events.on_certificate_issued(pool, copy_of(one))
    await events.on_certificate_published(pool, copy_of(certificate_published(one, T0 + timedelta(days=17))))
    assert await seen(pool, number, contractor_a.company_id) == expected
    kept = await pool.fetch(
        "SELECT version, revision, hidden_as, content IS NOT NULL AS has_content, published_at FROM hidden_versions"
        " WHERE contract_number = $1", number,
    )
    assert [tuple(r) for r in kept] == [(1, 0, "corrected", True, T0 + timedelta(days=17))]


async def test_a_correction_of_an_older_version_leaves_the_latest(service, contractor_a):
    pool = service.pool
    number, (new, one) = issued_versions(contractor_a, 2)
    for e in (new, one):
        await events.on_certificate_issued(pool, e)
    await corrections.on_certificate_corrected(pool, sample_certificate_corrected(new))
    state = await seen(pool, number, contractor_a.company_id)
    assert state["latest"][:2] == (1, 0) and state["latest"][3] == 21_000_000


async def test_withdrawal_shows_the_version_before_again_in_any_order(service, contractor_a):
    pool = service.pool
    number, (new, one, two, three) = issued_versions(contractor_a, 4)
    for i, e in enumerate((new, one, two)):
        await events.on_certificate_issued(pool, e)
        await events.on_certificate_published(pool, certificate_published(e, T0 + timedelta(days=i)))
    await corrections.on_amendment_withdrawn(pool, sample_amendment_withdrawn(two))
    state = await seen(pool, number, contractor_a.company_id)
    assert state["latest"] == (1, 0, one.data.certificate.construction_name, 21_000_000)
    assert [v for v, _ in state["versions"]] == [0, 1] and [v for v, _ in state["history"]] == [0, 1]
    # 変更-3 withdrawn before it arrives: it never shows (and the latest stays 変更-1).
    await corrections.on_amendment_withdrawn(pool, sample_amendment_withdrawn(three, current_version=1))
    await events.on_certificate_issued(pool, three)
    await events.on_certificate_published(pool, certificate_published(three, T0 + timedelta(days=5)))
    await events.on_certificate_issued(pool, copy_of(two))
    state = await seen(pool, number, contractor_a.company_id)
    assert state["latest"][:2] == (1, 0) and [v for v, _ in state["versions"]] == [0, 1]
    assert [v for v, _ in state["history"]] == [0, 1]
    kept = await pool.fetch(
        "SELECT version, hidden_as, published_at FROM hidden_versions WHERE contract_number = $1 ORDER BY version", number
    )
    assert [tuple(r) for r in kept] == [(2, "withdrawn", T0 + timedelta(days=2)), (3, "withdrawn", T0 + timedelta(days=5))]
