"""The end of a guarantee against the running issuance service (real PostgreSQL and RabbitMQ):

- 期間満了 with an injected clock: nothing on the 保証期限 itself, expired on the next day, once — across two
  runs and two replicas running at the same moment (two pools: SKIP LOCKED shares the work, the ending's
  primary key stops a second one); one certificate.expired.v1 per guarantee on the bus; a 変更申込 is then
  refused; the staff CLI `run-expiry --today`.
- 解約: a request from Net Desk (cancellation.requested.v1) kept pending, approved by staff (certificate.cancelled.v1
  with the 解約日) or refused with a reason (cancellation.refused.v1), and refused on receipt when the
  guarantee has ended, is a bid bond or has a request pending; a redelivered request changes nothing.

Each test's guarantees expire on dates of their own in 2023 (other tests' guarantees expire in 2026 or later):
`today` is chosen so that only this test's guarantees are due."""

import asyncio
import json
import os
import subprocess
import sys
import uuid
from datetime import date, datetime, timedelta, timezone

import aio_pika
import asyncpg
import pytest

from services.issuance.domain.status import StatusRefused
from services.issuance.handlers import cancellations
from services.issuance.handlers.expiry import run_expiry
from shared.db.pool import create_pool
from shared.events import (
    CancellationReason,
    CancellationRefusedV1,
    CancellationRequested,
    CancellationRequestedV1,
    CertificateCancelledV1,
    CertificateExpiredV1,
)
from tests.conftest import eventually
from tests.integration.issuance.test_amendments import issue, rejection, unique_construction
from tests.unit.issuance.factories import COMPANY_ID, advance, amending, application, bid_bond_application

pytestmark = pytest.mark.integration

STAFF = "業務部 佐藤"


@pytest.fixture(scope="module")
async def status_events(amqp, issuance_settings) -> list[dict]:
    """Every status event on the public exchange, as an external subscriber binds them."""
    found: list[dict] = []
    channel = await amqp.channel()
    exchange = await channel.get_exchange(f"{issuance_settings.bus_namespace}.events")
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    for model in (CertificateExpiredV1, CertificateCancelledV1, CancellationRefusedV1):
        await queue.bind(exchange, routing_key=model.event_type)

    async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with message.process():
            found.append(json.loads(message.body))

    await queue.consume(collect)
    return found


def of(events: list[dict], event_type: str, number: str) -> list[dict]:
    return [e for e in events if e["type"] == event_type and e["data"]["contract_number"] == number]


def expiring_on(expiry: date, **changes):
    """An electronic 前払金保証 (川崎市, contract of 2023-04-10) whose 保証期限 is `expiry`."""
    return application(
        construction_name=unique_construction(), products=[advance(guarantee_expiry=expiry, **changes)],
        contract_date=date(2023, 4, 10), period_start=date(2023, 4, 11), period_end=expiry,
    )


async def issued_number(emitted, publish, data) -> str:
    return (await issue(emitted, publish, data))["data"]["contract_number"]


async def ending(pool, number: str):
    return await pool.fetchrow("SELECT * FROM guarantee_endings WHERE contract_number = $1", number)


