"""期間満了 and 解約 on Net Desk, on the real PostgreSQL (issue 13 item 5): the status events in the read model
(保証契約一覧, 電子保証概要, the certificate view, the JSON API) in any order and with copies; the 解約の申込
through the JSON API (its rules and Japanese answers, the 送信パスワード, one pending request, the event in the
outbox without any password) and through the pages' three steps; a 変更申込 of an ended guarantee refused."""

import json
import re
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from services.application.entrypoints.cli import create_company, create_user, set_send_password
from services.application.handlers import events, guarantee_status
from shared.events import (
    CancellationReason,
    CancellationRefused,
    CancellationRefusedV1,
    CertificateCancelled,
    CertificateCancelledV1,
    CertificateExpired,
    CertificateExpiredV1,
    Product,
)
from tests.conftest import TEST_DATABASE_URL
from tests.integration.application.conftest import certificate_issued, contract_number
from tests.integration.application.test_portal_pages import browser, csrf, parse_strictly

pytestmark = pytest.mark.integration

KEY = "Z28YUE4J3Bux"


@pytest.fixture(scope="package")
def app(service):
    return service.http_app


async def issued(service, company, fake_issuance, product=Product.ADVANCE_PAYMENT, paper=False) -> tuple[str, uuid.UUID]:
    """A contract of `company` in the read model (as CertificateIssued made it); (number, application id)."""
    number = contract_number(product)
    application_id = uuid.uuid4()
    event = certificate_issued(application_id=application_id, company=company, product=product, number=number, paper=paper,
                               **({"electronic": False} if paper else {}))
    if paper:
        await events.on_paper_certificate_issued(service.pool, event)
    else:
        await events.on_certificate_issued(service.pool, event)
        fake_issuance.keys[number] = (str(company.company_id), KEY)
    return number, application_id


def expired_event(number, company, application_id, *, expiry=date(2027, 3, 31)) -> CertificateExpired:
    data = CertificateExpiredV1(
        contract_number=number, product=Product.ADVANCE_PAYMENT, application_id=application_id,
        contractor_company_id=company.company_id, electronic=True, guarantee_expiry=expiry,
        expired_on=expiry + timedelta(days=1),
        expired_at=datetime(2027, 3, 31, 15, 0, 5, tzinfo=timezone.utc),
    )
    return CertificateExpired.wrap(data, source="/esurety/issuance", subject=number, correlation_id=f"expiry-{number}")


def cancelled_event(number, company, application_id, request_id, on=date(2027, 1, 15)) -> CertificateCancelled:
    data = CertificateCancelledV1(
        contract_number=number, product=Product.ADVANCE_PAYMENT, application_id=application_id,
        contractor_company_id=company.company_id, electronic=True, request_id=request_id, cancelled_on=on,
        cancelled_at=datetime(2027, 1, 15, 1, 0, tzinfo=timezone.utc), reason=CancellationReason.CONTRACT_TERMINATED,
    )
    return CertificateCancelled.wrap(data, source="/esurety/issuance", subject=number, correlation_id="c")


def refused_event(number, company, request_id, reason: str) -> CancellationRefused:
    data = CancellationRefusedV1(request_id=request_id, contract_number=number, contractor_company_id=company.company_id,
                                 reason=reason, refused_at=datetime.now(timezone.utc))
    return CancellationRefused.wrap(data, source="/esurety/issuance", subject=number, correlation_id="r")


def copy_of(event):
    return event.model_copy(update={"id": str(uuid.uuid4())})


