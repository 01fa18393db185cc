"""The end of a guarantee on the real system (issue 13 item 5), through every service:

- 期間満了: a guarantee whose 保証期限 is past; surety staff run the scheduled job's command with an injected
  day (`run-expiry --today`): nothing on the 保証期限 itself, expired the day after — Net Desk shows 期間満了
  with the date (保証契約一覧, 電子保証概要), the orderer still opens the certificate and sees 期間満了, one
  保証期間満了のお知らせ without the key, and a 変更申込 is refused.
- 解約: the contractor asks on Net Desk's API, staff refuse one request with a reason (the contractor reads it)
  and approve another (the staff CLI) → 解約 with its date on both sides and one 解約のお知らせ."""

import asyncio
import json
from datetime import date, datetime, timedelta

import pytest

from deploy.demo import sample_form
from shared.japanese import JST, wareki
from tests.e2e.staff import staff_cli
from tests.conftest import eventually
from tests.e2e.test_pipeline import issued_application, logged_in

pytestmark = pytest.mark.integration

STAFF = "業務部 佐藤"


def mails_about(system, subject: str) -> list:
    return [m.message for m in system.mails if m.message["Subject"] == subject]


async def test_expiry_reaches_both_sides_and_the_email(system, accounts, common_env):
    url = common_env["database_url"]
    contractor = await logged_in(system.urls["application"], accounts["a"])
    orderer = await logged_in(system.urls["platform"], accounts["kawasaki"])
    # A contract of 2024 (川崎市 accepts 電子保証 from 2023-04-01): its 保証期限 is 300 days later, long past.
    form = sample_form(date(2024, 1, 10))
    form["contract"]["construction_name"] = "市道改良工事（期間満了確認）"
    app = await issued_application(contractor, form)
    number = next(c["contract_number"] for c in app["certificates"] if c["product"] == "advance_payment")
    detail = (await contractor.get(f"/contracts/{number}")).json()
    key = detail["auth_key"]
    expiry = date(2024, 11, 5)  # period_end = 2024-01-10 + 300 days, the 保証期限 of both products
    seen = (await orderer.post("/certificates/lookup", json={"contract_number": number, "auth_key": key})).json()
    assert seen["certificate"]["guarantee_expiry"] == expiry.isoformat() and seen["status"] is None

    on_the_day = await staff_cli(url, "run-expiry", "--today", expiry.isoformat())
    assert on_the_day.returncode == 0, on_the_day.stderr
    assert number not in on_the_day.stdout
    day_after = await staff_cli(url, "run-expiry", "--today", (expiry + timedelta(days=1)).isoformat())
    assert day_after.returncode == 0, day_after.stderr
    expired = [json.loads(line) for line in day_after.stdout.splitlines()]
    assert {"contract_number": number, "expired_on": "2024-11-06"} in [
        {k: v for k, v in e.items() if k != "event_id"} for e in expired
    ]
    label = f"期間満了（{wareki(date(2024, 11, 6))}）"

    async def contractor_sees():
        shown = (await contractor.get(f"/contracts/{number}")).json()
        return shown if shown["status"] == "expired" else None

    shown = await eventually(contractor_sees, timeout=60)
    assert (shown["status_label"], shown["ended_on"], shown["auth_key"]) == (label, "2024-11-06", key)
    [row] = (await contractor.get("/contracts", params={"contract_number": number})).json()
    assert row["status_label"] == label

    async def orderer_sees():
        answer = (await orderer.post("/certificates/lookup", json={"contract_number": number, "auth_key": key})).json()
        return answer if answer.get("status") else None

    answer = await eventually(orderer_sees, timeout=30)
    assert answer["status"] == {"status": "expired", "label": label, "ended_on": "2024-11-06"}
    assert answer["certificate"]["construction_name"] == "市道改良工事（期間満了確認）"  # still shown

    subject = f"【Net Desk】保証期間満了のお知らせ（{number}）"
    [mail] = await eventually(lambda: mails_about(system, subject), timeout=30)
    body = mail.get_body(("plain",)).get_content()
    assert mail["To"] == "soumu@example.jp" and "期間満了日　　　：令和6年11月6日" in body and key not in body

    # Twice: nothing more (no second event, no second email); a 変更申込 is refused.
    again = await staff_cli(url, "run-expiry", "--today", (expiry + timedelta(days=2)).isoformat())
    assert number not in again.stdout
    change = await contractor.post(f"/contracts/{number}/amendment-application")
    assert change.status_code == 409 and "期間満了となったため、変更申込はできません" in change.json()["detail"]
    await asyncio.sleep(2)  # what the relay and the sender would have done by now
    assert len(mails_about(system, subject)) == 1


