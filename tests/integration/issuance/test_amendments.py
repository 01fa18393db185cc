"""変更申込 through the running service: 新規, 変更-1, 変更-2 of one guarantee (same number, same key, a new
content, digest and PDFs per version, the older ones unchanged and still downloadable), and what is refused
or ignored: an outdated change, another company's number, a redelivery, the same application again, two
changes at once; and a paper guarantee's change on paper."""

import asyncio
import uuid
from datetime import date, datetime

import httpx
import pytest

from services.issuance.handlers.issue_certificates import handle_application_submitted
from shared.events import (
    AmendmentKind,
    CertificateIssued,
    PaperCertificateIssued,
    content_digest,
)
from shared.japanese import JST
from tests.conftest import eventually
from tests.integration.issuance.conftest import INTERNAL_TOKEN, rendered
from tests.integration.issuance.test_issue_flow import pdf_text
from tests.integration.issuance.test_products_flow import lapsed_event
from tests.unit.issuance.factories import (
    COMPANY_ID,
    PAPER_DELIVERY,
    advance,
    amending,
    application,
    bid_bond,
    bid_bond_application,
    paper,
    submitted,
)

pytestmark = pytest.mark.integration

AUTH = {"Authorization": f"Bearer {INTERNAL_TOKEN}", "X-Company-Id": str(COMPANY_ID)}
DOCUMENTS = {"certificate.pdf": "certificate_pdf", "key-notice.pdf": "key_notice_pdf"}


def unique_construction() -> str:
    return f"道路改良（{uuid.uuid4().hex[:6]}）工事"


async def issue(emitted, publish, data) -> dict:
    """Publish an application of one electronic product; its CertificateIssued, once its PDFs are stored."""
    await publish(submitted(data))
    [issued] = await eventually(lambda: emitted.issued(data.application_id))
    await rendered(emitted.pool, issued["data"]["contract_number"])
    return issued


async def rejection(emitted, publish, data) -> list[dict]:
    await publish(submitted(data))
    [rejected] = await eventually(lambda: emitted.rejected(data.application_id))
    return rejected["data"]["reasons"]


async def versions(pool, number: str) -> list:
    return await pool.fetch("SELECT * FROM certificate_versions WHERE contract_number = $1 ORDER BY version", number)


