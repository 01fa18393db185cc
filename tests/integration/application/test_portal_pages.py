"""Net Desk's web pages at the HTTP level (the browser journeys are in tests/browser/): sessions, CSRF,
throttling, the 404 rule, security headers, and the form's steps calling the API's handlers."""

import re
import uuid

import html5lib
import httpx
import pytest

from shared.auth import token_digest
from shared.events import Product
from tests.conftest import TEST_DATABASE_URL, eventually
from tests.integration.application.conftest import (
    certificate_issued,
    certificate_published,
    contract_number,
    publish,
    submitted_application,
)
from tests.unit.application.forms import valid_form
from services.application.entrypoints.cli import create_company, create_user, set_send_password

pytestmark = pytest.mark.integration

TOKEN = re.compile(r'name="csrftoken" value="([^"]+)"')


def csrf(html: str) -> str:
    return TOKEN.search(html).group(1)


def parse_strictly(html: str) -> None:
    """html5lib in strict mode raises on any parse error; ids must be unique."""
    html5lib.HTMLParser(strict=True).parse(html)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]


async def drafts(client: httpx.AsyncClient) -> int:
    listing = await client.get("/portal/applications?tab=draft")
    return int(re.search(r"作成中（(\d+)件）", listing.text).group(1))


def flat(form: dict, prefix: str = ""):
    for key, value in form.items():
        if isinstance(value, dict):
            yield from flat(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", "true" if value is True else str(value)


@pytest.fixture(scope="package")
def app(service):
    return service.http_app


async def browser(app, login_id: str | None = None, password: str | None = None) -> httpx.AsyncClient:
    """A cookie-keeping client, logged in on the portal when credentials are given."""
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://netdesk")
    if login_id:
        page = await client.get("/portal/login")
        response = await client.post(
            "/portal/login",
            data={"csrftoken": csrf(page.text), "login_id": login_id, "password": password, "next": "/portal/"},
        )
        assert response.status_code == 303, response.text
    return client


@pytest.fixture(scope="package")
async def portal_user(api):
    await create_company("□□土木 株式会社", "静岡県三島市北田町4-47", database_url=TEST_DATABASE_URL)
    await create_user("□□土木 株式会社", "shikaku", "pass-shikaku", "佐藤 花子", database_url=TEST_DATABASE_URL)
    return "shikaku", "pass-shikaku"


async def test_login_page_then_top_page_with_a_cookie_session(app, portal_user):
    client = await browser(app)
    redirected = await client.get("/portal/contracts?tab=electronic")
    assert redirected.status_code == 303
    assert redirected.headers["location"] == "/portal/login?next=%2Fportal%2Fcontracts%3Ftab%3Delectronic"
    page = await client.get(redirected.headers["location"])
    assert page.status_code == 200 and "ログイン" in page.text
    parse_strictly(page.text)
    response = await client.post(
        "/portal/login",
        data={"csrftoken": csrf(page.text), "login_id": portal_user[0], "password": portal_user[1],
              "next": "/portal/contracts?tab=electronic"},
    )
    assert response.status_code == 303 and response.headers["location"] == "/portal/contracts?tab=electronic"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("netdesk_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/portal" in cookie
    assert "Secure" not in cookie  # served over http here; PORTAL_SECURE_COOKIES or https adds it
    top = await client.get("/portal/")
    assert top.status_code == 200 and "□□土木 株式会社" in top.text and "佐藤 花子" in top.text
    parse_strictly(top.text)


async def test_wrong_password_and_unknown_id_get_one_message(app, portal_user):
    client = await browser(app)
    page = await client.get("/portal/login")
    answers = []
    for login_id, password in ((portal_user[0], "wrong"), ("nobody-at-all", "wrong")):
        response = await client.post(
            "/portal/login", data={"csrftoken": csrf(page.text), "login_id": login_id, "password": password}
        )
        assert response.status_code == 401
        answers.append(re.search(r'class="error-summary__list">(.*?)</ul>', response.text, re.S).group(1))
    assert answers[0] == answers[1] and "ログインIDまたはパスワードが正しくありません" in answers[0]


async def test_an_open_redirect_is_not_possible(app, portal_user):
    client = await browser(app)
    page = await client.get("/portal/login")
    for target in ("https://evil.example/", "//evil.example/", "/docs", "/portal\\..\\x"):
        response = await client.post(
            "/portal/login",
            data={"csrftoken": csrf(page.text), "login_id": portal_user[0], "password": portal_user[1], "next": target},
        )
        assert response.status_code == 303 and response.headers["location"] == "/portal/", target


async def test_repeated_failures_are_throttled_on_the_page_and_the_api(app, api, service):
    await create_company("throttle 株式会社", "東京都", database_url=TEST_DATABASE_URL)
    await create_user("throttle 株式会社", "throttled", "right-password", database_url=TEST_DATABASE_URL)
    client = await browser(app)
    page = await client.get("/portal/login")
    token = csrf(page.text)
    for _ in range(5):
        wrong = await client.post("/portal/login", data={"csrftoken": token, "login_id": "throttled", "password": "x"})
        assert wrong.status_code == 401
    refused = await client.post(
        "/portal/login", data={"csrftoken": token, "login_id": "throttled", "password": "right-password"}
    )
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "ログインに続けて失敗したため、しばらくログインできません。30秒後に再度お試しください" in refused.text
    by_api = await api.post("/auth/login", json={"login_id": "throttled", "password": "right-password"})
    assert by_api.status_code == 429 and by_api.headers["retry-after"]
    assert by_api.json()["detail"].startswith("ログインに続けて失敗したため")
    # The wait ends by itself: once the failures are older than the delay, the right password works.
    await service.pool.execute(
        "UPDATE login_failures SET failed_at = failed_at - interval '31 seconds' WHERE login_id = 'throttled'"
    )
    ok = await api.post("/auth/login", json={"login_id": "throttled", "password": "right-password"})
    assert ok.status_code == 200
    assert await service.pool.fetchval("SELECT count(*) FROM login_failures WHERE login_id = 'throttled'") == 0


async def test_a_post_without_the_csrf_token_is_refused(app, portal_user):
    client = await browser(app, *portal_user)
    before = await drafts(client)
    refused = await client.post("/portal/applications/new", data={"action": "save"})
    assert refused.status_code == 403 and "画面の有効期限が切れたため" in refused.text
    forged = await client.post("/portal/applications/new", data={"action": "save", "csrftoken": "forged"})
    assert forged.status_code == 403
    cold = await browser(app)  # no cookie at all: the login form is protected too
    assert (await cold.post("/portal/login", data={"login_id": "x", "password": "y"})).status_code == 403
    assert await drafts(client) == before  # nothing was saved by the refused posts


async def test_idle_session_ends_and_the_login_page_says_why(app, service, portal_user):
    client = await browser(app, *portal_user)
    assert (await client.get("/portal/")).status_code == 200
    token = client.cookies["netdesk_session"]
    await service.pool.execute(
        "UPDATE sessions SET last_seen_at = now() - interval '16 minutes' WHERE token_digest = $1", token_digest(token)
    )
    ended = await client.get("/portal/applications")
    assert ended.status_code == 303
    assert ended.headers["location"] == "/portal/login?next=%2Fportal%2Fapplications&reason=timeout"
    page = await client.get(ended.headers["location"])
    assert "一定時間操作がなかったため、安全のためログアウトしました" in page.text
    # 「ログインを続ける」 restarts the idle clock of a live session, and answers 401 for an ended one.
    live = await browser(app, *portal_user)
    top = await live.get("/portal/")
    assert 'data-session-timeout="900"' in top.text and 'data-session-warn="120"' in top.text
    assert (await live.post("/portal/session/extend", headers={"x-csrftoken": csrf(top.text)})).status_code == 204
    assert (await client.post("/portal/session/extend", headers={"x-csrftoken": csrf(page.text)})).status_code == 401


async def test_logout_ends_the_session_at_once(app, portal_user):
    client = await browser(app, *portal_user)
    top = await client.get("/portal/")
    token = client.cookies["netdesk_session"]
    out = await client.post("/portal/logout", data={"csrftoken": csrf(top.text)})
    assert out.status_code == 303 and out.headers["location"] == "/portal/login?reason=logout"
    replayed = await browser(app)
    replayed.cookies.set("netdesk_session", token, domain="netdesk", path="/portal")
    assert (await replayed.get("/portal/")).status_code == 303


async def test_api_logout_revokes_the_bearer_token(api, portal_user):
    login = await api.post("/auth/login", json={"login_id": portal_user[0], "password": portal_user[1]})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert (await api.get("/applications", headers=headers)).status_code == 200
    assert (await api.post("/auth/logout", headers=headers)).status_code == 204
    after = await api.get("/applications", headers=headers)
    assert after.status_code == 401


async def test_every_page_has_the_security_headers_and_no_inline_script(app, portal_user):
    client = await browser(app, *portal_user)
    for path in ("/portal/login", "/portal/", "/portal/applications/new", "/portal/applications",
                 "/portal/contracts", "/portal/applications/new?kind=bid_bond"):
        response = await client.get(path)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert not re.search(r"<script(?![^>]*\bsrc=)", response.text), path  # no inline script
        assert not re.search(r"\son[a-z]+=", response.text), path  # no inline handlers
        assert not re.search(r"https?://", re.sub(r'value="[^"]*"', "", response.text)), path  # no external asset
        parse_strictly(response.text)
    static = await client.get("/portal/static/portal.css")
    assert static.status_code == 200 and "max-age" in static.headers["cache-control"]


async def test_the_form_keeps_what_was_typed_and_confirm_shows_each_problem_at_its_field(app, portal_user):
    client = await browser(app, *portal_user)
    page = await client.get("/portal/applications/new")
    data = dict(flat(valid_form()))
    data |= {"advance_payment.guaranteed_amount": "20,500,000", "contract.contract_amount": "５０，０００，０００",
             "contract.period_start": "2023/04/01", "csrftoken": csrf(page.text), "action": "save"}
    saved = await client.post("/portal/applications/new", data=data)
    assert saved.status_code == 303
    edit_url = saved.headers["location"].split("?")[0]
    app_id = edit_url.split("/")[3]
    edit = await client.get(edit_url)
    assert 'value="20,500,000"' in edit.text and 'value="５０，０００，０００"' in edit.text
    assert "令和5年4月1日" in edit.text  # the 和暦 echo beside 工期の開始日, without JavaScript
    parse_strictly(edit.text)

    data |= {"csrftoken": csrf(edit.text), "action": "confirm"}
    confirmed = await client.post(edit_url, data=data)
    assert confirmed.headers["location"] == f"/portal/applications/{app_id}/confirm"
    step = await client.get(confirmed.headers["location"])
    assert "入力内容に誤りがあります" in step.text
    assert '<a href="#advance_payment-guaranteed_amount">前払金保証金額は請負金額の40%以下にしてください（現在 41.0%）</a>' in step.text
    assert 'id="advance_payment-guaranteed_amount-error"' in step.text and 'aria-invalid="true"' in step.text
    assert 'aria-describedby="advance_payment-guaranteed_amount-hint advance_payment-guaranteed_amount-error"' in step.text
    assert "41.0%" in step.text and 'value="20,500,000"' in step.text  # the input kept, the ratio shown
    parse_strictly(step.text)

    data |= {"advance_payment.guaranteed_amount": "２０，０００，０００", "csrftoken": csrf(step.text)}
    await client.post(edit_url, data=data)
    check = await client.get(f"/portal/applications/{app_id}/confirm")
    assert "入力内容に誤りがあります" not in check.text
    assert "20,000,000 円（請負金額の40.0%）" in check.text and "令和5年4月1日" in check.text
    assert f'href="/portal/applications/{app_id}/edit#contract"' in check.text  # 修正 per section
    parse_strictly(check.text)

    # …をクリア: one section goes, the rest stays as entered.
    data |= {"csrftoken": csrf(check.text), "action": "clear:contract_guarantee"}
    cleared = await client.post(edit_url, data=data)
    assert cleared.headers["location"].endswith("/edit#contract_guarantee")
    again = await client.get(edit_url)
    assert 'id="contract_guarantee-guaranteed_amount" name="contract_guarantee.guaranteed_amount" type="text" value=""' in again.text
    assert 'value="河川維持（○○）工事"' in again.text


async def test_warnings_must_be_acknowledged_and_sending_twice_files_once(app, portal_user, service):
    client = await browser(app, *portal_user)
    page = await client.get("/portal/applications/new")
    form = valid_form()
    form["contract"]["contract_date"] = "20230405"  # after 工期の開始日: a warning, not an error
    data = dict(flat(form)) | {"csrftoken": csrf(page.text), "action": "confirm"}
    confirmed = await client.post("/portal/applications/new", data=data)
    check = await client.get(confirmed.headers["location"])
    assert "確認が必要な注意事項" in check.text and "請負契約日（令和5年4月5日）が工期の開始日" in check.text
    submit_url = confirmed.headers["location"].replace("/confirm", "/submit")
    refused = await client.post(submit_url, data={"csrftoken": csrf(check.text)})
    assert refused.status_code == 422
    assert '<a href="#acknowledge_warnings">注意事項を確認し' in refused.text
    sent = await client.post(submit_url, data={"csrftoken": csrf(check.text), "acknowledge_warnings": "true"})
    assert sent.status_code == 303 and sent.headers["location"].endswith("/done")
    twice = await client.post(submit_url, data={"csrftoken": csrf(check.text), "acknowledge_warnings": "true"})
    assert twice.status_code == 303
    done = await client.get(sent.headers["location"])
    assert "送信完了" in done.text and "前払金保証、契約保証" in done.text and "河川維持（○○）工事" in done.text
    app_id = uuid.UUID(sent.headers["location"].split("/")[3])
    outbox = await service.pool.fetchval(
        "SELECT count(*) FROM outbox WHERE routing_key = 'jp.esurety.application.submitted.v1'"
        " AND convert_from(body, 'UTF8')::jsonb -> 'data' ->> 'application_id' = $1",
        str(app_id),
    )
    assert outbox == 1


async def test_another_companys_contract_is_the_same_404_as_an_unknown_one(
    app, api, contractor_a, portal_user, amqp, settings, fake_issuance
):
    sent = await submitted_application(api, contractor_a, valid_form())
    number = contract_number(Product.ADVANCE_PAYMENT)
    fake_issuance.keys[number] = (str(contractor_a.company_id), "Z28YUE4J3Bux")
    issued = certificate_issued(
        application_id=uuid.UUID(sent["id"]), company=contractor_a, product=Product.ADVANCE_PAYMENT, number=number
    )
    await publish(amqp, settings, issued)
    await publish(amqp, settings, certificate_published(issued))

    async def arrived():
        overview = await api.get(f"/contracts/{number}", headers=contractor_a.headers)
        return overview.status_code == 200 and overview.json()["history"] and overview.json()

    overview = await eventually(arrived)
    other = await browser(app, *portal_user)
    answers = []
    for path in (f"/portal/contracts/{number}", f"/portal/contracts/{number}/versions/0",
                 f"/portal/contracts/{number}/key-notice.pdf", "/portal/contracts/99999-99999M",
                 "/portal/contracts/not-a-number", f"/portal/applications/{sent['id']}/edit",
                 "/portal/no-such-page"):
        response = await other.get(path)
        assert response.status_code == 404, path
        answers.append(re.search(r"<main.*</main>", response.text, re.S).group(0))
    assert len(set(answers)) == 1
    token = csrf((await other.get("/portal/")).text)
    posted = await other.post(f"/portal/contracts/{number}/intermediate", data={"csrftoken": token})
    assert posted.status_code == 404

    # The owner sees the key, the history, and the certificate view with the API's digest.
    # (Logged in through the portal as the API's user.)
    owner = await browser(app, "maru-a", "pass-maru-a")
    detail = await owner.get(f"/portal/contracts/{number}")
    assert 'id="auth-key">Z28YUE4J3Bux<' in detail.text
    assert "Z28YUE4J3Bux" not in re.search(r"<title>.*</title>", detail.text).group(0)
    assert f'href="/portal/contracts/{number}/versions/0"' in detail.text and "2022/11/01 15:00" in detail.text
    view = await owner.get(f"/portal/contracts/{number}/versions/0")
    assert f'id="content-digest">{overview["content_digest"]}<' in view.text
    assert "ご覧いただいている本画面の情報は、発注者に提出した保証証書と同一です。" in view.text
    assert "保証証書（前払金保証）" in view.text and "令和05年04月27日" in view.text  # zero-padded as on the PDF
    assert re.search(r"閲覧記録：令和\d+年\d+月\d+日 \d{2}:\d{2}　閲覧者：○○建設 株式会社　山田 太郎", view.text)
    assert "本紙は電子証書の閲覧記録です（原本ではありません）" in view.text
    parse_strictly(view.text)
    pdf = await owner.get(f"/portal/contracts/{number}/key-notice.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["cache-control"] == "no-store"


async def test_contract_list_searches_and_paginates(app, api, contractor_a, amqp, settings, fake_issuance, service):
    owner = await browser(app, "maru-a", "pass-maru-a")
    sent = await submitted_application(api, contractor_a, valid_form())
    # Numbers of their own (a prefix no other test uses), so that none can collide with another company's.
    prefix = 40000 + uuid.uuid4().int % 50000
    numbers = []
    for i in range(23):
        number = f"{prefix}-{i + 1:05d}K"
        numbers.append(number)
        await publish(amqp, settings, certificate_issued(
            application_id=uuid.UUID(sent["id"]), company=contractor_a, product=Product.CONTRACT_GUARANTEE,
            number=number, construction_name=f"ページ送り試験工事{i:02d}", guaranteed_amount=5_000_000))

    async def all_there():
        rows = await service.pool.fetchval("SELECT count(*) FROM contracts WHERE contract_number = ANY($1)", numbers)
        return rows == 23

    await eventually(all_there, timeout=60)
    first = await owner.get("/portal/contracts", params={"construction_name": "ページ送り試験"})
    assert "23件（1〜20件目を表示）" in first.text
    assert len(re.findall(r'class="mono">\d{5}-\d{5}K<', first.text)) == 20
    assert 'rel="next"' in first.text
    # 次へ is a link by key (a cursor), keeping the search.
    next_href = re.search(r'href="([^"]+)" rel="next">次へ<', first.text).group(1).replace("&amp;", "&")
    second = await owner.get(next_href)
    assert "23件（21〜23件目を表示）" in second.text
    pinpoint = await owner.get("/portal/contracts", params={"contract_number": numbers[5]})
    assert re.findall(r'class="mono">(\d{5}-\d{5}[A-Z])<', pinpoint.text) == [numbers[5]]
    bid_tab = await owner.get("/portal/contracts", params={"tab": "bid_bond", "construction_name": "ページ送り試験"})
    assert "0件" in bid_tab.text
    bad = await owner.get("/portal/contracts", params={"period_from": "2023/13/40", "contract_number": "abc"})
    assert bad.status_code == 422
    assert "期間（開始）は日付" in bad.text and "保証契約番号は「37071-00000M」の形式で入力してください" in bad.text
    parse_strictly(bad.text)



async def test_a_preparer_parks_it_and_the_holder_of_the_send_password_sends_it(app):
    company = "◎◎舗装 株式会社"
    await create_company(company, "静岡県三島市", database_url=TEST_DATABASE_URL)
    await create_user(company, "preparer", "pass-preparer", "田中 一郎", database_url=TEST_DATABASE_URL)
    await create_user(company, "approver", "pass-approver", "鈴木 課長", database_url=TEST_DATABASE_URL)
    await set_send_password(company, "送信ok-2026", database_url=TEST_DATABASE_URL)

    preparer = await browser(app, "preparer", "pass-preparer")
    page = await preparer.get("/portal/applications/new")
    data = dict(flat(valid_form())) | {"csrftoken": csrf(page.text), "action": "confirm"}
    confirmed = await preparer.post("/portal/applications/new", data=data)
    check = await preparer.get(confirmed.headers["location"])
    assert 'id="send_password"' in check.text and "送信待ち" in check.text
    submit_url = confirmed.headers["location"].replace("/confirm", "/submit")
    parked = await preparer.post(submit_url, data={"csrftoken": csrf(check.text)})
    waiting = await preparer.get(parked.headers["location"])
    assert "送信待ちにしました" in waiting.text and "送信パスワードをご存じの方" in waiting.text

    approver = await browser(app, "approver", "pass-approver")
    listing = await approver.get("/portal/applications?tab=awaiting")
    assert "送信待ち（1件）" in listing.text and "確認して送信" in listing.text
    review = await approver.get(confirmed.headers["location"])
    assert "田中 一郎 さんが作成しました" in review.text
    wrong = await approver.post(submit_url, data={"csrftoken": csrf(review.text), "send_password": "違う"})
    assert wrong.status_code == 422 and '<a href="#send_password">送信パスワードが正しくありません</a>' in wrong.text
    sent = await approver.post(submit_url, data={"csrftoken": csrf(review.text), "send_password": "送信ok-2026"})
    done = await approver.get(sent.headers["location"])
    assert "送信完了" in done.text
    assert "送信済（1件）" in (await preparer.get("/portal/applications?tab=sent")).text


async def test_a_huge_body_is_refused_before_it_is_read(app, portal_user):
    client = await browser(app, *portal_user)
    before = await drafts(client)
    page = await client.get("/portal/applications/new")
    huge = {"csrftoken": csrf(page.text), "action": "save", "contract.construction_name": "工" * 300_000}
    refused = await client.post("/portal/applications/new", data=huge)
    assert refused.status_code == 413 and "送信された内容が大きすぎます" in refused.text
    long_name = {"csrftoken": csrf(page.text), "action": "save", "contract.construction_name": "工" * 101,
                 "contract.site": "川崎市\x00川崎区"}
    too_long = await client.post("/portal/applications/new", data=long_name)
    # The form again, with what was typed and why it cannot be kept; nothing is stored.
    assert too_long.status_code == 422
    assert "工事名（contract.construction_name）は100文字以内で入力してください（現在 101文字）" in too_long.text
    assert "工事場所（contract.site）に使えない文字（NUL など）が含まれています" in too_long.text
    assert "工" * 101 in too_long.text
    assert await drafts(client) == before


async def test_follow_ups_from_a_contract_page(app, api, amqp, settings, contractor_a, fake_issuance):
    """入札結果の登録 (won → the pre-filled 契約保証 draft opens; a second result is refused) and
    中間前払金を申し込む (→ the pre-filled 中間前払金 draft opens), from the contract pages."""
    from tests.integration.application.test_follow_ups import _bond, _issued

    owner = await browser(app, "maru-a", "pass-maru-a")
    bond, _ = await _bond(api, amqp, settings, contractor_a)
    fake_issuance.keys[bond] = (str(contractor_a.company_id), "Z28YUE4J3Bux")
    form_page = await owner.get(f"/portal/contracts/{bond}/bid-result")
    assert form_page.status_code == 200 and "入札結果の登録" in form_page.text
    parse_strictly(form_page.text)
    bad = await owner.post(f"/portal/contracts/{bond}/bid-result",
                           data={"csrftoken": csrf(form_page.text), "won": "maybe", "contract_amount": "abc"})
    assert bad.status_code == 422
    assert '<a href="#won">入札の結果（落札した／落札できなかった）を選択してください</a>' in bad.text
    assert "請負金額は1以上の整数（円）で入力してください" in bad.text
    won = await owner.post(f"/portal/contracts/{bond}/bid-result", data={
        "csrftoken": csrf(form_page.text), "won": "true", "contract_amount": "４８，０００，００１",
        "contract_date": "2023/03/20", "award_date": "20230315"})
    assert won.status_code == 303 and won.headers["location"].endswith("/edit")
    draft = await owner.get(won.headers["location"])
    assert 'name="contract_guarantee.bid_bond_contract_number" type="text" value="' + bond in draft.text
    again = await owner.post(f"/portal/contracts/{bond}/bid-result",
                             data={"csrftoken": csrf(form_page.text), "won": "false"})
    assert again.status_code == 409 and "入札結果は一度だけ登録できます" in again.text

    advance, _ = await _issued(api, amqp, settings, contractor_a, valid_form(), Product.ADVANCE_PAYMENT)
    fake_issuance.keys[advance] = (str(contractor_a.company_id), "Z28YUE4J3Bux")
    detail = await owner.get(f"/portal/contracts/{advance}")
    assert "中間前払金を申し込む" in detail.text
    started = await owner.post(f"/portal/contracts/{advance}/intermediate", data={"csrftoken": csrf(detail.text)})
    assert started.status_code == 303
    intermediate = await owner.get(started.headers["location"])
    assert f'name="intermediate_advance_payment.advance_payment_contract_number" type="text" value="{advance}"' in intermediate.text
