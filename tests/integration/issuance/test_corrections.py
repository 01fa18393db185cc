"""訂正 and 変更取消 by surety staff, against the running issuance service: the corrected revision (same
number, version and key; new content, digest and PDFs), kept with who/when/why beside the revision it
replaced; a withdrawal that shows the version before again and never reuses the number; the events on
the bus; and each refusal with its Japanese reason."""

import asyncio
import json
import os
import subprocess
import sys
import uuid
from datetime import datetime, timezone

import aio_pika
import httpx
import pytest

from services.issuance.domain.corrections import CorrectionRefused, parse_changes
from services.issuance.handlers import corrections
from shared.documents import DocumentRenderer
from shared.events import AmendmentWithdrawn, AmendmentWithdrawnV1, CertificateCorrected, CertificateCorrectedV1, content_digest
from tests.conftest import eventually
from tests.integration.issuance.conftest import INTERNAL_TOKEN, rendered
from tests.integration.issuance.test_amendments import issue, unique_construction
from tests.integration.issuance.test_issue_flow import pdf_text
from tests.unit.issuance.factories import COMPANY_ID, PAPER_DELIVERY, advance, amending, application, paper, submitted

pytestmark = pytest.mark.integration

AUTH = {"Authorization": f"Bearer {INTERNAL_TOKEN}", "X-Company-Id": str(COMPANY_ID)}
STAFF = "業務部 佐藤"


@pytest.fixture(scope="module")
async def fixes(amqp, issuance_settings) -> list[dict]:
    """Every 訂正 / 変更取消 event on the public exchange, as an external subscriber binds them."""
    found: list[dict] = []
    channel = await amqp.channel()
    exchange = await channel.get_exchange(f"{issuance_settings.bus_namespace}.events")
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    for routing_key in (CertificateCorrectedV1.event_type, AmendmentWithdrawnV1.event_type):
        await queue.bind(exchange, routing_key=routing_key)

    async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        async with message.process():
            found.append(json.loads(message.body))

    await queue.consume(collect)
    return found


@pytest.fixture(scope="module")
async def renderer():
    r = DocumentRenderer(processes=1)
    yield r
    await r.close()


@pytest.fixture
async def client(issuance):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=issuance.http_app), base_url="http://issuance") as c:
        yield c


async def _guarantee_with_change(emitted, publish) -> tuple[str, str]:
    name = unique_construction()
    number = (await issue(emitted, publish, application(construction_name=name, products=[advance()])))["data"]["contract_number"]
    await issue(emitted, publish, amending(application(construction_name=name, products=[advance(guaranteed_amount=22_000_000)]), number, 0))
    return number, name


def _now() -> datetime:
    return datetime.now(timezone.utc)