@pytest.fixture
async def client(issuance):
    transport = httpx.ASGITransport(app=issuance.http_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://issuance") as c:
        yield c


async def test_new_then_change_1_then_change_2(issuance, emitted, publish, client):
    name = unique_construction()
    pool = issuance.pool
    new = await issue(emitted, publish, application(construction_name=name, products=[advance()]))
    number, key_hash = new["data"]["contract_number"], new["data"]["auth_key_hash"]
    key = await pool.fetchval("SELECT auth_key FROM certificates WHERE contract_number = $1", number)
    [v0] = await versions(pool, number)
    assert (v0["version"], v0["content_digest"]) == (0, new["data"]["content_digest"])

    # 変更-1: the 保証金額 increased (20,000,000 → 22,000,000 円).
    first = amending(application(construction_name=name, products=[advance(guaranteed_amount=22_000_000)]), number, 0)
    one = CertificateIssued.model_validate(await issue(emitted, publish, first))
    assert (one.subject, one.data.contract_number, one.data.version, one.data.version_label) == (number, number, 1, "変更-1")
    assert one.data.auth_key_hash == key_hash  # the same key, the same hash: never a new one
    assert one.data.application_id == first.application_id and one.data.contractor_company_id == COMPANY_ID
    assert one.data.certificate.version == 1 and one.data.certificate.guaranteed_amount == 22_000_000
    assert one.data.certificate.certificate_date == datetime.now(JST).date()
    assert one.data.content_digest == content_digest(one.data.certificate) != v0["content_digest"]

    # 変更-2 from 変更-1: 工期 (and so 保証期限) extended.
    second = amending(
        application(construction_name=name, products=[advance(guaranteed_amount=22_000_000)], period_end=date(2027, 6, 30)),
        number, 1, kinds=[AmendmentKind.EXPIRY_CHANGE],
    )
    two = CertificateIssued.model_validate(await issue(emitted, publish, second))
    assert (two.data.version, two.data.version_label, two.data.auth_key_hash) == (2, "変更-2", key_hash)
    assert two.data.certificate.guarantee_expiry == date(2027, 6, 30)

    rows = await versions(pool, number)
    assert [r["version"] for r in rows] == [0, 1, 2]
    assert str(v0["application_id"]) == new["data"]["application_id"]
    assert [r["application_id"] for r in rows] == [v0["application_id"], first.application_id, second.application_id]
    assert [r["content_digest"] for r in rows] == [v0["content_digest"], one.data.content_digest, two.data.content_digest]
    assert (rows[0]["certificate_pdf"], rows[0]["key_notice_pdf"]) == (v0["certificate_pdf"], v0["key_notice_pdf"])
    guarantee = await pool.fetchrow("SELECT * FROM certificates WHERE contract_number = $1", number)
    assert guarantee["auth_key"] == key and guarantee["auth_key_hash"] == key_hash
    assert (guarantee["version"], guarantee["content_digest"]) == (2, two.data.content_digest)
    assert guarantee["certificate_pdf"] == rows[2]["certificate_pdf"]
    assert guarantee["application_id"] == v0["application_id"]  # the guarantee's 新規 application
    assert await pool.fetchval("SELECT count(*) FROM certificates WHERE contract_number = $1", number) == 1

    # What each version's PDFs say.
    texts = [(pdf_text(r["certificate_pdf"]), pdf_text(r["key_notice_pdf"])) for r in rows]
    assert "変更-" not in texts[0][0] and "20,000,000円" in texts[0][0]
    assert "保証証書（前払金保証）変更-1" in texts[1][0] and "22,000,000円" in texts[1][0]
    assert "保証証書（前払金保証）変更-2" in texts[2][0] and "令和09年06月30日" in texts[2][0]
    assert "変更" not in texts[0][1]
    for label, (_, notice) in zip(("変更-1", "変更-2"), texts[1:]):
        assert number in notice and key in notice
        assert f"保証契約の変更（{label}）" in notice and f"対象：{label}" in notice
        assert "認証キーは変わりません" in notice

    # Every version's two documents through the internal API; without ?version, the latest.
    for row in rows:
        for document, column in DOCUMENTS.items():
            r = await client.get(f"/internal/certificates/{number}/documents/{document}?version={row['version']}", headers=AUTH)
            assert r.status_code == 200 and r.headers["content-type"] == "application/pdf", (row["version"], document)
            assert r.content == bytes(row[column])
            assert r.headers["content-disposition"] == f'inline; filename="{number}-v{row["version"]}-{document}"'
    for document, column in DOCUMENTS.items():
        latest = await client.get(f"/internal/certificates/{number}/documents/{document}", headers=AUTH)
        assert latest.content == bytes(rows[2][column])
        assert (await client.get(f"/internal/certificates/{number}/documents/{document}?version=3", headers=AUTH)).status_code == 404
        foreign = await client.get(
            f"/internal/certificates/{number}/documents/{document}?version=1", headers={**AUTH, "X-Company-Id": str(uuid.uuid4())}
        )
        assert foreign.status_code == 404 and foreign.json() == {"detail": "保証契約が見つかりません。"}
        assert (await client.get(f"/internal/certificates/{number}/documents/{document}?version=-1", headers=AUTH)).status_code == 422
    r = await client.get(f"/internal/certificates/{number}/auth-key", headers=AUTH)
    assert r.json() == {"contract_number": number, "auth_key": key}


async def test_a_change_prepared_from_an_older_version_is_rejected(issuance, emitted, publish):
    name = unique_construction()
    number = (await issue(emitted, publish, application(construction_name=name, products=[advance()])))["data"]["contract_number"]
    await issue(
        emitted, publish, amending(application(construction_name=name, products=[advance(guaranteed_amount=22_000_000)]), number, 0)
    )
    late = amending(application(construction_name=name, products=[advance(guaranteed_amount=18_000_000)]), number, 0)
    assert await rejection(emitted, publish, late) == [{
        "field": "amendment.base_version",
        "rule": "amendment_outdated",
        "message": "この保証契約には、変更申込の作成後に変更-1が発行されています。最新の内容から変更申込を作り直してください。",
    }]
    assert [r["version"] for r in await versions(issuance.pool, number)] == [0, 1]
    assert await issuance.pool.fetchval("SELECT version FROM certificates WHERE contract_number = $1", number) == 1


async def test_another_company_s_number_reads_like_an_unknown_one(issuance, emitted, publish):
    number = (await issue(emitted, publish, application(products=[advance()])))["data"]["contract_number"]
    other = amending(application(company_id=uuid.uuid4(), products=[advance(guaranteed_amount=22_000_000)]), number, 0)
    unknown = amending(application(products=[advance(guaranteed_amount=22_000_000)]), "35099-99999M", 0)
    foreign, missing = await rejection(emitted, publish, other), await rejection(emitted, publish, unknown)
    assert foreign == [{
        "field": "amendment.contract_number",
        "rule": "amendment_not_found",
        "message": f"変更する保証契約の保証契約番号（amendment.contract_number）「{number}」の保証契約が見つかりません。",
    }]
    assert missing[0]["message"] == foreign[0]["message"].replace(number, "35099-99999M")
    assert [r["version"] for r in await versions(issuance.pool, number)] == [0]


async def test_a_change_of_another_product_or_of_a_lapsed_bond_is_rejected(issuance, emitted, publish):
    number = (await issue(emitted, publish, application(products=[advance()])))["data"]["contract_number"]
    bond_app = bid_bond_application(construction_name=unique_construction())
    bond = (await issue(emitted, publish, bond_app))["data"]["contract_number"]
    wrong_product = amending(bid_bond_application(products=[bid_bond()]), number, 0)
    assert [(r["field"], r["rule"]) for r in await rejection(emitted, publish, wrong_product)] == [
        ("amendment.contract_number", "amendment_other_product")
    ]
    await publish(lapsed_event(bond))  # the bid was lost
    await eventually(lambda: issuance.pool.fetchval("SELECT lapsed_at FROM certificates WHERE contract_number = $1", bond))
    lapsed = amending(bid_bond_application(products=[bid_bond(guaranteed_amount=5_000_000)]), bond, 0)
    assert [(r["field"], r["rule"]) for r in await rejection(emitted, publish, lapsed)] == [
        ("amendment.contract_number", "amendment_bid_bond_lapsed")
    ]


async def test_a_redelivery_and_the_same_application_again_do_nothing(issuance, emitted, publish, handled):
    name = unique_construction()
    number = (await issue(emitted, publish, application(construction_name=name, products=[advance()])))["data"]["contract_number"]
    change = amending(application(construction_name=name, products=[advance(guaranteed_amount=22_000_000)]), number, 0)
    event = submitted(change)
    await publish(event)
    await eventually(lambda: emitted.issued(change.application_id))
    await publish(event)  # the same event id again
    await eventually(lambda: handled.calls[event.id] == 2)
    again = submitted(change)  # the same application under a new event id
    await publish(again)
    await eventually(lambda: handled.calls[again.id] == 1)
    assert handled.failures[event.id] == handled.failures[again.id] == 0
    assert [r["version"] for r in await versions(issuance.pool, number)] == [0, 1]
    assert len(emitted.issued(change.application_id)) == 1 and emitted.rejected(change.application_id) == []


async def test_two_changes_at_once_cannot_both_become_the_same_version(issuance):
    """Handled concurrently: the guarantee's row lock makes the second wait, then find itself outdated; the
    same application twice at once is one version and no rejection."""
    pool = issuance.pool
    name = unique_construction()
    new = application(construction_name=name, products=[advance()])
    await handle_application_submitted(pool, submitted(new))
    number = await pool.fetchval("SELECT contract_number FROM certificates WHERE application_id = $1", new.application_id)

    rivals = [
        amending(application(construction_name=name, products=[advance(guaranteed_amount=amount)]), number, 0)
        for amount in (22_000_000, 24_000_000)
    ]
    await asyncio.gather(*(handle_application_submitted(pool, submitted(r)) for r in rivals))
    rows = await versions(pool, number)
    assert [r["version"] for r in rows] == [0, 1]
    winner = rows[1]["application_id"]
    [loser] = [r.application_id for r in rivals if r.application_id != winner]
    reasons = await pool.fetchval("SELECT reasons FROM rejections WHERE application_id = $1", loser)
    assert [r["rule"] for r in reasons] == ["amendment_outdated"]

    twice = amending(application(construction_name=name, products=[advance(guaranteed_amount=26_000_000)]), number, 1)
    await asyncio.gather(*(handle_application_submitted(pool, submitted(twice)) for _ in range(2)))
    assert [r["version"] for r in await versions(pool, number)] == [0, 1, 2]
    assert await pool.fetchval("SELECT count(*) FROM rejections WHERE application_id = $1", twice.application_id) == 0


async def test_a_paper_guarantee_changes_on_paper(issuance, emitted, publish, client):
    name = unique_construction()
    data = application(construction_name=name, products=[paper(advance())], paper_delivery=PAPER_DELIVERY)
    await publish(submitted(data))
    [new] = await eventually(lambda: emitted.paper(data.application_id))
    number = new["data"]["contract_number"]

    electronic = amending(application(construction_name=name, products=[advance(guaranteed_amount=22_000_000)]), number, 0)
    assert [(r["field"], r["rule"]) for r in await rejection(emitted, publish, electronic)] == [
        ("products[0].certificate_format", "amendment_format_fixed")
    ]

    change = amending(
        application(construction_name=name, products=[paper(advance(guaranteed_amount=22_000_000))], paper_delivery=PAPER_DELIVERY),
        number, 0,
    )
    await publish(submitted(change))
    [raw] = await eventually(lambda: emitted.paper(change.application_id))
    cloud = PaperCertificateIssued.model_validate(raw)
    assert (cloud.data.contract_number, cloud.data.version, cloud.data.version_label) == (number, 1, "変更-1")
    assert cloud.data.certificate.electronic is False and cloud.data.delivery == PAPER_DELIVERY
    assert "auth_key_hash" not in raw["data"] and emitted.issued(change.application_id) == []

    await rendered(issuance.pool, number)
    rows = await versions(issuance.pool, number)
    assert [(r["version"], r["key_notice_pdf"]) for r in rows] == [(0, None), (1, None)]
    guarantee = await issuance.pool.fetchrow("SELECT * FROM certificates WHERE contract_number = $1", number)
    assert (guarantee["version"], guarantee["auth_key"], guarantee["certificate_format"]) == (1, None, "paper")
    text = pdf_text(rows[1]["certificate_pdf"])
    assert "保証証書（原本）" in text and "保証証書（前払金保証）変更-1" in text and "22,000,000円" in text
    for version in (0, 1):
        r = await client.get(f"/internal/certificates/{number}/documents/certificate.pdf?version={version}", headers=AUTH)
        assert r.status_code == 200 and r.content == bytes(rows[version]["certificate_pdf"])
        r = await client.get(f"/internal/certificates/{number}/documents/key-notice.pdf?version={version}", headers=AUTH)
        assert r.status_code == 404
