"""変更-2 before 変更-1, each delivered twice (the same event id, and a second id with the same content), in
Net Desk's read model on the real PostgreSQL (issue 13), through the consumers' own handlers: the contract
stays at 変更-2, every version is kept once, each 電子保証発行日時 is the one of its first publication, and
電子保証概要's history lists 新規, 変更-1, 変更-2 in order."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.application.handlers import events, top
from services.application.handlers.accounts import CurrentUser
from shared.events import Product
from tests.integration.application.conftest import certificate_issued, certificate_published, contract_number

pytestmark = pytest.mark.integration

KEY = "Z28YUE4J3Bux"
T0 = datetime(2022, 4, 1, 5, 54, tzinfo=timezone.utc)  # seeds 002: 新規 2022/04/01 14:54 JST
AMOUNTS = {0: 20_000_000, 1: 22_000_000, 2: 24_000_000}
ARRIVALS = {0: T0, 1: T0 + timedelta(days=17), 2: T0 + timedelta(days=30)}  # 変更-2 published after 変更-1


def versions_issued(company):
    """新規, 変更-1, 変更-2 of one 前払金保証, each from an application of its own (a 変更申込 is one)."""
    number = contract_number(Product.ADVANCE_PAYMENT)
    made = []
    for version, amount in AMOUNTS.items():
        e = certificate_issued(application_id=uuid.uuid4(), company=company, product=Product.ADVANCE_PAYMENT,
                               number=number, version=version, guaranteed_amount=amount)
        label = "新規" if version == 0 else f"変更-{version}"
        made.append(e.model_copy(update={"data": e.data.model_copy(update={"version": version, "version_label": label})}))
    return number, made


def copy_of(event, **data_changes):
    """The same event under another id; `data_changes` alter what it says."""
    data = event.data.model_copy(update=data_changes) if data_changes else event.data
    return event.model_copy(update={"id": str(uuid.uuid4()), "data": data})


async def overview(api, contractor, number: str) -> dict:
    response = await api.get(f"/contracts/{number}", headers=contractor.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_change_2_before_change_1_each_twice(service, api, contractor_a, fake_issuance):
    pool = service.pool
    number, (new, one, two) = versions_issued(contractor_a)
    fake_issuance.keys[number] = (str(contractor_a.company_id), KEY)
    published = {e.data.version: certificate_published(e, ARRIVALS[e.data.version]) for e in (new, one, two)}

    await events.on_certificate_issued(pool, new)
    await events.on_certificate_published(pool, published[0])
    # 変更-2 first, each event twice under its id and once more under another.
    for event in (two, two, copy_of(two)):
        await events.on_certificate_issued(pool, event)
    for event in (published[2], published[2], copy_of(published[2])):
        await events.on_certificate_published(pool, event)
    early = await overview(api, contractor_a, number)
    assert (early["version_label"], early["guaranteed_amount"]) == ("変更-2", AMOUNTS[2])
    assert [(h["no"], h["label"]) for h in early["history"]] == [(1, "新規"), (2, "変更-2")]

    # 変更-1 late: its publication even before its certificate, and both twice.
    for event in (published[1], published[1], copy_of(published[1])):
        await events.on_certificate_published(pool, event)
    for event in (one, one, copy_of(one)):
        await events.on_certificate_issued(pool, event)
    # A copy that claims a later 電子保証発行日時: the first publication's time stands.
    await events.on_certificate_published(pool, copy_of(published[2], published_at=ARRIVALS[2] + timedelta(hours=5)))

    detail = await overview(api, contractor_a, number)
    assert (detail["version_label"], detail["guaranteed_amount"]) == ("変更-2", AMOUNTS[2]), "a late 変更-1 became the latest"
    assert detail["content_digest"] == two.data.content_digest and detail["auth_key"] == KEY
    history = [(h["no"], h["version"], h["label"], h["published_at"]) for h in detail["history"]]
    as_json = {v: t.isoformat().replace("+00:00", "Z") for v, t in ARRIVALS.items()}
    assert history == [
        (1, 0, "新規", as_json[0]), (2, 1, "変更-1", as_json[1]), (3, 2, "変更-2", as_json[2]),
    ], history
    assert detail["history"][0]["published_at_jst"] == "2022/04/01 14:54"
    versions = [(v["version"], v["label"], v["content_digest"], v["published_at"]) for v in detail["versions"]]
    assert versions == [(e.data.version, e.data.version_label, e.data.content_digest, as_json[e.data.version])
                        for e in (new, one, two)], versions

    # 保証契約一覧: the latest version, with the latest 電子保証発行日時.
    (row,) = (await api.get("/contracts", params={"contract_number": number}, headers=contractor_a.headers)).json()
    assert (row["version_label"], row["latest_published_at_jst"]) == ("変更-2", "2022/05/01 14:54")


async def test_a_redelivered_version_is_no_news_on_the_top_page(service, api, contractor_a, fake_issuance):
    """最近のお手続き lists contracts changed since the previous login: a copy of a version already here
    (under another event id) changes nothing, so it must not show the contract as changed again."""
    pool = service.pool
    number, (new, one, two) = versions_issued(contractor_a)
    for event in (new, two, one):
        await events.on_certificate_issued(pool, event)
    logged_in_at = await pool.fetchval("SELECT clock_timestamp()")
    user = CurrentUser(user_id=uuid.uuid4(), login_id="maru-a", display_name=None, company_id=contractor_a.company_id,
                       previous_login_at=logged_in_at)
    for event in (copy_of(two), copy_of(one), copy_of(new)):
        await events.on_certificate_issued(pool, event)
    recent = (await top.top_page(pool, user)).recent
    assert number not in [r["contract_number"] for r in recent], "a redelivery shows as 最近のお手続き"
    # A new version is news.
    three = certificate_issued(application_id=uuid.uuid4(), company=contractor_a, product=Product.ADVANCE_PAYMENT,
                               number=number, version=3, guaranteed_amount=25_000_000)
    three = three.model_copy(update={"data": three.data.model_copy(update={"version": 3, "version_label": "変更-3"})})
    await events.on_certificate_issued(pool, three)
    recent = (await top.top_page(pool, user)).recent
    assert [(r["contract_number"], r["version_label"]) for r in recent if r["contract_number"] == number] == [(number, "変更-3")]
