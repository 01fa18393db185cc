"""変更依頼 and 解除確認 from the certificate view, on the real database: each stored with who sent it and
its event in the outbox (same transaction, the organisation only, never the staff member nor the key);
refused without the 保証確認台帳 entry (nothing stored, nothing sent); bad input answered in Japanese at
the field, input kept; the organisation's requests listed under the certificate."""

import json
import re
import uuid

import pytest

from shared.events import AmendmentRequested, Product, ReleaseRequested
from services.platform.domain.accounts import LookupFailed
from services.platform.domain.orderer_requests import InvalidRequest
from services.platform.handlers import lookup, orderer_requests
from services.platform.handlers.accounts import create_organisation, create_user
from tests.integration.platform.conftest import PASSWORD, new_contract_number
from tests.integration.platform.test_http import KEY, issue
from tests.integration.platform.test_viewer_pages import staff  # noqa: F401 (the fixture)
from tests.samples import sample_certificate_content
from tests.unit.platform.samples import certificate

pytestmark = pytest.mark.integration


async def orderer_user(platform, code: str = "kawasaki-city", name: str = "川崎市", display: str = "契約課 山田"):
    await create_organisation(platform.pool, code, name)
    user, _ = await create_user(platform.pool, code, f"req-{uuid.uuid4().hex[:8]}", PASSWORD, display_name=display)
    return user


async def outbox_events(platform, request_id: uuid.UUID) -> list[dict]:
    rows = await platform.pool.fetch(
        "SELECT routing_key, convert_from(body, 'UTF8') AS body FROM outbox"
        " WHERE convert_from(body, 'UTF8')::jsonb -> 'data' ->> 'request_id' = $1",
        str(request_id),
    )
    return [json.loads(r["body"]) | {"routing_key": r["routing_key"]} for r in rows]


async def held_certificate(platform, user, **changes):
    content = sample_certificate_content(contract_number=new_contract_number(changes.pop("letter", "M")), **changes)
    await issue(platform, content)
    await lookup.open_certificate(platform.pool, platform.settings, user, contract_number=content.contract_number,
                                  auth_key=KEY)
    return content


async def test_amendment_request_is_stored_and_its_event_is_in_the_outbox(platform):
    user = await orderer_user(platform, display="契約課 山田")
    content = await held_certificate(platform, user)
    request_id = await orderer_requests.request_amendment(
        platform.pool, user, content.contract_number, 0, "  工期の延長に合わせて\r\n保証期限を変更してください  "
    )
    row = await platform.pool.fetchrow("SELECT * FROM orderer_requests WHERE id = $1", request_id)
    assert (row["kind"], row["version"], row["message"], row["grounds"], row["requested_by"]) == (
        "amendment", 0, "工期の延長に合わせて\n保証期限を変更してください", [], user.id)

    events = await outbox_events(platform, request_id)
    assert len(events) == 1 and events[0]["routing_key"] == "jp.esurety.amendment.requested.v1"
    event = AmendmentRequested.model_validate({k: v for k, v in events[0].items() if k != "routing_key"})
    assert event.subject == content.contract_number and event.source == "/esurety/platform"
    assert event.data.request_id == request_id and event.data.version == 0
    assert (event.data.organisation_code, event.data.organisation_name) == ("kawasaki-city", "川崎市")
    assert event.data.message == row["message"] and event.data.requested_at == row["requested_at"]
    text = json.dumps(events[0], ensure_ascii=False)
    assert "山田" not in text and user.login_id not in text and KEY not in text


