"""訂正 and 変更取消 on the real system (issue 13): 新規 and 変更-1 issued through Net Desk; surety staff correct
変更-1's 工事名 with the issuance CLI → both sides show 新規 and the corrected 変更-1 only, with a new
電子保証発行日時 for it, the same key, the same digest on both sides, and the corrected PDF; then 変更-2 is
issued and withdrawn → both sides are back at 変更-1; the staff CLI lists every revision, the hidden ones with
who, when and why; one completion email per issued version, none for the correction."""

import json
from datetime import date

import pytest

from deploy.demo import sample_form
from tests.e2e.staff import staff_cli
from tests.conftest import eventually
from tests.e2e.test_amendment import submit_change
from tests.e2e.test_pipeline import issued_application, logged_in, pdf_text

pytestmark = pytest.mark.integration

STAFF = "業務部 佐藤"


async def test_correction_and_withdrawal_on_both_sides(system, accounts, common_env, tmp_path):
    url = common_env["database_url"]
    contractor = await logged_in(system.urls["application"], accounts["a"])
    orderer = await logged_in(system.urls["platform"], accounts["kawasaki"])
    form = sample_form(date.today())
    form["contract"]["construction_name"] = "市道改良工事（訂正確認）"
    app = await issued_application(contractor, form)
    number = next(c["contract_number"] for c in app["certificates"] if c["product"] == "advance_payment")
    key = (await contractor.get(f"/contracts/{number}")).json()["auth_key"]

    async def history(labels: list[str]):
        detail = (await contractor.get(f"/contracts/{number}")).json()
        return detail if [h["label"] for h in detail["history"]] == labels else None

    await submit_change(contractor, number, contract_amount=60_000_000, guaranteed_amount=24_000_000, days=30)
    before = await eventually(lambda: history(["新規", "変更-1"]), timeout=60)
    first_arrival = {h["label"]: h["published_at"] for h in before["history"]}

    done = await staff_cli(
        url, "correct", "--contract-number", number, "--version", "1",
        "--set", "construction_name=市道改良工事（訂正済）", "--by", STAFF, "--reason", "工事名の誤記（発注者からの連絡）",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1])["revision"] == 1

    async def corrected():
        detail = await history(["新規", "変更-1"])
        return detail if detail and detail["construction_name"] == "市道改良工事（訂正済）" and detail["history"][1]["published_at"] != first_arrival["変更-1"] else None

    detail = await eventually(corrected, timeout=60)
    assert detail["version_label"] == "変更-1" and detail["auth_key"] == key
    assert detail["history"][0]["published_at"] == first_arrival["新規"]  # 新規 untouched
    assert detail["history"][1]["published_at"] > first_arrival["変更-1"]  # the corrected one arrived now
    text, _ = pdf_text((await contractor.get(f"/contracts/{number}/certificate.pdf")).content, tmp_path, "corrected.pdf")
    assert "市道改良工事（訂正済）" in text and "変更-1" in text

    async def orderer_sees(labels: list[str], name: str):
        seen = (await orderer.post("/certificates/lookup", json={"contract_number": number, "auth_key": key})).json()
        found = sorted((v["no"], v["label"]) for v in seen.get("versions", []))
        return seen if [label for _, label in found] == labels and seen["certificate"]["construction_name"] == name else None

    seen = await eventually(lambda: orderer_sees(["新規", "変更-1"], "市道改良工事（訂正済）"), timeout=30)
    assert seen["content_digest"] == detail["content_digest"]  # both sides see the same certificate

    # 変更-2, then withdrawn: both sides back at the corrected 変更-1.
    await submit_change(contractor, number, contract_amount=70_000_000, guaranteed_amount=28_000_000, days=60)
    await eventually(lambda: history(["新規", "変更-1", "変更-2"]), timeout=60)
    withdrawn = await staff_cli(
        url, "withdraw-amendment", "--contract-number", number, "--version", "2", "--by", STAFF,
        "--reason", "変更契約が締結されなかったため",
    )
    assert withdrawn.returncode == 0, withdrawn.stderr
    back = await eventually(lambda: history(["新規", "変更-1"]), timeout=60)
    assert (back["version_label"], back["guaranteed_amount"]) == ("変更-1", 24_000_000)
    await eventually(lambda: orderer_sees(["新規", "変更-1"], "市道改良工事（訂正済）"), timeout=30)
    gone = await orderer.post("/certificates/lookup", json={"contract_number": number, "auth_key": key, "version": 2})
    assert gone.status_code == 404
    assert (await contractor.get(f"/contracts/{number}/certificate.pdf", params={"version": 2})).status_code == 404

    # Kept, with who, when and why.
    listing = await staff_cli(url, "versions", "--contract-number", number)
    assert listing.returncode == 0, listing.stderr
    rows = [json.loads(line) for line in listing.stdout.splitlines() if line.startswith("{")]
    assert [(r["label"], r["revision"], r["shown"]) for r in rows] == [
        ("新規", 0, True), ("変更-1", 0, False), ("変更-1", 1, True), ("変更-2", 0, False),
    ]
    assert (rows[1]["hidden_by"], rows[1]["done_by"], rows[1]["reason"]) == ("corrected", STAFF, "工事名の誤記（発注者からの連絡）")
    assert (rows[3]["hidden_by"], rows[3]["reason"]) == ("withdrawn", "変更契約が締結されなかったため")
    assert key not in listing.stdout and key not in done.stdout + done.stderr

    # One completion email per issued version (新規, 変更-1, 変更-2); none for the correction.
    async def mails():
        mine = [m.message for m in system.mails if number in m.message.get_body(("plain",)).get_content()]
        return mine if len(mine) >= 3 else None

    assert len(await eventually(mails, timeout=30)) == 3