async def detail(api, contractor, number) -> dict:
    response = await api.get(f"/contracts/{number}", headers=contractor.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_expired_guarantee_on_every_view_whatever_the_order(service, api, app, contractor_a, fake_issuance):
    pool = service.pool
    # The status first, the certificate after it (keyed by number, joined when read).
    number = contract_number(Product.ADVANCE_PAYMENT)
    application_id = uuid.uuid4()
    expired = expired_event(number, contractor_a, application_id)
    await guarantee_status.on_certificate_expired(pool, expired)
    await events.on_certificate_issued(pool, certificate_issued(
        application_id=application_id, company=contractor_a, product=Product.ADVANCE_PAYMENT, number=number))
    fake_issuance.keys[number] = (str(contractor_a.company_id), KEY)
    await guarantee_status.on_certificate_expired(pool, expired)  # redelivered
    later = copy_of(expired).model_copy(update={"data": expired.data.model_copy(update={"expired_on": date(2027, 5, 1)})})
    await guarantee_status.on_certificate_expired(pool, later)  # a copy under another id: the first stands

    shown = await detail(api, contractor_a, number)
    assert (shown["status"], shown["status_label"], shown["ended_on"]) == ("expired", "期間満了（令和9年4月1日）", "2027-04-01")
    assert shown["cancellable"] is False and shown["auth_key"] == KEY  # the key is still shown
    [row] = (await api.get("/contracts", params={"contract_number": number}, headers=contractor_a.headers)).json()
    assert (row["status"], row["status_label"]) == ("expired", "期間満了（令和9年4月1日）")

    # 変更申込 and 解約の申込 are refused, with the reason.
    change = await api.post(f"/contracts/{number}/amendment-application", headers=contractor_a.headers)
    assert change.status_code == 409
    assert change.json() == {"detail": f"保証契約 {number} は令和9年4月1日に期間満了となったため、変更申込はできません"}
    asked = await api.post(f"/contracts/{number}/cancellation-request", json={"reason": "not_needed"}, headers=contractor_a.headers)
    assert asked.status_code == 409
    assert asked.json()["detail"] == f"保証契約 {number} は既に期間満了（令和9年4月1日）となっているため、解約の申込はできません"

    # The pages: prominent on 電子保証概要, in 保証契約一覧, above the certificate; no 変更・解約 buttons.
    client = await browser(app, "maru-a", "pass-maru-a")
    try:
        page = await client.get(f"/portal/contracts/{number}")
        assert page.status_code == 200
        parse_strictly(page.text)
        assert 'id="guarantee-status"' in page.text and "期間満了（令和9年4月1日）" in page.text
        assert "保証期限（令和9年3月31日）を過ぎたため、令和9年4月1日に期間満了となりました" in page.text
        assert "変更を申し込む" not in page.text and "解約を申し込む" not in page.text
        assert "中間前払金を申し込む" not in page.text
        listing = await client.get("/portal/contracts", params={"contract_number": number})
        assert '<span class="tag tag--red">期間満了（令和9年4月1日）</span>' in listing.text
        view = await client.get(f"/portal/contracts/{number}/versions/0")
        assert view.status_code == 200 and 'id="status-note"' in view.text and "期間満了となりました" in view.text
        refused = await client.get(f"/portal/contracts/{number}/cancellation")
        assert refused.status_code == 409 and 'id="cancellation-error"' in refused.text
    finally:
        await client.aclose()


async def test_a_cancellation_request_through_the_api(service, api, contractor_a, contractor_b, fake_issuance):
    pool = service.pool
    number, application_id = await issued(service, contractor_a, fake_issuance)
    path = f"/contracts/{number}/cancellation-request"
    assert (await detail(api, contractor_a, number))["cancellable"] is True

    # What is refused, in Japanese, naming the field and the rule.
    wrong = await api.post(path, json={"reason": "other", "reason_text": " "}, headers=contractor_a.headers)
    assert wrong.status_code == 422
    assert wrong.json()["problems"] == [{
        "path": "reason_text", "label": "解約の理由（詳細）", "rule": "required", "severity": "error",
        "message": "解約の理由（詳細）（reason_text）を入力してください（解約の理由が「その他」の場合は必須です）",
    }]
    unknown = await api.post(path, json={"reason": "bored"}, headers=contractor_a.headers)
    assert unknown.status_code == 422 and unknown.json()["problems"][0]["label"] == "解約の理由"
    assert "のいずれかを指定してください" in unknown.json()["problems"][0]["message"]
    long = await api.post(path, json={"reason": "other", "reason_text": "あ" * 201}, headers=contractor_a.headers)
    assert long.json()["problems"][0]["message"] == "解約の理由（詳細）（reason_text）は200文字以内で入力してください（現在 201文字）"
    assert (await api.post(path, json={"reason": "not_needed"}, headers=contractor_b.headers)).status_code == 404
    assert (await api.post("/contracts/35072-99999X/cancellation-request", json={"reason": "not_needed"},
                           headers=contractor_a.headers)).status_code == 404

    sent = await api.post(path, json={"reason": "other", "reason_text": "発注者の都合により\n工事が中止となったため"},
                          headers=contractor_a.headers)
    assert sent.status_code == 202, sent.text
    body = sent.json()
    assert (body["contract_number"], body["state"], body["state_label"], body["reason_label"]) == (
        number, "pending", "確認中", "その他"
    )
    assert body["requested_by_name"] == "山田 太郎"
    again = await api.post(path, json={"reason": "not_needed"}, headers=contractor_a.headers)
    assert again.status_code == 409
    assert again.json()["detail"] == "この保証契約の解約の申込は既に受け付けています（確認中）。弊社の確認をお待ちください"

    # The event waits in the outbox, as the relay will publish it.
    row = await pool.fetchrow(
        "SELECT * FROM outbox WHERE routing_key = 'jp.esurety.cancellation.requested.v1' AND convert_from(body, 'UTF8') LIKE $1",
        f"%{body['request_id']}%",
    )
    event = json.loads(bytes(row["body"]))
    assert event["subject"] == number and event["data"]["reason"] == "other"
    assert event["data"]["reason_text"] == "発注者の都合により\n工事が中止となったため"
    assert event["data"]["contractor_company_id"] == str(contractor_a.company_id)
    shown = await detail(api, contractor_a, number)
    assert shown["cancellation"]["state"] == "pending" and shown["cancellable"] is False

    # Refused by the surety company: the reason is shown, and the contractor may ask again.
    reason = "保証料の精算が済んでいないため、精算後に改めてお申し込みください"
    refusal = refused_event(number, contractor_a, uuid.UUID(body["request_id"]), reason)
    await guarantee_status.on_cancellation_refused(pool, refusal)
    await guarantee_status.on_cancellation_refused(pool, copy_of(refusal))
    shown = await detail(api, contractor_a, number)
    assert (shown["cancellation"]["state"], shown["cancellation"]["refusal_reason"]) == ("refused", reason)
    assert shown["cancellable"] is True and shown["status"] != "cancelled"
    second = await api.post(path, json={"reason": "contract_terminated"}, headers=contractor_a.headers)
    assert second.status_code == 202

    # Approved: 解約 with its date everywhere; a late refusal of the first request changes nothing.
    cancelled = cancelled_event(number, contractor_a, application_id, uuid.UUID(second.json()["request_id"]))
    await guarantee_status.on_certificate_cancelled(pool, cancelled)
    await guarantee_status.on_certificate_cancelled(pool, copy_of(cancelled))
    await guarantee_status.on_cancellation_refused(pool, copy_of(refusal))
    shown = await detail(api, contractor_a, number)
    assert (shown["status"], shown["status_label"], shown["ended_on"]) == ("cancelled", "解約（令和9年1月15日）", "2027-01-15")
    assert (shown["cancellation"]["state"], shown["cancellation"]["state_label"]) == ("approved", "解約済")
    change = await api.post(f"/contracts/{number}/amendment-application", headers=contractor_a.headers)
    assert change.status_code == 409 and change.json()["detail"] == f"保証契約 {number} は令和9年1月15日に解約されたため、変更申込はできません"
    assert (await api.post(path, json={"reason": "not_needed"}, headers=contractor_a.headers)).status_code == 409


async def test_a_bid_bond_cannot_be_cancelled(service, api, contractor_a, fake_issuance):
    number, _ = await issued(service, contractor_a, fake_issuance, product=Product.BID_BOND)
    answer = await api.post(f"/contracts/{number}/cancellation-request", json={"reason": "not_needed"}, headers=contractor_a.headers)
    assert answer.status_code == 409
    assert answer.json()["detail"] == "契約保証予約は解約の申込の対象外です。落札できなかった場合は、入札結果を登録してください"


async def test_with_a_send_password_the_request_needs_it(service, api, fake_issuance):
    name = "◇◇土木 株式会社"
    await create_company(name, "静岡県三島市北田町4-47", database_url=TEST_DATABASE_URL)
    await create_user(name, "hishi-clerk", "pass-hishi-clerk", "土木 三郎", database_url=TEST_DATABASE_URL)
    await set_send_password(name, "sousin-Hishi-1357", database_url=TEST_DATABASE_URL)
    login = await api.post("/auth/login", json={"login_id": "hishi-clerk", "password": "pass-hishi-clerk"})
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    company_id = await service.pool.fetchval("SELECT id FROM company WHERE name = $1", name)

    class Company:
        pass

    company = Company()
    company.company_id, company.name = company_id, name
    number, _ = await issued(service, company, fake_issuance)
    path = f"/contracts/{number}/cancellation-request"
    missing = await api.post(path, json={"reason": "not_needed"}, headers=headers)
    assert missing.status_code == 422
    assert missing.json()["problems"][0]["path"] == "send_password"
    assert "解約の申込には必須です" in missing.json()["problems"][0]["message"]
    wrong = await api.post(path, json={"reason": "not_needed", "send_password": "nope"}, headers=headers)
    assert wrong.status_code == 403 and wrong.json() == {"detail": "送信パスワードが正しくありません"}
    sent = await api.post(path, json={"reason": "not_needed", "send_password": "sousin-Hishi-1357"}, headers=headers)
    assert sent.status_code == 202, sent.text
    outbox = await service.pool.fetch("SELECT body FROM outbox WHERE routing_key = 'jp.esurety.cancellation.requested.v1'")
    assert not any(b"sousin-Hishi" in bytes(r["body"]) for r in outbox)  # never travels


async def test_the_three_pages_of_a_cancellation_request(service, app, contractor_b, fake_issuance):
    number, _ = await issued(service, contractor_b, fake_issuance, product=Product.CONTRACT_GUARANTEE, paper=True)
    client = await browser(app, "sankaku-b", "pass-sankaku-b")
    try:
        contract = await client.get(f"/portal/contracts/{number}")
        assert contract.status_code == 200 and "解約を申し込む" in contract.text
        form = await client.get(f"/portal/contracts/{number}/cancellation")
        assert form.status_code == 200
        parse_strictly(form.text)
        assert "全3ステップ中 1ステップ目：解約申込の入力" in form.text
        token = csrf(form.text)

        # 申込確認 with errors: summary and field, the page says what is wrong.
        checked = await client.post(f"/portal/contracts/{number}/cancellation/confirm",
                                    data={"csrftoken": token, "reason": "other", "reason_text": ""})
        assert checked.status_code == 422
        parse_strictly(checked.text)
        assert 'href="#reason_text"' in checked.text
        assert "解約の理由（詳細）を入力してください（解約の理由が「その他」の場合は必須です）" in checked.text
        assert "（reason_text）" not in checked.text

        confirm = await client.post(f"/portal/contracts/{number}/cancellation/confirm",
                                    data={"csrftoken": token, "reason": "contract_terminated", "reason_text": "工事中止の通知あり"})
        assert confirm.status_code == 200
        parse_strictly(confirm.text)
        assert "全3ステップ中 2ステップ目：申込確認" in confirm.text
        assert "契約解除（工事の中止）" in confirm.text and "工事中止の通知あり" in confirm.text
        assert "送信パスワード" not in confirm.text  # ▲▲工業 has none
        assert "保証証書（原本）の返却" in confirm.text  # a paper guarantee
        back = re.search(r'<form method="get" action="([^"]+)"', confirm.text).group(1)
        again = await client.get(back, params={"reason": "contract_terminated", "reason_text": "工事中止の通知あり"})
        assert 'value="contract_terminated" checked' in again.text and "工事中止の通知あり" in again.text

        sent = await client.post(f"/portal/contracts/{number}/cancellation",
                                 data={"csrftoken": token, "reason": "contract_terminated", "reason_text": "工事中止の通知あり"})
        assert sent.status_code == 303 and sent.headers["location"] == f"/portal/contracts/{number}/cancellation/done"
        done = await client.get(sent.headers["location"])
        assert done.status_code == 200
        parse_strictly(done.text)
        assert "全3ステップ中 3ステップ目：送信完了" in done.text and "確認中" in done.text
        contract = await client.get(f"/portal/contracts/{number}")
        assert "解約の申込を受け付けました（確認中）" in contract.text and "解約を申し込む</a>" not in contract.text
        twice = await client.post(f"/portal/contracts/{number}/cancellation",
                                  data={"csrftoken": token, "reason": "not_needed", "reason_text": ""})
        assert twice.status_code == 409 and "既に受け付けています" in twice.text
    finally:
        await client.aclose()