async def test_a_correction_of_change_1_is_a_new_revision_and_the_replaced_one_is_kept(
    issuance, emitted, publish, fixes, renderer, client
):
    pool = issuance.pool
    number, name = await _guarantee_with_change(emitted, publish)
    before = await pool.fetchrow("SELECT * FROM certificate_versions WHERE contract_number = $1 AND version = 1", number)
    key = await pool.fetchval("SELECT auth_key FROM certificates WHERE contract_number = $1", number)

    done = await corrections.correct_version(
        pool, contract_number=number, version=1,
        changes=parse_changes([f"construction_name={name}（訂正）", "depository=川崎信用金庫 本店"]),
        by=STAFF, reason="工事名の誤記（発注者からの連絡）", now=_now(),
    )
    assert (done.version, done.version_label, done.revision) == (1, "変更-1", 1)
    await rendered(pool, number)

    rows = await pool.fetch("SELECT * FROM certificate_versions WHERE contract_number = $1 ORDER BY version, revision", number)
    assert [(r["version"], r["revision"]) for r in rows] == [(0, 0), (1, 0), (1, 1)]
    old, new = rows[1], rows[2]
    assert (old["content_digest"], old["certificate_pdf"]) == (before["content_digest"], before["certificate_pdf"])  # untouched
    assert new["content"]["construction_name"] == f"{name}（訂正）" and new["content"]["version"] == 1
    assert new["content"]["certificate_date"] == old["content"]["certificate_date"]  # not re-dated
    assert new["content_digest"] == done.content_digest != old["content_digest"]
    assert new["application_id"] == old["application_id"]
    [change] = await pool.fetch("SELECT * FROM version_changes WHERE contract_number = $1", number)
    assert (change["version"], change["revision"], change["action"], change["new_revision"]) == (1, 0, "corrected", 1)
    assert (change["done_by"], change["reason"]) == (STAFF, "工事名の誤記（発注者からの連絡）") and change["done_at"]

    guarantee = await pool.fetchrow("SELECT * FROM certificates WHERE contract_number = $1", number)
    assert (guarantee["version"], guarantee["revision"], guarantee["content_digest"]) == (1, 1, done.content_digest)
    assert guarantee["auth_key"] == key  # the orderer keeps using the key it was given

    # The documents of 変更-1 are now the corrected ones; the PDF says 変更-1 and the corrected 工事名.
    r = await client.get(f"/internal/certificates/{number}/documents/certificate.pdf?version=1", headers=AUTH)
    assert r.content == bytes(new["certificate_pdf"])
    text = pdf_text(r.content)
    assert "保証証書（前払金保証）変更-1" in text and "（訂正）" in text and "川崎信用金庫" in text
    notice = pdf_text((await client.get(f"/internal/certificates/{number}/documents/key-notice.pdf", headers=AUTH)).content)
    assert key in notice and "変更-1" in notice

    [event] = await eventually(lambda: [e for e in fixes if e["id"] == done.event_id])
    corrected = CertificateCorrected.model_validate(event)
    assert (corrected.type, corrected.subject) == (CertificateCorrectedV1.event_type, number)
    d = corrected.data
    assert (d.version, d.revision, d.replaces_revision, d.replaces_digest) == (1, 1, 0, old["content_digest"])
    assert d.content_digest == content_digest(d.certificate) == done.content_digest
    assert d.auth_key_hash == guarantee["auth_key_hash"] and d.contractor_company_id == COMPANY_ID
    assert STAFF not in json.dumps(event, ensure_ascii=False) and key not in json.dumps(event)

    # A second correction of the same version replaces the first correction.
    again = await corrections.correct_version(
        pool, contract_number=number, version=1, changes=parse_changes(["guaranteed_amount=21,000,000"]),
        by=STAFF, reason="保証金額の誤り", now=_now(),
    )
    assert again.revision == 2
    shown = await pool.fetch(
        "SELECT version, revision FROM certificate_versions v WHERE contract_number = $1 AND NOT EXISTS"
        " (SELECT 1 FROM version_changes x WHERE x.contract_number = v.contract_number AND x.version = v.version"
        "  AND x.revision = v.revision) ORDER BY version",
        number,
    )
    assert [(r["version"], r["revision"]) for r in shown] == [(0, 0), (1, 2)]

    # A later change is prepared from 変更-1 and is 変更-2, from the corrected content.
    two = await issue(
        emitted, publish,
        amending(application(construction_name=f"{name}（訂正）", products=[advance(guaranteed_amount=23_000_000)]), number, 1),
    )
    assert two["data"]["version"] == 2


async def test_correcting_新規_under_a_later_change_leaves_the_guarantee_at_its_latest(issuance, emitted, publish, renderer):
    pool = issuance.pool
    number, name = await _guarantee_with_change(emitted, publish)
    latest = await pool.fetchrow("SELECT version, revision, content_digest FROM certificates WHERE contract_number = $1", number)
    done = await corrections.correct_version(
        pool, contract_number=number, version=0, changes=parse_changes([f"construction_name={name}（訂正）"]),
        by=STAFF, reason="工事名の誤記", now=_now(),
    )
    assert (done.version_label, done.revision) == ("新規", 1)
    assert await pool.fetchrow("SELECT version, revision, content_digest FROM certificates WHERE contract_number = $1", number) == latest