async def test_release_request_on_an_advance_payment_and_on_a_contract_guarantee(platform):
    user = await orderer_user(platform)
    advance = await held_certificate(platform, user)
    request_id = await orderer_requests.request_release(
        platform.pool, user, advance.contract_number, 0, ["advance_settled", "construction_completed"], ""
    )
    row = await platform.pool.fetchrow("SELECT * FROM orderer_requests WHERE id = $1", request_id)
    assert (row["kind"], row["grounds"], row["message"]) == ("release", ["construction_completed", "advance_settled"], None)
    [raw] = await outbox_events(platform, request_id)
    event = ReleaseRequested.model_validate({k: v for k, v in raw.items() if k != "routing_key"})
    assert raw["routing_key"] == "jp.esurety.release.requested.v1"
    assert [g.value for g in event.data.grounds] == ["construction_completed", "advance_settled"]
    assert event.data.note is None

    # A 契約保証 has no 前払金: only 工事完成 applies.
    guarantee = await held_certificate(platform, user, letter="K", product=Product.CONTRACT_GUARANTEE,
                                       title="保証証書（契約保証）", depository=None)
    with pytest.raises(InvalidRequest) as refused:
        await orderer_requests.request_release(platform.pool, user, guarantee.contract_number, 0, ["advance_settled"], "")
    assert refused.value.errors == {"release_grounds": "前払金精算済は前払金保証・中間前払金保証の場合だけ選択できます。"}
    done = await orderer_requests.request_release(
        platform.pool, user, guarantee.contract_number, 0, ["construction_completed"], "完成検査済み"
    )
    [raw] = await outbox_events(platform, done)
    assert raw["data"]["note"] == "完成検査済み" and raw["data"]["grounds"] == ["construction_completed"]


async def test_only_an_organisation_holding_the_certificate_may_send(platform):
    content = certificate(new_contract_number())
    await issue(platform, content)
    kawasaki = await orderer_user(platform)
    mishima = await orderer_user(platform, "mishima-city", "三島市", "契約検査課 伊藤")
    before = await platform.pool.fetchval("SELECT count(*) FROM outbox")
    # Not yet opened with the key (no register entry), another orderer's certificate, an unknown version.
    attempts = [
        orderer_requests.request_amendment(platform.pool, kawasaki, content.contract_number, 0, "変更してください"),
        orderer_requests.request_release(platform.pool, kawasaki, content.contract_number, 0,
                                         ["construction_completed"], ""),
        orderer_requests.request_amendment(platform.pool, mishima, content.contract_number, 0, "変更してください"),
        orderer_requests.request_amendment(platform.pool, kawasaki, "99999-99999M", 0, "変更してください"),
    ]
    for attempt in attempts:
        with pytest.raises(LookupFailed):
            await attempt
    # 三島市 has the key too, but the certificate is addressed to 川崎市: still refused after the attempt.
    with pytest.raises(LookupFailed):
        await lookup.open_certificate(platform.pool, platform.settings, mishima,
                                      contract_number=content.contract_number, auth_key=KEY)
    with pytest.raises(LookupFailed):
        await orderer_requests.request_amendment(platform.pool, mishima, content.contract_number, 0, "変更してください")
    await lookup.open_certificate(platform.pool, platform.settings, kawasaki,
                                  contract_number=content.contract_number, auth_key=KEY)
    with pytest.raises(LookupFailed):
        await orderer_requests.request_amendment(platform.pool, kawasaki, content.contract_number, 1, "変更してください")
    stored = await platform.pool.fetchval(
        "SELECT count(*) FROM orderer_requests WHERE contract_number = $1", content.contract_number
    )
    assert stored == 0
    assert await platform.pool.fetchval("SELECT count(*) FROM outbox") - before == 1  # the first viewing only
    # Once it holds it: accepted.
    await orderer_requests.request_amendment(platform.pool, kawasaki, content.contract_number, 0, "変更してください")


TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"')


