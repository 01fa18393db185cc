"""変更申込 on Net Desk's pages (issue 13) at the HTTP level: 電子保証概要's 「変更を申し込む」 starts the draft
through the same handler as the JSON API; 申込作成 shows only the guarantee's sections under a notice of what
changes; 発注者 and 証書の形式 stay as issued whatever is posted; 申込確認 answers a change of 請負金額 alone
with the certificate's note; 送信 and 送信完了 say 変更申込, and so does 手続状況. The browser journey is in
tests/browser/test_amendment.py."""

import re
import uuid

import pytest

from tests.conftest import eventually
from tests.integration.application.test_amendments import _issued_advance_payment, _publish_version
from tests.integration.application.test_follow_ups import _bond
from tests.integration.application.test_portal_pages import browser, csrf, flat, parse_strictly

pytestmark = pytest.mark.integration

KEY = "Z28YUE4J3Bux"
NOTE = "請負金額のみの変更は、この保証契約の効力に影響を及ぼさないので、保証契約変更の手続きをとる必要はありません"


@pytest.fixture(scope="package")
def app(service):
    return service.http_app


def text_of(html: str) -> str:
    """The page's visible text, tags removed and whitespace squashed."""
    main = re.search(r"<main.*</main>", html, re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", main))


async def _guarantee(api, amqp, settings, contractor, fake_issuance, owner) -> str:
    """An issued 前払金保証 of contractor_a, on its 電子保証概要 page (the read model has it)."""
    number = await _issued_advance_payment(api, amqp, settings, contractor)
    fake_issuance.keys[number] = (str(contractor.company_id), KEY)

    async def shown():
        page = await owner.get(f"/portal/contracts/{number}")
        return page if page.status_code == 200 else None

    await eventually(shown)
    return number


async def _start(owner, number: str) -> tuple[str, str]:
    """「変更を申し込む」 on 電子保証概要; returns (the draft's edit URL, its page)."""
    detail = await owner.get(f"/portal/contracts/{number}")
    started = await owner.post(f"/portal/contracts/{number}/amendment", data={"csrftoken": csrf(detail.text)})
    assert started.status_code == 303, started.text
    edit_url = started.headers["location"]
    assert re.fullmatch(r"/portal/applications/[0-9a-f-]{36}/edit", edit_url), edit_url
    page = await owner.get(edit_url)
    assert page.status_code == 200
    return edit_url, page.text


def _posted(form: dict, page: str, action: str, **changes: str) -> dict[str, str]:
    """What the 申込作成 page posts: the draft's fields (a 変更申込's own section is not a field)."""
    data = {k: v for k, v in flat(form) if not k.startswith("amendment.")}
    return data | changes | {"csrftoken": csrf(page), "action": action}


async def _stored(api, contractor, edit_url: str) -> dict:
    application_id = edit_url.split("/")[3]
    return (await api.get(f"/applications/{application_id}", headers=contractor.headers)).json()


async def test_the_contract_page_offers_a_change_and_the_form_shows_only_its_sections(
    app, api, amqp, settings, contractor_a, fake_issuance
):
    owner = await browser(app, "maru-a", "pass-maru-a")
    number = await _guarantee(api, amqp, settings, contractor_a, fake_issuance, owner)
    detail = await owner.get(f"/portal/contracts/{number}")
    parse_strictly(detail.text)
    assert f'action="/portal/contracts/{number}/amendment"' in detail.text
    assert ">変更を申し込む</button>" in detail.text
    assert "保証金額の増額・減額、保証期限・工期の変更、工事名など記載内容の変更" in detail.text

    edit_url, page = await _start(owner, number)
    parse_strictly(page)
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "変更申込" in title and "申込作成" in title
    shown = text_of(page)
    assert f"変更申込：保証契約番号 {number}（前払金保証）の変更" in shown
    assert "<dt>変更前の版</dt><dd>新規</dd>" in page
    assert "発注者と保証証書の形式は変更できません" in shown
    # Only the guarantee's own sections: 請負工事の情報, 前払金保証, インフォメーション (no 入札の状況 first applied).
    sections = re.findall(r'<section class="section" id="([a-z_]+)"', page)
    assert sections == ["contract", "advance_payment", "information"], sections
    # 発注者, 証書の形式 and the product's checkbox are no controls; no …をクリア for the sections they are in.
    for name in ("contract.orderer_code", "advance_payment.certificate_format", "advance_payment.apply"):
        assert f'name="{name}"' not in page, name
    assert 'id="advance_payment-certificate_format"' in page and "電子保証（認証キーを含む）" in page
    assert 'id="contract-orderer_code"' in page and "川崎市（kawasaki-city）" in page
    assert 'value="clear:contract"' not in page and 'value="clear:advance_payment"' not in page
    assert 'value="clear:information"' in page
    assert 'name="advance_payment.guaranteed_amount" type="text" value="20,000,000"' in page  # pre-filled, with commas

    # 手続状況 (作成中) tells it from a new application.
    listing = await owner.get("/portal/applications?tab=draft")
    row = next(r for r in re.findall(r"<tr>.*?</tr>", listing.text, re.S) if edit_url in r)
    assert '<span class="tag">変更</span>' in row and number in row and "の変更（変更前：新規）" in row
    parse_strictly(listing.text)


async def test_saving_keeps_the_amendment_and_what_cannot_change(app, api, amqp, settings, contractor_a, fake_issuance):
    owner = await browser(app, "maru-a", "pass-maru-a")
    number = await _guarantee(api, amqp, settings, contractor_a, fake_issuance, owner)
    edit_url, page = await _start(owner, number)
    form = (await _stored(api, contractor_a, edit_url))["form"]
    # A forged post cannot change the guarantee, the 発注者, the format, nor drop the product.
    data = _posted(form, page, "save", **{
        "advance_payment.guaranteed_amount": "２４，０００，０００",
        "contract.orderer_code": "yurihonjo-city",
        "advance_payment.certificate_format": "paper",
        "amendment.contract_number": "35072-99999M",
    })
    data.pop("advance_payment.apply")
    saved = await owner.post(edit_url, data=data)
    assert saved.status_code == 303 and saved.headers["location"] == edit_url + "?saved=1"
    stored = (await _stored(api, contractor_a, edit_url))["form"]
    assert stored["amendment"] == {"contract_number": number, "base_version": 0}
    assert stored["contract"]["orderer_code"] == "kawasaki-city"
    assert stored["advance_payment"]["certificate_format"] == "electronic"
    assert stored["advance_payment"]["apply"] is True
    assert stored["advance_payment"]["guaranteed_amount"] == "２４，０００，０００"
    again = await owner.get(edit_url + "?saved=1")
    assert "入力内容を保存しました" in again.text and 'value="２４，０００，０００"' in again.text
    assert f"変更申込：保証契約番号 {number}" in text_of(again.text)
    # The …をクリア the page does not offer is refused (and clears nothing).
    refused = await owner.post(edit_url, data=_posted(stored, again.text, "clear:contract"))
    assert refused.status_code == 400
    assert (await _stored(api, contractor_a, edit_url))["form"]["contract"]["orderer_code"] == "kawasaki-city"


async def test_a_change_of_the_contract_amount_alone_gets_the_certificates_note(
    app, api, amqp, settings, contractor_a, fake_issuance
):
    owner = await browser(app, "maru-a", "pass-maru-a")
    number = await _guarantee(api, amqp, settings, contractor_a, fake_issuance, owner)
    edit_url, page = await _start(owner, number)
    form = (await _stored(api, contractor_a, edit_url))["form"]
    confirmed = await owner.post(edit_url, data=_posted(form, page, "confirm", **{"contract.contract_amount": "60,000,000"}))
    assert confirmed.status_code == 303
    step = await owner.get(confirmed.headers["location"])
    assert step.status_code == 200 and "入力内容に誤りがあります" in step.text
    assert f'<a href="#contract-contract_amount">{NOTE}</a>' in step.text
    assert 'id="contract-contract_amount-error"' in step.text
    parse_strictly(step.text)

    # Nothing changed at all: said at the notice on top (the change as such), linked from the summary.
    unchanged = await owner.post(edit_url, data=_posted(form, step.text, "confirm"))
    step = await owner.get(unchanged.headers["location"])
    assert f'<a href="#amendment">変更申込では、{number}の現在の内容から変わる項目がありません</a>' in step.text
    notice = step.text.index('<div class="notice notice--error amendment-notice" id="amendment"')
    assert "＊変更申込では" in step.text[notice:step.text.index("</dl>", notice) + 800]
    parse_strictly(step.text)


async def test_the_change_is_confirmed_sent_and_listed_as_a_change(
    app, api, amqp, settings, contractor_a, fake_issuance, service
):
    owner = await browser(app, "maru-a", "pass-maru-a")
    number = await _guarantee(api, amqp, settings, contractor_a, fake_issuance, owner)
    edit_url, page = await _start(owner, number)
    form = (await _stored(api, contractor_a, edit_url))["form"]
    data = _posted(form, page, "confirm", **{
        "contract.contract_amount": "60,000,000", "contract.period_end": "2024/05/28",
        "advance_payment.guaranteed_amount": "24,000,000", "advance_payment.guarantee_expiry": "20240528",
    })
    confirmed = await owner.post(edit_url, data=data)
    check = await owner.get(confirmed.headers["location"])
    assert confirmed.headers["location"].endswith("/confirm") and "入力内容に誤りがあります" not in check.text
    parse_strictly(check.text)
    assert "変更申込" in re.search(r"<title>(.*?)</title>", check.text).group(1)
    shown = text_of(check.text)
    assert "変更申込：申込確認" in shown and f"変更申込：保証契約番号 {number}（前払金保証）の変更" in shown
    # 変更前 beside 変更後, the changed rows marked.
    rows = {r[0]: r[1:] for r in re.findall(
        r'<tr(?: class="comparison__changed")?>\s*<th scope="row">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>',
        check.text, re.S)}
    assert rows["保証金額"][:2] == ("20,000,000 円", "24,000,000 円") and "変更" in rows["保証金額"][2]
    assert rows["保証期限"][:2] == ("令和6年3月29日", "令和6年5月28日")
    assert rows["工事名"][0] == rows["工事名"][1] and "変更なし" in rows["工事名"][2]
    assert "前払金保証" in shown and "契約保証" not in shown.replace("保証契約", "")

    sent = await owner.post(confirmed.headers["location"].replace("/confirm", "/submit"),
                            data={"csrftoken": csrf(check.text), "acknowledge_warnings": "true"})
    assert sent.status_code == 303 and sent.headers["location"].endswith("/done")
    done = await owner.get(sent.headers["location"])
    parse_strictly(done.text)
    shown = text_of(done.text)
    assert f"保証契約番号 {number}（前払金保証）の変更申込を送信しました" in shown
    assert "変更申込" in re.search(r"<title>(.*?)</title>", done.text).group(1)
    assert f'href="/portal/contracts/{number}"' in done.text

    application_id = uuid.UUID(edit_url.split("/")[3])
    sent_amendment = await service.pool.fetchval(
        "SELECT convert_from(body, 'UTF8')::jsonb -> 'data' -> 'amendment' FROM outbox"
        " WHERE routing_key = 'jp.esurety.application.submitted.v1'"
        " AND convert_from(body, 'UTF8')::jsonb -> 'data' ->> 'application_id' = $1",
        str(application_id),
    )
    assert sent_amendment == {"contract_number": number, "base_version": 0, "kinds": ["amount_increase", "expiry_change"]}
    listing = await owner.get("/portal/applications?tab=sent")
    row = next(r for r in re.findall(r"<tr>.*?</tr>", listing.text, re.S) if str(application_id) in r)
    assert '<span class="tag">変更</span>' in row and f"{number}</a> の変更" in row


async def test_an_older_draft_says_a_newer_version_came_first(app, api, amqp, settings, contractor_a, fake_issuance):
    owner = await browser(app, "maru-a", "pass-maru-a")
    number = await _guarantee(api, amqp, settings, contractor_a, fake_issuance, owner)
    edit_url, page = await _start(owner, number)
    form = (await _stored(api, contractor_a, edit_url))["form"]
    await _publish_version(amqp, settings, contractor_a, uuid.uuid4(), number, 1, guaranteed_amount=22_000_000)

    async def outdated():
        posted = await owner.post(edit_url, data=_posted(form, page, "confirm", **{
            "advance_payment.guaranteed_amount": "23000000"}))
        step = await owner.get(posted.headers["location"])
        return step if "変更-1が発行されています" in step.text else None

    step = await eventually(outdated)
    assert '<a href="#amendment">' in step.text  # the notice on top, where the number is shown
    detail = await owner.get(f"/portal/contracts/{number}")
    assert "最新の内容（変更-1）から変更申込を作成します" in detail.text
    _, again = await _start(owner, number)
    assert "<dt>変更前の版</dt><dd>変更-1</dd>" in again


async def test_a_bid_bond_offers_no_change_and_a_forced_one_says_why(
    app, api, amqp, settings, contractor_a, contractor_b, fake_issuance
):
    owner = await browser(app, "maru-a", "pass-maru-a")
    bond, _ = await _bond(api, amqp, settings, contractor_a)
    fake_issuance.keys[bond] = (str(contractor_a.company_id), KEY)
    detail = await owner.get(f"/portal/contracts/{bond}")
    assert detail.status_code == 200
    assert "変更を申し込む" not in detail.text and f"/contracts/{bond}/amendment" not in detail.text
    assert "入札結果の登録" in detail.text
    forced = await owner.post(f"/portal/contracts/{bond}/amendment", data={"csrftoken": csrf(detail.text)})
    assert forced.status_code == 409
    assert 'role="alert" id="amendment-error"' in forced.text and "契約保証予約は変更できません" in forced.text
    parse_strictly(forced.text)
    # Another company's guarantee, or none: the one 404.
    other = await browser(app, "sankaku-b", "pass-sankaku-b")
    token = csrf((await other.get("/portal/")).text)
    assert (await other.post(f"/portal/contracts/{bond}/amendment", data={"csrftoken": token})).status_code == 404
    assert (await other.post("/portal/contracts/35072-99999M/amendment", data={"csrftoken": token})).status_code == 404