async def test_withdrawing_the_latest_change_shows_the_version_before_and_its_number_is_never_reused(
    issuance, emitted, publish, fixes, client
):
    pool = issuance.pool
    number, name = await _guarantee_with_change(emitted, publish)
    one = await pool.fetchrow("SELECT content_digest, certificate_pdf FROM certificate_versions WHERE contract_number = $1 AND version = 1", number)
    await issue(
        emitted, publish,
        amending(application(construction_name=name, products=[advance(guaranteed_amount=24_000_000)]), number, 1),
    )
    done = await corrections.withdraw_amendment(
        pool, contract_number=number, version=2, by=STAFF, reason="変更契約が締結されなかったため", now=_now()
    )
    assert (done.version, done.version_label) == (2, "変更-2")
    guarantee = await pool.fetchrow("SELECT * FROM certificates WHERE contract_number = $1", number)
    assert (guarantee["version"], guarantee["content_digest"]) == (1, one["content_digest"])
    assert bytes(guarantee["certificate_pdf"]) == bytes(one["certificate_pdf"])
    # Kept, not removed: 変更-2's row and who/why.
    assert await pool.fetchval("SELECT count(*) FROM certificate_versions WHERE contract_number = $1 AND version = 2", number) == 1
    change = await pool.fetchrow("SELECT * FROM version_changes WHERE contract_number = $1", number)
    assert (change["action"], change["version"], change["done_by"], change["new_revision"]) == ("withdrawn", 2, STAFF, None)
    # Its documents are no longer served; the latest is 変更-1's again.
    assert (await client.get(f"/internal/certificates/{number}/documents/certificate.pdf?version=2", headers=AUTH)).status_code == 404
    latest = await client.get(f"/internal/certificates/{number}/documents/certificate.pdf", headers=AUTH)
    assert latest.content == bytes(one["certificate_pdf"])

    [event] = await eventually(lambda: [e for e in fixes if e["id"] == done.event_id])
    withdrawn = AmendmentWithdrawn.model_validate(event).data
    assert (withdrawn.version, withdrawn.current_version, withdrawn.reason) == (2, 1, "変更契約が締結されなかったため")

    # The next change is prepared from 変更-1 (the one in force) and takes a new number: 変更-3.
    three = await issue(
        emitted, publish,
        amending(application(construction_name=name, products=[advance(guaranteed_amount=25_000_000)]), number, 1),
    )
    assert (three["data"]["version"], three["data"]["version_label"]) == (3, "変更-3")

    # The internal record of every revision, hidden ones with who/when/why (the staff CLI).
    assert await pool.fetchval("SELECT version FROM certificates WHERE contract_number = $1", number) == 3


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (0, "新規は変更取消できません（保証をやめるときは解約の手続きです）"),
        (1, "の変更取消ができるのは最新の変更だけです（最新は変更-2、指定は変更-1）"),
        (7, "の変更取消ができるのは最新の変更だけです（最新は変更-2、指定は変更-7）"),
    ],
)
async def test_only_the_latest_change_can_be_withdrawn(issuance, emitted, publish, version, message):
    number, name = await _guarantee_with_change(emitted, publish)
    await issue(emitted, publish, amending(application(construction_name=name, products=[advance(guaranteed_amount=23_000_000)]), number, 1))
    with pytest.raises(CorrectionRefused, match=message.replace("（", r"（").replace("(", r"\(")):
        await corrections.withdraw_amendment(issuance.pool, contract_number=number, version=version, by=STAFF, reason="誤り", now=_now())
    assert await issuance.pool.fetchval("SELECT count(*) FROM version_changes WHERE contract_number = $1", number) == 0


