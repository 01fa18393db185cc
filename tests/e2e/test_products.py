"""Issue 4 through the running pipeline: the 中間前払金 against its 前払金, a paper certificate
(no platform, no key), and a bid bond (入札ボンド) won and converted into a 契約保証."""

import re
from datetime import date, timedelta

import httpx
import pytest

from deploy.demo import intermediate_form_additions, sample_form
from tests.conftest import eventually
from tests.e2e.test_pipeline import drain, issued_application, logged_in, pdf_text

pytestmark = pytest.mark.integration


async def sent(client: httpx.AsyncClient, app_id: str, *, settle: bool = True) -> dict:
    """申込確認 with no error, 送信 acknowledging the warnings shown, then wait until every product is issued."""
    confirmed = (await client.post(f"/applications/{app_id}/confirm")).json()
    assert confirmed["ok"], confirmed["problems"]
    warnings = [p for p in confirmed["problems"] if p["severity"] == "warning"]
    response = await client.post(f"/applications/{app_id}/submit", json={"acknowledge_warnings": bool(warnings)})
    assert response.status_code == 202, response.text

    async def issued():
        app = (await client.get(f"/applications/{app_id}")).json()
        assert app["status"] != "rejected", app["rejection_reasons"]
        electronic_published = all(
            c.get("published_at") for c in app["certificates"] if c.get("certificate_format", "electronic") == "electronic"
        )
        return app if app["status"] == "issued" and (electronic_published or not settle) else None

    return await eventually(issued, timeout=60)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


async def test_intermediate_advance_payment_of_the_sample_contract(system, accounts, tmp_path):
    contractor = await logged_in(system.urls["application"], accounts["a"])
    form = sample_form(date.today())
    form["contract"]["construction_name"] = "中間前払金確認工事"
    first = await issued_application(contractor, form)
    advance_no = next(c["contract_number"] for c in first["certificates"] if c["product"] == "advance_payment")

    prefilled = await contractor.post(f"/contracts/{advance_no}/intermediate-application")
    assert prefilled.status_code == 201, prefilled.text
    draft = prefilled.json()
    assert draft["form"]["contract"]["construction_name"] == "中間前払金確認工事"
    assert draft["form"]["intermediate_advance_payment"]["advance_payment_contract_number"] == advance_no

    # 前払金 40% + 中間前払金 30% is over 60%: refused at 申込確認, naming the field.
    over = draft["form"]
    over["intermediate_advance_payment"].update(intermediate_form_additions(), guaranteed_amount=15_000_000)
    await contractor.put(f"/applications/{draft['id']}", json=over)
    confirmed = (await contractor.post(f"/applications/{draft['id']}/confirm")).json()
    assert not confirmed["ok"]
    errors = [p for p in confirmed["problems"] if p["severity"] == "error"]
    assert {p["path"] for p in errors} == {"intermediate_advance_payment.guaranteed_amount"}
    assert all("中間前払金" in p["message"] for p in errors)

    over["intermediate_advance_payment"]["guaranteed_amount"] = 10_000_000
    await contractor.put(f"/applications/{draft['id']}", json=over)
    app = await sent(contractor, draft["id"])
    (certificate,) = app["certificates"]
    number = certificate["contract_number"]
    assert certificate["product"] == "intermediate_advance_payment" and re.fullmatch(r"\d{5}-\d{5}C", number)

    detail = (await contractor.get(f"/contracts/{number}")).json()
    pdf = (await contractor.get(f"/contracts/{number}/certificate.pdf")).content
    text = flat(pdf_text(pdf, tmp_path, "intermediate.pdf")[0])
    assert "保証証書（中間前払金保証）" in text and "10,000,000円" in text and advance_no in text
    orderer = await logged_in(system.urls["platform"], accounts["kawasaki"])
    seen = await orderer.post("/certificates/lookup", json={"contract_number": number, "auth_key": detail["auth_key"]})
    assert seen.status_code == 200, seen.text
    assert seen.json()["title"] == "保証証書（中間前払金保証）"
    assert seen.json()["certificate"]["advance_payment_contract_number"] == advance_no
    assert seen.json()["content_digest"] == detail["content_digest"]
    for client in (contractor, orderer):
        await client.aclose()