async def test_expiry_on_the_day_after_the_expiry_date_once(issuance, emitted, publish, status_events):
    pool = issuance.pool
    expiry = date(2023, 6, 30)
    data = expiring_on(expiry)
    number = await issued_number(emitted, publish, data)

    # On the 保証期限 itself the guarantee still covers: nothing happens.
    assert number not in [e.contract_number for e in await run_expiry(pool, today=expiry)]
    assert await ending(pool, number) is None

    # The day after: expired, with the day and the expiry in the event.
    done = await run_expiry(pool, today=expiry + timedelta(days=1))
    assert [(e.contract_number, e.expired_on) for e in done if e.contract_number == number] == [(number, date(2023, 7, 1))]
    row = await ending(pool, number)
    assert (row["status"], row["ended_on"], row["guarantee_expiry"], row["done_by"]) == ("expired", date(2023, 7, 1), expiry, None)
    [event] = await eventually(lambda: of(status_events, CertificateExpiredV1.event_type, number))
    assert event["subject"] == number and event["source"] == "/esurety/issuance"
    e = CertificateExpiredV1.model_validate(event["data"])
    assert (e.product.value, e.electronic, e.guarantee_expiry, e.expired_on) == ("advance_payment", True, expiry, date(2023, 7, 1))
    assert (e.application_id, e.contractor_company_id) == (data.application_id, COMPANY_ID)
    assert event["id"] == row["event_id"]

    # Run again, and later: nothing new, no second event.
    assert number not in [x.contract_number for x in await run_expiry(pool, today=expiry + timedelta(days=1))]
    assert number not in [x.contract_number for x in await run_expiry(pool, today=expiry + timedelta(days=40))]
    await asyncio.sleep(1.0)  # what the relay would have published by now
    assert len(of(status_events, CertificateExpiredV1.event_type, number)) == 1

    # A 変更申込 of the expired guarantee is refused, with the reason.
    change = amending(expiring_on(expiry, guaranteed_amount=22_000_000), number, 0)
    reasons = await rejection(emitted, publish, change)
    assert [(r["field"], r["rule"], r["message"]) for r in reasons] == [(
        "amendment.contract_number", "amendment_expired",
        f"保証契約「{number}」は保証期限を過ぎ、令和5年7月1日に期間満了となりました。期間満了後の保証契約は変更できません。",
    )]


async def test_two_replicas_at_the_same_moment_expire_each_guarantee_once(
    issuance, emitted, publish, status_events, issuance_settings
):
    expiry = date(2023, 8, 31)
    numbers = [await issued_number(emitted, publish, expiring_on(expiry)) for _ in range(6)]
    # Two replicas: pools of their own, small batches so that they interleave.
    replicas = [await create_pool(issuance_settings.database_url, "issuance", max_size=2) for _ in range(2)]
    try:
        today = expiry + timedelta(days=1)
        results = await asyncio.gather(*(run_expiry(p, today=today, batch_size=1) for p in replicas))
    finally:
        for p in replicas:
            await p.close()
    mine = [[e.contract_number for e in result if e.contract_number in numbers] for result in results]
    assert sorted(mine[0] + mine[1]) == sorted(numbers)  # each once, by one replica or the other
    for number in numbers:
        assert len(await eventually(lambda n=number: of(status_events, CertificateExpiredV1.event_type, n))) == 1
    assert await issuance.pool.fetchval(
        "SELECT count(*) FROM guarantee_endings WHERE contract_number = ANY($1::text[])", numbers
    ) == len(numbers)
    await asyncio.sleep(1.0)
    assert all(len(of(status_events, CertificateExpiredV1.event_type, n)) == 1 for n in numbers)


async def test_a_converted_or_lapsed_bid_bond_never_expires(issuance, emitted, publish):
    from tests.integration.issuance.test_products_flow import lapsed_event

    expiry = date(2023, 9, 15)
    bond = (await issue(emitted, publish, bid_bond_application(
        construction_name=unique_construction(), products=[advance(
            product="bid_bond", guaranteed_amount=4_800_000, depository=None, bid_date=date(2023, 9, 1),
            bid_amount=48_000_000, guarantee_expiry=expiry,
        )], period_start=expiry, period_end=date(2024, 3, 31),
    )))["data"]["contract_number"]
    await publish(lapsed_event(bond))
    await eventually(lambda: issuance.pool.fetchval("SELECT lapsed_at FROM certificates WHERE contract_number = $1", bond))
    assert bond not in [e.contract_number for e in await run_expiry(issuance.pool, today=expiry + timedelta(days=1))]
    assert await ending(issuance.pool, bond) is None


def request_event(number: str, *, reason=CancellationReason.CONTRACT_TERMINATED, text=None, request_id=None,
                  company_id=COMPANY_ID) -> CancellationRequested:
    data = CancellationRequestedV1(
        request_id=request_id or uuid.uuid4(), contract_number=number, contractor_company_id=company_id,
        reason=reason, reason_text=text, requested_by="建設 花子", requested_at=datetime.now(timezone.utc),
    )
    return CancellationRequested.wrap(data, source="/esurety/application", subject=number, correlation_id=str(uuid.uuid4()))


