"""The seed-002 story on the real system (issue 13): 新規, then 変更-1 (保証期限 60 days later, 前払金 raised
with 請負金額) — both histories list 変更-1 above 新規, each with its own 電子保証発行日時, the orderer opens
either version with the same key, the 変更-1 PDF says 変更-1 under its title, one email per version."""

from datetime import date, datetime, timedelta

import pytest

from deploy.demo import sample_form
from tests.conftest import eventually
from tests.e2e.test_pipeline import issued_application, logged_in, pdf_text

pytestmark = pytest.mark.integration


async def submit_change(contractor, number: str, *, contract_amount: int, guaranteed_amount: int, days: int) -> None:
    """変更申込 of a 前払金保証 through the API: 請負金額 and 保証金額 raised, 工期 and 保証期限 `days` later."""
    draft = (await contractor.post(f"/contracts/{number}/amendment-application")).json()
    change = draft["form"]
    end = datetime.strptime(str(change["contract"]["period_end"]).replace("-", ""), "%Y%m%d").date() + timedelta(days=days)
    change["contract"]["contract_amount"] = contract_amount
    change["contract"]["period_end"] = end.isoformat()
    change["advance_payment"]["guaranteed_amount"] = guaranteed_amount
    change["advance_payment"]["guarantee_expiry"] = end.isoformat()
    assert (await contractor.put(f"/applications/{draft['id']}", json=change)).status_code == 200
    confirmed = (await contractor.post(f"/applications/{draft['id']}/confirm")).json()
    assert confirmed["ok"], confirmed["problems"]
    sent = await contractor.post(f"/applications/{draft['id']}/submit", json={"acknowledge_warnings": True})
    assert sent.status_code == 202, sent.text


async def test_new_then_change_1_on_both_sides(system, accounts, tmp_path):
    contractor = await logged_in(system.urls["application"], accounts["a"])
    form = sample_form(date.today())
    form["contract"]["construction_name"] = "都営住宅耐震改修工事（変更確認）"
    app = await issued_application(contractor, form)
    number = next(c["contract_number"] for c in app["certificates"] if c["product"] == "advance_payment")
    before = (await contractor.get(f"/contracts/{number}")).json()
    key = before["auth_key"]

    await submit_change(contractor, number, contract_amount=60_000_000, guaranteed_amount=24_000_000, days=60)

    async def changed():
        detail = (await contractor.get(f"/contracts/{number}")).json()
        newest_first = sorted(detail["history"], key=lambda h: -h["no"])
        return detail if [h["label"] for h in newest_first] == ["変更-1", "新規"] else None

    detail = await eventually(changed, timeout=60)
    assert detail["auth_key"] == key and detail["guaranteed_amount"] == 24_000_000 and detail["version_label"] == "変更-1"
    arrivals = {h["label"]: h["published_at"] for h in detail["history"]}
    assert arrivals["新規"] == before["history"][0]["published_at"] and arrivals["変更-1"] > arrivals["新規"]

    pdf = await contractor.get(f"/contracts/{number}/certificate.pdf")
    text, _ = pdf_text(pdf.content, tmp_path, "change-1.pdf")
    assert "変更-1" in text and "24,000,000" in text
    new = await contractor.get(f"/contracts/{number}/certificate.pdf", params={"version": 0})
    text, _ = pdf_text(new.content, tmp_path, "new.pdf")
    assert "変更-1" not in text and "20,000,000" in text
    notice = await contractor.get(f"/contracts/{number}/key-notice.pdf", params={"version": 1})
    text, _ = pdf_text(notice.content, tmp_path, "notice-1.pdf")
    assert "変更-1" in text and key in text
    assert (await contractor.get(f"/contracts/{number}/certificate.pdf", params={"version": 7})).status_code == 404

    orderer = await logged_in(system.urls["platform"], accounts["kawasaki"])
    latest = (await orderer.post("/certificates/lookup", json={"contract_number": number, "auth_key": key})).json()
    assert (latest["version_label"], latest["certificate"]["guaranteed_amount"]) == ("変更-1", 24_000_000)
    # The APIs list versions by No. (oldest first); both pages show them newest first (certificate_view.html).
    assert [v["label"] for v in sorted(latest["versions"], key=lambda v: -v["no"])] == ["変更-1", "新規"]
    first = (await orderer.post("/certificates/lookup", json={"contract_number": number, "auth_key": key, "version": 0})).json()
    assert (first["version_label"], first["certificate"]["guaranteed_amount"]) == ("新規", 20_000_000)
    assert first["content_digest"] == before["content_digest"]  # the older version never changes

    async def mails():
        mine = [m.message for m in system.mails if number in m.message.get_body(("plain",)).get_content()]
        return mine if len(mine) == 2 else None

    subjects = sorted(str(m["Subject"]) for m in await eventually(mails, timeout=30))
    assert any("変更-1" in s for s in subjects) and any("変更" not in s for s in subjects)
    assert all(key not in m.get_body(("plain",)).get_content() for m in await mails())