async def test_paper_certificate_skips_the_platform_and_has_no_key(system, accounts, tap, tmp_path):
    tap_queue, _ = tap
    await drain(tap_queue)
    contractor = await logged_in(system.urls["application"], accounts["a"])
    form = sample_form(date.today())
    form["contract"]["construction_name"] = "紙の契約保証工事"
    form["contract_guarantee"]["certificate_format"] = "証書(紙)"
    form["information"].update(
        receipt_method="送付",
        receipt_desired_date=(date.today() + timedelta(days=5)).strftime("%Y%m%d"),
        addressee={"name": "○○建設 株式会社 総務部", "postal_code": "231-0015", "address": "神奈川県横浜市中区尾上町1-6"},
    )
    app = await sent(contractor, (await contractor.post("/applications", json=form)).json()["id"])
    by_product = {c["product"]: c for c in app["certificates"]}
    paper_no = by_product["contract_guarantee"]["contract_number"]
    advance_no = by_product["advance_payment"]["contract_number"]

    detail = (await contractor.get(f"/contracts/{paper_no}")).json()
    assert detail["certificate_format"] == "paper" and detail["auth_key"] is None
    assert (await contractor.get(f"/contracts/{paper_no}/key-notice.pdf")).status_code == 404
    pdf = (await contractor.get(f"/contracts/{paper_no}/certificate.pdf")).content
    text = flat(pdf_text(pdf, tmp_path, "paper.pdf")[0])
    assert "保証証書（契約保証）" in text and "原本" in text and "電子的な取扱" not in text

    events: list[dict] = []

    async def both_seen():
        events.extend(await drain(tap_queue))
        types = {(e["type"], e["subject"]) for e in events}
        return ("jp.esurety.certificate.paper_issued.v1", paper_no) in types and (
            "jp.esurety.certificate.published.v1",
            advance_no,
        ) in types

    await eventually(both_seen, timeout=30)
    subjects = {e["subject"] for e in events if e["type"] in ("jp.esurety.certificate.issued.v1", "jp.esurety.certificate.published.v1")}
    assert paper_no not in subjects  # never on the platform
    platform_pool = system.contexts["platform"].pool
    assert await platform_pool.fetchval("SELECT count(*) FROM certificate_versions WHERE contract_number = $1", paper_no) == 0

    async def advance_mail():
        return [m for m in system.mails if "紙の契約保証工事" in m.message.get_body(("plain",)).get_content()] or None

    mails = await eventually(advance_mail, timeout=30)
    assert all(paper_no not in m.message.get_body(("plain",)).get_content() for m in mails)
    await contractor.aclose()


def bid_bond_form(today: date, construction_name: str) -> dict:
    base = sample_form(today)
    return {
        "contract": {
            key: base["contract"][key]
            for key in ("construction_name", "orderer_code", "orderer_name", "period_start", "period_end")
        }
        | {"construction_name": construction_name},
        "bid_bond": {
            "apply": True,
            "certificate_format": "electronic",
            "bid_date": (today + timedelta(days=3)).strftime("%Y%m%d"),
            "bid_amount": 48_000_000,
            "guaranteed_amount": 4_800_000,
            "fee_payment_method": "一括納付",
            "fee_billing_to": "○○建設 株式会社",
            "fee_statement_paper": "希望しない",
        },
        "information": base["information"],
    }


async def test_bid_bond_won_converts_into_a_contract_guarantee(system, accounts):
    contractor = await logged_in(system.urls["application"], accounts["a"])
    today = date.today()
    base = sample_form(today)
    bid_form = bid_bond_form(today, "入札ボンド確認工事")
    bond_app = await sent(contractor, (await contractor.post("/applications", json=bid_form)).json()["id"])
    (bond,) = bond_app["certificates"]
    assert bond["product"] == "bid_bond" and re.fullmatch(r"\d{5}-\d{5}Y", bond["contract_number"])

    won = await contractor.post(
        f"/contracts/{bond['contract_number']}/bid-result",
        json={"won": True, "contract_amount": 48_000_000, "contract_date": today.strftime("%Y%m%d")},
    )
    assert won.status_code == 201, won.text
    converted = won.json()
    form = converted["form"]
    assert form["contract_guarantee"]["bid_bond_contract_number"] == bond["contract_number"]
    assert form["contract"]["construction_name"] == "入札ボンド確認工事"
    form["contract"].setdefault("contract_amount", 48_000_000)
    form["advance_payment"].update(
        {key: value for key, value in base["advance_payment"].items() if key != "apply"}, guaranteed_amount=19_200_000
    )
    form["contract_guarantee"].update(
        guaranteed_amount=4_800_000, fee_payment_method="一括納付", fee_billing_to="○○建設 株式会社", fee_statement_paper="希望しない"
    )
    assert (await contractor.put(f"/applications/{converted['id']}", json=form)).status_code == 200
    app = await sent(contractor, converted["id"])
    guarantee = next(c for c in app["certificates"] if c["product"] == "contract_guarantee")
    detail = (await contractor.get(f"/contracts/{guarantee['contract_number']}")).json()
    assert detail["bid_bond_contract_number"] == bond["contract_number"]
    bond_row = next(r for r in (await contractor.get("/contracts")).json() if r["contract_number"] == bond["contract_number"])
    assert bond_row["status"] == "converted"
    again = await contractor.post(f"/contracts/{bond['contract_number']}/bid-result", json={"won": False})
    assert again.status_code == 409
    await contractor.aclose()


async def test_bid_bond_lost_lapses_at_the_surety_company_too(system, accounts):
    contractor = await logged_in(system.urls["application"], accounts["a"])
    bond_app = await sent(contractor, (await contractor.post("/applications", json=bid_bond_form(date.today(), "失注確認工事"))).json()["id"])
    (bond,) = bond_app["certificates"]
    lost = await contractor.post(f"/contracts/{bond['contract_number']}/bid-result", json={"won": False})
    assert lost.status_code == 200 and lost.json()["status"] == "lapsed"
    issuance = system.contexts["issuance"].pool
    lapsed_at = await eventually(
        lambda: issuance.fetchval("SELECT lapsed_at FROM certificates WHERE contract_number = $1", bond["contract_number"]),
        timeout=30,
    )
    assert lapsed_at is not None
    await contractor.aclose()