async def request_row(pool, request_id):
    return await pool.fetchrow("SELECT * FROM cancellation_requests WHERE request_id = $1", request_id)


async def test_a_request_approved_by_staff_cancels_the_guarantee(issuance, emitted, publish, status_events):
    pool = issuance.pool
    data = application(construction_name=unique_construction(), products=[advance()])
    number = await issued_number(emitted, publish, data)
    event = request_event(number, reason=CancellationReason.OTHER, text="別の業者が工事を引き継いだため")
    await publish(event)
    row = await eventually(lambda: request_row(pool, event.data.request_id))
    assert (row["state"], row["reason"], row["reason_text"], row["requested_by"]) == (
        "pending", "other", "別の業者が工事を引き継いだため", "建設 花子"
    )
    # The same request again (another event id) changes nothing.
    await publish(CancellationRequested.wrap(event.data, source=event.source, subject=number, correlation_id=event.correlationid))
    listed = await cancellations.list_cancellations(pool)
    assert [r["request_id"] for r in listed if r["contract_number"] == number] == [event.data.request_id]

    # Staff approve; the 解約日 cannot be in the future.
    now = datetime.now(timezone.utc)
    with pytest.raises(StatusRefused, match="以前の日付にしてください"):
        await cancellations.approve_cancellation(pool, contract_number=number, by=STAFF, now=now,
                                                 cancelled_on=date.today() + timedelta(days=5))
    done = await cancellations.approve_cancellation(pool, contract_number=number, by=STAFF, now=now)
    today = now.astimezone(timezone(timedelta(hours=9))).date()
    assert (done.state, done.cancelled_on) == ("approved", today.isoformat())
    row = await ending(pool, number)
    assert (row["status"], row["ended_on"], row["done_by"], row["request_id"]) == ("cancelled", today, STAFF, event.data.request_id)
    decided = await request_row(pool, event.data.request_id)
    assert (decided["state"], decided["decided_by"], decided["cancelled_on"]) == ("approved", STAFF, today)
    [cancelled] = await eventually(lambda: of(status_events, CertificateCancelledV1.event_type, number))
    c = CertificateCancelledV1.model_validate(cancelled["data"])
    assert (c.cancelled_on, c.reason, c.reason_text, c.request_id, c.application_id) == (
        today, CancellationReason.OTHER, "別の業者が工事を引き継いだため", event.data.request_id, data.application_id
    )
    assert STAFF not in json.dumps(cancelled, ensure_ascii=False)  # who decided stays with the surety company

    # Ended: nothing more to approve, and a new request is refused on receipt.
    with pytest.raises(StatusRefused, match=r"は既に解約（令和"):
        await cancellations.approve_cancellation(pool, contract_number=number, by=STAFF, now=now)
    again = request_event(number)
    await publish(again)
    [refused] = await eventually(lambda: [e for e in of(status_events, CancellationRefusedV1.event_type, number)
                                          if e["data"]["request_id"] == str(again.data.request_id)])
    assert refused["data"]["reason"] == (
        f"保証契約「{number}」は既に解約（{_wareki(today)}）となっているため、解約の申込はお受けできません。"
    )
    assert (await request_row(pool, again.data.request_id))["decided_by"] == "自動判定"


def _wareki(d: date) -> str:
    from shared.japanese import wareki

    return wareki(d)


