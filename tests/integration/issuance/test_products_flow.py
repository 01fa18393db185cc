"""Every product through the running service: 中間前払金 against its 前払金, the bid bond and the 契約保証
converting it, and paper certificates (PaperCertificateIssued, no key)."""

import json
import re
import uuid
from datetime import datetime, timezone

import pytest

from shared.bus.topology import find_consumer
from shared.events import BidBondLapsed, BidBondLapsedV1, CertificateContent, PaperCertificateIssued, content_digest
from tests.conftest import eventually
from tests.integration.issuance.conftest import rendered
from tests.integration.issuance.test_issue_flow import pdf_text
from tests.unit.issuance.factories import (
    COMPANY_ID,
    PAPER_DELIVERY,
    advance,
    application,
    bid_bond,
    bid_bond_application,
    contract_guarantee,
    intermediate,
    paper,
    submitted,
)

pytestmark = pytest.mark.integration

NUMBER = re.compile(r"^\d{5}-\d{5}([MCKY])$")


def unique_construction() -> str:
    """Each test its own 工事名: links are judged per company + orderer + 工事."""
    return f"河川維持（{uuid.uuid4().hex[:6]}）工事"


async def issue(emitted, publish, data) -> dict[str, str]:
    """Publish and wait for the certificates: product → 保証契約番号."""
    await publish(submitted(data))
    issued = await eventually(lambda: len(emitted.issued(data.application_id)) == len(data.products) and emitted.issued(data.application_id))
    for e in issued:
        await rendered(emitted.pool, e["data"]["contract_number"])
    return {e["data"]["product"]: e["data"]["contract_number"] for e in issued}


async def rejected_rules(emitted, publish, data) -> list[tuple[str, str]]:
    await publish(submitted(data))
    rejected = await eventually(lambda: emitted.rejected(data.application_id))
    return [(r["field"], r["rule"]) for r in rejected[0]["data"]["reasons"]]


async def test_intermediate_advance_payment_against_its_advance_payment(issuance, emitted, publish):
    name = unique_construction()
    parent = (await issue(emitted, publish, application(construction_name=name, products=[advance()])))["advance_payment"]

    first = application(construction_name=name, products=[intermediate(advance_payment_contract_number=parent)])
    number = (await issue(emitted, publish, first))["intermediate_advance_payment"]
    assert NUMBER.match(number).group(1) == "C"
    row = await issuance.pool.fetchrow("SELECT * FROM certificates WHERE contract_number = $1", number)
    assert row["advance_payment_contract_number"] == parent
    content = CertificateContent.model_validate(row["content"])
    assert content.advance_payment_contract_number == parent
    assert content.title == "保証証書（中間前払金保証）"
    text = pdf_text(row["certificate_pdf"])
    assert "保証証書（中間前払金保証）" in text and parent in text and "10,000,000円" in text
    assert "中間前払金請求手続（中間前払金保証）" in pdf_text(row["key_notice_pdf"])

    second = application(construction_name=name, products=[intermediate(advance_payment_contract_number=parent)])
    assert await rejected_rules(emitted, publish, second) == [
        ("products[0].advance_payment_contract_number", "intermediate_already_issued")
    ]


async def test_intermediate_over_sixty_percent_is_rejected(issuance, emitted, publish):
    name = unique_construction()
    parent = (await issue(emitted, publish, application(construction_name=name, products=[advance()])))["advance_payment"]
    over = application(
        construction_name=name, products=[intermediate(advance_payment_contract_number=parent, guaranteed_amount=10_010_000)]
    )
    assert await rejected_rules(emitted, publish, over) == [
        ("products[0].guaranteed_amount", "intermediate_advance_ceiling"),
        ("products[0].guaranteed_amount", "advances_ceiling"),
    ]
    assert await issuance.pool.fetchval("SELECT count(*) FROM certificates WHERE application_id = $1", over.application_id) == 0


async def test_intermediate_of_another_company_reads_as_unknown(issuance, emitted, publish):
    name = unique_construction()
    parent = (await issue(emitted, publish, application(construction_name=name, products=[advance()])))["advance_payment"]
    foreign = application(
        construction_name=name, company_id=uuid.uuid4(), products=[intermediate(advance_payment_contract_number=parent)]
    )
    assert await rejected_rules(emitted, publish, foreign) == [
        ("products[0].advance_payment_contract_number", "advance_payment_not_found")
    ]


async def test_bid_bond_then_its_conversion_into_a_contract_guarantee(issuance, emitted, publish):
    name = unique_construction()
    bond_app = bid_bond_application(construction_name=name)
    bond = (await issue(emitted, publish, bond_app))["bid_bond"]
    assert NUMBER.match(bond).group(1) == "Y"
    row = await issuance.pool.fetchrow("SELECT * FROM certificates WHERE contract_number = $1", bond)
    content = CertificateContent.model_validate(row["content"])
    assert (content.contract_amount, content.contract_date, content.bid_amount) == (None, None, 48_000_000)
    text = pdf_text(row["certificate_pdf"])
    assert "保証証書（契約保証予約）" in text and "入札金額" in text and "48,000,000円" in text and "請負契約日" not in text
    assert "入札手続（契約保証予約）" in pdf_text(row["key_notice_pdf"])

    won = application(construction_name=name, products=[advance(), contract_guarantee(bid_bond_contract_number=bond)])
    numbers = await issue(emitted, publish, won)
    guarantee = numbers["contract_guarantee"]
    assert NUMBER.match(guarantee).group(1) == "K"
    bond_row = await issuance.pool.fetchrow(
        "SELECT converted_to, converted_by_application_id FROM certificates WHERE contract_number = $1", bond
    )
    assert (bond_row["converted_to"], bond_row["converted_by_application_id"]) == (guarantee, won.application_id)
    guarantee_row = await issuance.pool.fetchrow("SELECT * FROM certificates WHERE contract_number = $1", guarantee)
    assert guarantee_row["bid_bond_contract_number"] == bond
    assert bond in pdf_text(guarantee_row["certificate_pdf"])
    issued = next(e for e in emitted.issued(won.application_id) if e["data"]["product"] == "contract_guarantee")
    assert issued["data"]["certificate"]["bid_bond_contract_number"] == bond

    again = application(construction_name=name, products=[advance(), contract_guarantee(bid_bond_contract_number=bond)])
    assert await rejected_rules(emitted, publish, again) == [
        ("products[1].bid_bond_contract_number", "bid_bond_already_converted")
    ]