async def test_cancellation_through_the_system(system, accounts, common_env):
    url = common_env["database_url"]
    contractor = await logged_in(system.urls["application"], accounts["a"])
    orderer = await logged_in(system.urls["platform"], accounts["kawasaki"])
    form = sample_form(date.today())
    form["contract"]["construction_name"] = "河川護岸工事（解約確認）"
    app = await issued_application(contractor, form)
    numbers = {c["product"]: c["contract_number"] for c in app["certificates"]}
    advance, guarantee = numbers["advance_payment"], numbers["contract_guarantee"]
    key = (await contractor.get(f"/contracts/{advance}")).json()["auth_key"]
    assert (await orderer.post("/certificates/lookup", json={"contract_number": advance, "auth_key": key})).status_code == 200

    async def request_state(number: str, state: str):
        shown = (await contractor.get(f"/contracts/{number}")).json()
        return shown if shown["cancellation"] and shown["cancellation"]["state"] == state else None

    # The 契約保証: asked, refused by staff with a reason the contractor reads.
    asked = await contractor.post(f"/contracts/{guarantee}/cancellation-request", json={"reason": "not_needed"})
    assert asked.status_code == 202, asked.text

    async def staff_sees(number: str):
        listed = await staff_cli(url, "list-cancellations")
        return listed.stdout if number in listed.stdout else None

    await eventually(lambda: staff_sees(guarantee), timeout=60)
    refused = await staff_cli(url, "refuse-cancellation", "--contract-number", guarantee, "--by", STAFF,
                        "--reason", "契約保証は工事完成まで必要です（発注者に確認済み）")
    assert refused.returncode == 0, refused.stderr
    shown = await eventually(lambda: request_state(guarantee, "refused"), timeout=60)
    assert shown["cancellation"]["refusal_reason"] == "契約保証は工事完成まで必要です（発注者に確認済み）"
    assert shown["status"] == "published" and shown["cancellable"] is True

    # The 前払金保証: asked (その他, in the contractor's words), approved → 解約 on both sides.
    asked = await contractor.post(f"/contracts/{advance}/cancellation-request",
                                  json={"reason": "other", "reason_text": "発注者の都合により工事が中止となった"})
    assert asked.status_code == 202, asked.text
    await eventually(lambda: staff_sees(advance), timeout=60)
    today = datetime.now(JST).date()
    approved = await staff_cli(url, "approve-cancellation", "--contract-number", advance, "--by", STAFF)
    assert approved.returncode == 0, approved.stderr
    label = f"解約（{wareki(today)}）"
    async def approved_and_ended():
        # The approval and the certificate's 解約 are two events: the page may show one a moment before the other.
        shown = await request_state(advance, "approved")
        return shown if shown and shown["status"] == "cancelled" else None

    shown = await eventually(approved_and_ended, timeout=60)
    assert (shown["status"], shown["status_label"], shown["ended_on"]) == ("cancelled", label, today.isoformat())

    async def orderer_sees():
        found = (await orderer.post("/certificates/lookup", json={"contract_number": advance, "auth_key": key})).json()
        return found if found.get("status") else None

    answer = await eventually(orderer_sees, timeout=30)
    assert answer["status"] == {"status": "cancelled", "label": label, "ended_on": today.isoformat()}
    [mail] = await eventually(lambda: mails_about(system, f"【Net Desk】解約のお知らせ（{advance}）"), timeout=30)
    assert f"解約日　　　　　：{wareki(today)}" in mail.get_body(("plain",)).get_content()
    assert key not in mail.get_body(("plain",)).get_content()
    assert not mails_about(system, f"【Net Desk】解約のお知らせ（{guarantee}）")  # refused: still in force
    listing = await staff_cli(url, "list-cancellations", "--state", "all")
    states = {json.loads(line)["contract_number"]: json.loads(line)["state"] for line in listing.stdout.splitlines()
              if advance in line or guarantee in line}
    assert states == {advance: "approved", guarantee: "refused"}