async def test_a_refused_request_and_the_refusals_on_receipt(issuance, emitted, publish, status_events):
    pool = issuance.pool
    number = await issued_number(emitted, publish, application(construction_name=unique_construction(), products=[advance()]))
    first = request_event(number)
    await publish(first)
    await eventually(lambda: request_row(pool, first.data.request_id))

    # A second request while the first is pending: refused on receipt, the first stays pending.
    second = request_event(number, reason=CancellationReason.NOT_NEEDED)
    await publish(second)
    [auto] = await eventually(lambda: [e for e in of(status_events, CancellationRefusedV1.event_type, number)
                                       if e["data"]["request_id"] == str(second.data.request_id)])
    assert auto["data"]["reason"] == f"保証契約「{number}」の解約の申込は既に受け付けています。弊社の確認をお待ちください。"
    assert (await request_row(pool, first.data.request_id))["state"] == "pending"

    # Staff refuse the first with a reason the contractor reads; then a new request is pending again.
    with pytest.raises(StatusRefused, match="お断りする理由を入力してください"):
        await cancellations.refuse_cancellation(pool, contract_number=number, by=STAFF, reason=" ")
    done = await cancellations.refuse_cancellation(pool, contract_number=number, by=STAFF, reason="保証料の精算が済んでいないため")
    assert done.state == "refused"
    [refused] = await eventually(lambda: [e for e in of(status_events, CancellationRefusedV1.event_type, number)
                                          if e["data"]["request_id"] == str(first.data.request_id)])
    assert refused["data"]["reason"] == "保証料の精算が済んでいないため" and STAFF not in json.dumps(refused, ensure_ascii=False)
    assert await ending(pool, number) is None  # still in force
    third = request_event(number)
    await publish(third)
    row = await eventually(lambda: request_row(pool, third.data.request_id))
    assert row["state"] == "pending"

    # A bid bond: refused on receipt.
    bond = (await issue(emitted, publish, bid_bond_application(construction_name=unique_construction())))["data"]["contract_number"]
    asked = request_event(bond)
    await publish(asked)
    [answer] = await eventually(lambda: of(status_events, CancellationRefusedV1.event_type, bond))
    assert "契約保証予約は解約の対象外です" in answer["data"]["reason"]


async def test_a_request_for_another_company_s_guarantee_is_dead_lettered(issuance, emitted, publish, amqp, issuance_settings):
    number = await issued_number(emitted, publish, application(construction_name=unique_construction(), products=[advance()]))
    stranger = request_event(number, company_id=uuid.uuid4())
    await publish(stranger)
    channel = await amqp.channel()
    dlq = await channel.declare_queue(f"{issuance_settings.bus_namespace}.issuance.cancellation-requested.dlq", passive=True)

    async def dead() -> bool:
        message = await dlq.get(fail=False)
        if message is None:
            return False
        await message.ack()
        return json.loads(message.body)["data"]["request_id"] == str(stranger.data.request_id) or await dead()

    assert await eventually(dead)
    assert await request_row(issuance.pool, stranger.data.request_id) is None


def staff_cli(database_url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "services.issuance.entrypoints.cli", *args],
        env={**os.environ, "DATABASE_URL": database_url}, capture_output=True, text=True, timeout=120,
    )