async def test_the_certificate_page_sends_both_and_lists_them(platform, staff):  # noqa: F811
    kawasaki = await staff(display="工事課 鈴木")
    content = certificate(new_contract_number())
    await issue(platform, content)
    assert (await kawasaki.lookup(content.contract_number, KEY)).status_code == 303
    page = await kawasaki.get(f"/viewer/certificates/{content.contract_number}?version=0")
    assert 'id="requests"' in page.text and "送信した変更依頼・解除確認はありません" in page.text
    assert 'value="advance_settled"' in page.text  # a 前払金保証: both grounds offered
    base = f"/viewer/certificates/{content.contract_number}"

    # Refused: Japanese at the field and in the summary, input kept, nothing stored.
    blank = await kawasaki.client.post(f"{base}/amendment-request",
                                       data={"csrftoken": kawasaki.token, "version": "0", "amendment_message": " "})
    assert blank.status_code == 422 and "<title>エラー：" in blank.text
    assert '<a href="#amendment_message">変更してほしい内容を入力してください。</a>' in blank.text
    assert 'id="amendment_message-error"' in blank.text
    long = await kawasaki.client.post(f"{base}/amendment-request",
                                      data={"csrftoken": kawasaki.token, "version": "0", "amendment_message": "あ" * 501})
    assert long.status_code == 422 and "変更してほしい内容（新規について）" in long.text  # the version shown
    assert "変更してほしい内容は500文字以内で入力してください（現在 501文字）。" in long.text and "あ" * 501 in long.text
    none = await kawasaki.client.post(f"{base}/release-request",
                                      data={"csrftoken": kawasaki.token, "version": "0", "release_note": "備考だけ"})
    assert none.status_code == 422
    assert "解除確認の内容（工事完成・前払金精算済）を1つ以上選択してください。" in none.text and "備考だけ</textarea>" in none.text
    odd = await kawasaki.client.post(f"{base}/release-request", data={
        "csrftoken": kawasaki.token, "version": "0", "release_grounds": "construction_completed",
        "release_note": "\u202e"})
    assert odd.status_code == 422 and "解除確認の備考に使えない文字が含まれています: 書式制御文字（U+202E）。" in odd.text
    assert re.search(r'value="construction_completed"\s+checked', odd.text)
    assert not await platform.pool.fetchval(
        "SELECT count(*) FROM orderer_requests WHERE contract_number = $1", content.contract_number)

    # Without the CSRF token: refused before any handler.
    forged = await kawasaki.client.post(f"{base}/amendment-request", data={"version": "0", "amendment_message": "x"})
    assert forged.status_code == 403

    sent = await kawasaki.client.post(f"{base}/amendment-request", data={
        "csrftoken": kawasaki.token, "version": "0", "amendment_message": "請負金額の増額に合わせて\n前払金保証金額を変更してください"})
    assert sent.status_code == 303
    assert sent.headers["location"] == f"{base}?version=0&requested=amendment#requests"
    released = await kawasaki.client.post(f"{base}/release-request", data={
        "csrftoken": kawasaki.token, "version": "0", "release_grounds": ["construction_completed", "advance_settled"],
        "release_note": ""})
    assert released.status_code == 303
    shown = await kawasaki.get(released.headers["location"])
    assert "解除確認を送信しました。受注者の全体トップと保証会社に届きます。" in shown.text
    table = re.search(r'<table[^>]*id="sent-requests".*?</table>', shown.text, re.S).group(0)
    rows = re.findall(r"<tr>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>", table, re.S)
    assert [r[1:] for r in rows] == [
        ("解除確認", "工事完成・前払金精算済", "新規", "工事課 鈴木"),
        ("変更依頼", "請負金額の増額に合わせて<br>前払金保証金額を変更してください", "新規", "工事課 鈴木"),
    ]
    assert all(re.fullmatch(r"令和\d+年\d+月\d+日 \d{2}:\d{2}", r[0]) for r in rows), rows

    # A colleague sees them; another organisation's staff cannot post at all (the same 404 as elsewhere).
    colleague = await staff(display="契約課 佐藤")
    assert "前払金保証金額を変更してください" in (await colleague.get(base)).text
    other = await staff("mishima-city", "三島市")
    await other.get("/viewer/")
    refused = await other.client.post(f"{base}/amendment-request",
                                      data={"csrftoken": other.token, "version": "0", "amendment_message": "変更"})
    assert refused.status_code == 404
    assert await platform.pool.fetchval(
        "SELECT count(*) FROM orderer_requests WHERE contract_number = $1", content.contract_number) == 2
