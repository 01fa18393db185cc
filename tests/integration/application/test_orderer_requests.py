"""変更依頼 / 解除確認 from the bus (platform events) on Net Desk: kept once per request whatever is redelivered,
waiting for the contract when they come first, then on 全体トップ (お知らせ, newest first), on the contract's
電子保証概要 and in the JSON API's contract detail — only for the company whose contract it is."""

import re
import uuid
from datetime import datetime, timezone

import pytest

from shared.events import (
    AmendmentRequested,
    AmendmentRequestedV1,
    Product,
    ReleaseGround,
    ReleaseRequested,
    ReleaseRequestedV1,
)
from services.application.handlers import orderer_requests
from tests.conftest import eventually
from tests.integration.application.conftest import certificate_issued, contract_number, publish, submitted_application
from tests.integration.application.test_portal_pages import browser
from tests.unit.application.forms import valid_form

pytestmark = pytest.mark.integration

KEY = "Z28YUE4J3Bux"


def amendment(number: str, at: datetime, message: str, request_id: uuid.UUID | None = None) -> AmendmentRequested:
    data = AmendmentRequestedV1(request_id=request_id or uuid.uuid4(), contract_number=number, version=0,
                                organisation_code="kawasaki-city", organisation_name="川崎市", message=message,
                                requested_at=at)
    return AmendmentRequested.wrap(data, source="/esurety/platform", subject=number, correlation_id="corr")


def release(number: str, at: datetime, grounds: list[ReleaseGround], note: str | None) -> ReleaseRequested:
    data = ReleaseRequestedV1(request_id=uuid.uuid4(), contract_number=number, version=0,
                              organisation_code="kawasaki-city", organisation_name="川崎市", grounds=grounds,
                              note=note, requested_at=at)
    return ReleaseRequested.wrap(data, source="/esurety/platform", subject=number, correlation_id="corr")


async def stored(service, request_id) -> int:
    return await service.pool.fetchval("SELECT count(*) FROM orderer_requests WHERE request_id = $1", request_id)


async def test_requests_reach_the_contractor_once(api, contractor_a, contractor_b, amqp, settings, fake_issuance,
                                                  service):
    sent = await submitted_application(api, contractor_a, valid_form())
    number = contract_number(Product.ADVANCE_PAYMENT)
    fake_issuance.keys[number] = (str(contractor_a.company_id), KEY)
    asked = amendment(number, datetime(2026, 1, 5, 1, 0, tzinfo=timezone.utc), "工期の延長に合わせて\n保証期限を変更してください")

    # Before the contract row: kept, shown nowhere yet.
    await publish(amqp, settings, asked)
    await eventually(lambda: stored(service, asked.data.request_id))
    top = await browser(service.http_app, "maru-a", "pass-maru-a")
    assert number not in (await top.get("/portal/")).text

    issued = certificate_issued(application_id=uuid.UUID(sent["id"]), company=contractor_a,
                                product=Product.ADVANCE_PAYMENT, number=number, construction_name="市道（△△）改良工事")
    await publish(amqp, settings, issued)

    async def detail():
        response = await api.get(f"/contracts/{number}", headers=contractor_a.headers)
        return response.json() if response.status_code == 200 else None

    first = await eventually(detail)
    assert first["orderer_requests"] == [{
        "request_id": str(asked.data.request_id), "kind": "amendment", "kind_label": "変更依頼", "version": 0,
        "version_label": "新規", "organisation_name": "川崎市", "message": "工期の延長に合わせて\n保証期限を変更してください",
        "grounds": [], "ground_labels": [], "requested_at": "2026-01-05T01:00:00Z",
    }]

    confirmed = release(number, datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc),
                        [ReleaseGround.CONSTRUCTION_COMPLETED, ReleaseGround.ADVANCE_SETTLED], "完成検査済み")
    await publish(amqp, settings, confirmed)
    await eventually(lambda: stored(service, confirmed.data.request_id))

    # Redelivered (the same event id) and copied (a new event id, the same request): nothing more.
    await orderer_requests.on_amendment_requested(service.pool, asked)
    await orderer_requests.on_release_requested(service.pool, confirmed)
    copy = amendment(number, asked.data.requested_at, "別の文面", request_id=asked.data.request_id)
    await orderer_requests.on_amendment_requested(service.pool, copy)
    assert await service.pool.fetchval(
        "SELECT count(*) FROM orderer_requests WHERE contract_number = $1", number) == 2
    assert await service.pool.fetchval(
        "SELECT count(*) FROM inbox WHERE consumer = 'application.amendment-requested' AND event_id = ANY($1)",
        [asked.id, copy.id]) == 2

    both = (await detail())["orderer_requests"]
    assert [(r["kind"], r["ground_labels"], r["message"]) for r in both] == [
        ("release", ["工事完成", "前払金精算済"], "完成検査済み"),
        ("amendment", [], "工期の延長に合わせて\n保証期限を変更してください"),
    ]

    # 全体トップ: newest first, 発注者名・工事名・保証契約番号 (a link to the contract)・種類・内容.
    page = (await top.get("/portal/")).text
    table = re.search(r'<table class="table" id="orderer-notices">.*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr>\s*((?:<td[^>]*>.*?</td>\s*)+)</tr>", table, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    # Other tests of this package file requests for the same company: keep this contract's rows.
    cells = [c for c in cells if f"/portal/contracts/{number}\"" in c[3]]
    assert [c[1:] for c in cells] == [
        ["川崎市", "市道（△△）改良工事", f'<a href="/portal/contracts/{number}">{number}</a>', "解除確認",
         "工事完成・前払金精算済のため、保証を解除してよいことを確認しました。<br>備考：完成検査済み"],
        ["川崎市", "市道（△△）改良工事", f'<a href="/portal/contracts/{number}">{number}</a>', "変更依頼",
         "工期の延長に合わせて<br>保証期限を変更してください"],
    ]
    assert [c[0] for c in cells] == ["令和8年3月1日 11:00", "令和8年1月5日 10:00"]  # JST
    # The contract page lists them too.
    contract_page = (await top.get(f"/portal/contracts/{number}")).text
    section = re.search(r'<section class="section" id="orderer-requests".*?</section>', contract_page, re.S).group(0)
    kinds = re.findall(r"<td[^>]*>(変更依頼|解除確認)</td>", section)
    assert kinds == ["解除確認", "変更依頼"] and "備考：完成検査済み" in section

    # Another company sees none of it.
    assert (await api.get(f"/contracts/{number}", headers=contractor_b.headers)).status_code == 404
    other = await browser(service.http_app, "sankaku-b", "pass-sankaku-b")
    assert number not in (await other.get("/portal/")).text
    await top.aclose()
    await other.aclose()