async def test_the_staff_commands(issuance, emitted, publish, status_events, issuance_settings):
    url = issuance_settings.database_url
    expiry = date(2023, 10, 31)
    number = await issued_number(emitted, publish, expiring_on(expiry))
    before = staff_cli(url, "run-expiry", "--today", expiry.isoformat())
    assert before.returncode == 0, before.stderr
    assert number not in before.stdout
    ran = staff_cli(url, "run-expiry", "--today", "2023-11-01")
    assert ran.returncode == 0, ran.stderr
    lines = [json.loads(line) for line in ran.stdout.splitlines()]
    assert {"contract_number": number, "expired_on": "2023-11-01"} in [
        {k: v for k, v in line.items() if k != "event_id"} for line in lines
    ]
    assert number not in staff_cli(url, "run-expiry", "--today", "2023-11-01").stdout  # twice: nothing more
    await eventually(lambda: of(status_events, CertificateExpiredV1.event_type, number))

    other = await issued_number(emitted, publish, application(construction_name=unique_construction(), products=[advance()]))
    asked = request_event(other, reason=CancellationReason.NOT_NEEDED)
    await publish(asked)
    await eventually(lambda: request_row(issuance.pool, asked.data.request_id))
    listed = staff_cli(url, "list-cancellations")
    assert listed.returncode == 0, listed.stderr
    [line] = [json.loads(x) for x in listed.stdout.splitlines() if other in x]
    assert (line["state"], line["reason_label"], line["requested_by"]) == ("pending", "保証が不要になった", "建設 花子")
    refused = staff_cli(url, "approve-cancellation", "--contract-number", number, "--by", STAFF)
    assert refused.returncode == 1
    assert refused.stderr == f"エラー: 保証契約番号 {number} は既に期間満了（令和5年11月1日）となっています\n"
    wrong_day = staff_cli(url, "approve-cancellation", "--contract-number", other, "--by", STAFF, "--on", "2000-01-01")
    assert wrong_day.returncode == 1 and "保証の発行日" in wrong_day.stderr
    approved = staff_cli(url, "approve-cancellation", "--contract-number", other, "--by", STAFF,
                         "--on", datetime.now(timezone(timedelta(hours=9))).date().isoformat())
    assert approved.returncode == 0, approved.stderr
    assert json.loads(approved.stdout)["state"] == "approved"
    await eventually(lambda: of(status_events, CertificateCancelledV1.event_type, other))
    history = staff_cli(url, "list-cancellations", "--state", "approved")
    assert other in history.stdout and STAFF in history.stdout


async def test_an_approval_racing_the_job_ends_the_guarantee_once(issuance, emitted, publish, status_events, issuance_settings):
    """Staff approve a 解約 while the job runs on the same guarantee: one of them ends it, one event."""
    pool = issuance.pool
    expiry = date(2023, 12, 15)
    number = await issued_number(emitted, publish, expiring_on(expiry))
    asked = request_event(number)
    await publish(asked)
    await eventually(lambda: request_row(pool, asked.data.request_id))
    replica = await create_pool(issuance_settings.database_url, "issuance", max_size=2)
    try:
        job, approval = await asyncio.gather(
            run_expiry(replica, today=expiry + timedelta(days=1)),
            cancellations.approve_cancellation(pool, contract_number=number, by=STAFF, now=datetime.now(timezone.utc)),
            return_exceptions=True,
        )
    finally:
        await replica.close()
    expired = [e for e in job if e.contract_number == number] if isinstance(job, list) else []
    approved = not isinstance(approval, BaseException)
    assert len(expired) + int(approved) == 1, (job, approval)
    if not approved:  # the job came first: the request is answered, the approval refused
        assert isinstance(approval, StatusRefused) and "既に期間満了（令和5年12月16日）" in str(approval), approval
        [moot] = await eventually(lambda: of(status_events, CancellationRefusedV1.event_type, number))
        assert "既に期間満了（令和5年12月16日）となっているため" in moot["data"]["reason"]
        assert (await request_row(pool, asked.data.request_id))["state"] == "refused"
    await asyncio.sleep(1.0)
    ended = of(status_events, CertificateExpiredV1.event_type, number) + of(status_events, CertificateCancelledV1.event_type, number)
    assert len(ended) == 1
    assert isinstance(await ending(pool, number), asyncpg.Record)


async def test_a_pending_request_is_answered_when_the_guarantee_expires(issuance, emitted, publish, status_events):
    pool = issuance.pool
    expiry = date(2023, 12, 20)
    number = await issued_number(emitted, publish, expiring_on(expiry))
    asked = request_event(number)
    await publish(asked)
    await eventually(lambda: request_row(pool, asked.data.request_id))
    await run_expiry(pool, today=expiry + timedelta(days=1))
    [moot] = await eventually(lambda: of(status_events, CancellationRefusedV1.event_type, number))
    assert moot["data"]["request_id"] == str(asked.data.request_id)
    assert moot["data"]["reason"] == (
        f"保証契約「{number}」は既に期間満了（令和5年12月21日）となっているため、解約の申込はお受けできません。"
    )
    row = await request_row(pool, asked.data.request_id)
    assert (row["state"], row["decided_by"]) == ("refused", "自動判定")