async def test_refusals_store_nothing(issuance, emitted, publish, renderer):
    pool = issuance.pool
    number, name = await _guarantee_with_change(emitted, publish)

    async def refused(version=1, changes=("construction_name=別の工事",), by=STAFF, reason="誤記") -> str:
        with pytest.raises(CorrectionRefused) as raised:
            await corrections.correct_version(
                pool, contract_number=number, version=version, changes=parse_changes(list(changes)),
                by=by, reason=reason, now=_now(),
            )
        return str(raised.value)

    assert await refused(version=5) == f"{number} に表示中の変更-5はありません（取り消された変更は訂正できません）"
    assert await refused(changes=(f"construction_name={name}",)) == "訂正後の内容が現在の内容と同じです（訂正する値を確かめてください）"
    assert await refused(changes=("period_start=2030-01-01",)) == "工期（自）は工期（至）以前の日付にしてください"
    assert await refused(reason="  ") == "理由を入力してください"
    assert await refused(by="佐藤\u202e") == "担当者名に使えない文字が含まれています: 書式制御文字（U+202E）"
    with pytest.raises(CorrectionRefused, match="保証契約番号 99999-99999Z の保証はありません"):
        await corrections.withdraw_amendment(pool, contract_number="99999-99999Z", version=1, by=STAFF, reason="x", now=_now())
    assert await pool.fetchval("SELECT count(*) FROM version_changes WHERE contract_number = $1", number) == 0
    assert await pool.fetchval("SELECT count(*) FROM certificate_versions WHERE contract_number = $1", number) == 2


@pytest.mark.parametrize(
    ("assignments", "message"),
    [
        ([], "訂正する項目を --set 項目名=値 で指定してください"),
        (["amount=1"], "'amount=1' は訂正できる項目ではありません"),
        (["guaranteed_amount=0"], "保証金額は1円以上999,999,999,999円以下の整数で入力してください（'0'）"),
        (["guaranteed_amount=1000000000000"], "保証金額は1円以上"),
        (["period_end=2027/03/31"], "工期（至）は YYYY-MM-DD の形式で入力してください"),
        (["construction_name=" + "工" * 101], "工事名は100文字以内で入力してください（現在 101文字）"),
        (["construction_name=𠮷野家改修"], "工事名に使えない文字が含まれています"),
        (["jv_name=a", "jv_name=b"], "共同企業体名が2回指定されています"),
    ],
)
def test_what_staff_type_is_checked_like_the_form(assignments, message):
    with pytest.raises(CorrectionRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_changes(assignments)


async def test_a_paper_guarantee_is_not_corrected_here(issuance, emitted, publish, renderer):
    data = application(construction_name=unique_construction(), products=[paper(advance())], paper_delivery=PAPER_DELIVERY)
    await publish(submitted(data))
    [issued] = await eventually(lambda: emitted.paper(data.application_id))
    number = issued["data"]["contract_number"]
    with pytest.raises(CorrectionRefused, match=r"証書\(紙\)の保証は、訂正した証書を紙で発行し直してください"):
        await corrections.correct_version(
            issuance.pool, contract_number=number, version=0,
            changes=parse_changes(["construction_name=紙の工事"]), by=STAFF, reason="誤記", now=_now(),
        )


async def test_the_staff_cli(issuance, emitted, publish, issuance_settings):
    """As staff run it: the JSON line of what was done, refusals on stderr with exit 1, and the record."""
    number, _ = await _guarantee_with_change(emitted, publish)

    def staff(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "services.issuance.entrypoints.cli", *args],
            env={**os.environ, "DATABASE_URL": issuance_settings.database_url}, capture_output=True, text=True, timeout=120,
        )

    argv = ("withdraw-amendment", "--contract-number", number, "--version", "1", "--by", STAFF, "--reason", "変更の取りやめ")
    done = await asyncio.to_thread(staff, *argv)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.splitlines()[-1])
    assert (out["contract_number"], out["version"], out["version_label"]) == (number, 1, "変更-1")
    assert uuid.UUID(out["event_id"])
    again = await asyncio.to_thread(staff, *argv)
    assert again.returncode == 1
    assert again.stderr == f"エラー: {number} の変更取消ができるのは最新の変更だけです（最新は新規、指定は変更-1）\n"
    listing = await asyncio.to_thread(staff, "versions", "--contract-number", number)
    lines = [json.loads(line) for line in listing.stdout.splitlines() if line.startswith("{")]
    assert [(x["label"], x["revision"], x["shown"]) for x in lines] == [("新規", 0, True), ("変更-1", 0, False)]
    assert (lines[1]["hidden_by"], lines[1]["done_by"], lines[1]["reason"]) == ("withdrawn", STAFF, "変更の取りやめ")
