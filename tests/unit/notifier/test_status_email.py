"""保証期間満了のお知らせ / 解約のお知らせ: subject, every field of the body, the contract's link, the same MIME as
the completion email, the orderer's sentence only for 電子保証, never a key."""

import email
import email.policy
import uuid
from datetime import date

import pytest

from services.notifier.adapters.mime import build_message
from services.notifier.adapters.status_templates import StatusEmailComposer
from services.notifier.domain.model import Recipient
from services.notifier.domain.status import StatusNotice

PORTAL = "https://netdesk.example.jp/portal/"


@pytest.fixture
def recipient() -> Recipient:
    return Recipient(
        application_id=uuid.uuid4(), wanted=True, email="soumu@ejcs.co.jp", contractor_name="髙﨑建設 株式会社",
        construction_name="河川維持（○○）工事", branch="神奈川支店",
    )


def composer() -> StatusEmailComposer:
    return StatusEmailComposer(portal_url=PORTAL, message_id_domain="netdesk.example.jp")


def notice(recipient, kind: str, *, electronic: bool = True) -> StatusNotice:
    return StatusNotice(
        contract_number="35072-00001M", kind=kind, application_id=recipient.application_id, product="advance_payment",
        electronic=electronic, ended_on=date(2027, 4, 1) if kind == "expired" else date(2027, 1, 15),
        guarantee_expiry=date(2027, 3, 31) if kind == "expired" else None,
    )


def test_the_expiry_email(recipient):
    mail = composer().compose(recipient, notice(recipient, "expired"))
    assert mail.subject == "【Net Desk】保証期間満了のお知らせ（35072-00001M）"
    assert mail.recipient == "soumu@ejcs.co.jp"
    for line in ("髙﨑建設 株式会社 様", "期間満了となりました", "工事名　　　　　：河川維持（○○）工事",
                 "商品（保証区分）：前払金保証（電子保証）", "保証契約番号　　：35072-00001M",
                 "保証期限　　　　：令和9年3月31日", "期間満了日　　　：令和9年4月1日",
                 f"{PORTAL}contracts/35072-00001M", "お申込みの神奈川支店まで", "「期間満了」と表示されます"):
        assert line in mail.body, line
    assert "認証キー" not in mail.body


def test_the_cancellation_email_and_paper(recipient):
    mail = composer().compose(recipient, notice(recipient, "cancelled", electronic=False))
    assert mail.subject == "【Net Desk】解約のお知らせ（35072-00001M）"
    assert "解約日　　　　　：令和9年1月15日" in mail.body and "（証書(紙)）" in mail.body
    assert "保証確認サービス" not in mail.body  # a paper guarantee is not on the platform
    message = build_message(mail_from="Net Desk <netdesk@example.jp>", to=mail.recipient, subject=mail.subject,
                            body=mail.body, message_id=mail.message_id)
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == mail.subject and "解約日" in parsed.get_body(("plain",)).get_content()


def test_no_address_no_email(recipient):
    with pytest.raises(ValueError):
        composer().compose(Recipient(**{**recipient.__dict__, "email": None}), notice(recipient, "expired"))