async def test_paper_products_get_no_key_and_no_platform(issuance, emitted, publish):
    data = application(products=[paper(advance()), paper(contract_guarantee())], paper_delivery=PAPER_DELIVERY)
    event = submitted(data, correlation_id="corr-" + uuid.uuid4().hex)
    await publish(event)
    papers = await eventually(lambda: len(emitted.paper(data.application_id)) == 2 and emitted.paper(data.application_id))
    assert emitted.issued(data.application_id) == []

    outbox = await issuance.pool.fetch("SELECT routing_key, body FROM outbox WHERE correlation_id = $1", event.correlationid)
    assert sorted(r["routing_key"] for r in outbox) == ["jp.esurety.certificate.paper_issued.v1"] * 2

    for raw in papers:
        cloud = PaperCertificateIssued.model_validate(raw)
        number = cloud.data.contract_number
        assert cloud.data.delivery == PAPER_DELIVERY
        assert cloud.data.contractor_company_id == COMPANY_ID
        assert cloud.data.certificate.electronic is False
        assert cloud.data.content_digest == content_digest(cloud.data.certificate)
        assert "auth_key_hash" not in raw["data"]
        await rendered(issuance.pool, number)  # the original, rendered after the event like every PDF
        row = await issuance.pool.fetchrow("SELECT * FROM certificates WHERE contract_number = $1", number)
        assert row["certificate_format"] == "paper"
        assert (row["auth_key"], row["auth_key_hash"], row["key_notice_pdf"]) == (None, None, None)
        text = pdf_text(row["certificate_pdf"])
        assert "保証証書（原本）" in text and number in text
        assert "電子的な取扱となります" not in text
    body = json.loads(outbox[0]["body"])
    assert body["data"]["delivery"]["addressee"]["postal_code"] == "231-0001"


async def test_paper_and_electronic_in_one_application(issuance, emitted, publish):
    data = application(products=[advance(), paper(contract_guarantee())], paper_delivery=PAPER_DELIVERY)
    await publish(submitted(data))
    electronic = await eventually(lambda: emitted.issued(data.application_id))
    on_paper = await eventually(lambda: emitted.paper(data.application_id))
    assert [e["data"]["product"] for e in electronic] == ["advance_payment"]
    assert [e["data"]["product"] for e in on_paper] == ["contract_guarantee"]


async def test_amount_off_the_orderers_rounding_unit_is_rejected(issuance, emitted, publish):
    data = application(products=[advance(guaranteed_amount=20_005_000)])  # 川崎市: ¥10,000 (ours)
    assert await rejected_rules(emitted, publish, data) == [("products[0].guaranteed_amount", "rounding_unit")]


async def test_bid_bond_alone_needs_its_bid(issuance, emitted, publish):
    data = bid_bond_application(products=[bid_bond(bid_amount=None)])
    assert await rejected_rules(emitted, publish, data) == [("products[0].bid_amount", "bid_amount_required")]


def lapsed_event(number: str, company_id=COMPANY_ID) -> BidBondLapsed:
    data = BidBondLapsedV1(contract_number=number, contractor_company_id=company_id, lapsed_at=datetime.now(timezone.utc))
    return BidBondLapsed.wrap(data, source="/esurety/application", subject=number, correlation_id=str(uuid.uuid4()))


async def test_a_lost_bid_lapses_the_bond_and_it_cannot_convert(issuance, emitted, publish, amqp, issuance_settings):
    name = unique_construction()
    bond = (await issue(emitted, publish, bid_bond_application(construction_name=name)))["bid_bond"]
    lapse = lapsed_event(bond)
    await publish(lapse)
    await publish(lapse)  # a re-sent report changes nothing
    lapsed_at = await eventually(
        lambda: issuance.pool.fetchval("SELECT lapsed_at FROM certificates WHERE contract_number = $1", bond)
    )
    assert lapsed_at == lapse.data.lapsed_at

    late = application(construction_name=name, products=[advance(), contract_guarantee(bid_bond_contract_number=bond)])
    assert await rejected_rules(emitted, publish, late) == [("products[1].bid_bond_contract_number", "bid_bond_lapsed")]

    # A lapse nobody can act on (not this company's bond) goes to the dead-letter queue.
    foreign = lapsed_event(bond, company_id=uuid.uuid4())
    await publish(foreign)
    channel = await amqp.channel()
    queue_name = find_consumer("issuance", BidBondLapsedV1.event_type).queue_name(issuance_settings)
    dlq = await channel.get_queue(f"{queue_name}.dlq")
    dead = await eventually(lambda: dlq.get(fail=False))
    await dead.ack()
    assert BidBondLapsed.model_validate_json(dead.body).id == foreign.id
    assert "cannot lapse: unknown" in dead.headers["x-dead-letter-reason"]
