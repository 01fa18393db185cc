"""The completion email 電子保証（認証キー）発行完了のお知らせ: every field, UTF-8 MIME, Date and Message-ID, never the key."""

import email
import email.policy
import re
import uuid
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import pytest

from services.notifier.adapters.mime import build_message
from services.notifier.adapters.templates import CompletionEmailComposer
from services.notifier.domain.model import Publication, Recipient

SUBJECT = "【Net Desk】電子保証（認証キー）発行完了のお知らせ"
MAIL_FROM = "東日本建設業保証 Net Desk <netdesk@example.jp>"
KEY = "Z28YUE4J3Bux"  # the seeds' sample 認証キー: must never appear in the email


@pytest.fixture
def recipient() -> Recipient:
    return Recipient(
        application_id=uuid.uuid4(),
        wanted=True,
        email="soumu@ejcs.co.jp",
        contractor_name="髙﨑建設 株式会社",  # characters ISO-2022-JP cannot carry
        construction_name="河川維持（○○）工事",
        branch="神奈川支店",
    )


@pytest.fixture
def publication(recipient) -> Publication:
    return Publication(
        application_id=recipient.application_id,
        contract_number="35072-00001M",
        version=0,
        version_label="新規",
        product="advance_payment",
        published_at=datetime(2022, 11, 1, 6, 0, tzinfo=timezone.utc),  # 15:00 JST
        construction_name="河川維持（○○）工事",
        orderer_name="川崎市長",
        contractor_name="髙﨑建設 株式会社",
    )


@pytest.fixture
def composer() -> CompletionEmailComposer:
    return CompletionEmailComposer(portal_url="https://netdesk.example.jp/", message_id_domain="example.jp")


def test_body_names_every_field(composer, recipient, publication):
    mail = composer.compose(recipient, publication)
    assert mail.subject == SUBJECT
    assert mail.recipient == "soumu@ejcs.co.jp"
    lines = mail.body.splitlines()
    assert lines[0] == "髙﨑建設 株式会社 様"
    assert "　工事名　　　　　：河川維持（○○）工事" in lines
    assert "　発注者名　　　　：川崎市長" in lines
    assert "　商品（保証区分）：前払金保証" in lines
    assert "　保証契約番号　　：35072-00001M" in lines
    assert "　電子保証発行日時：2022/11/01 15:00" in lines
    assert "　対象　　　　　　：新規" in lines
    assert "　Net Desk：https://netdesk.example.jp/" in lines
    assert "　この保証契約（ログイン後に表示）：https://netdesk.example.jp/contracts/35072-00001M" in lines
    for step in (
        "　①トップページの「保証契約一覧」をクリック",
        "　②「電子保証（認証キー）」タブを選択",
        "　③該当する保証契約の「詳細」をクリック",
        "　⑤「電子保証にかかる「認証キー」のお知らせ」（PDF）をダウンロード",
    ):
        assert step in lines
    assert "東日本建設業保証株式会社" in lines
    assert "※本件に関するお問い合わせは、お申込みの神奈川支店までお願いいたします。" in lines


def test_contract_guarantee_label(composer, recipient, publication):
    from dataclasses import replace

    mail = composer.compose(recipient, replace(publication, product="contract_guarantee", contract_number="35072-00001K"))
    assert "　商品（保証区分）：契約保証" in mail.body.splitlines()


def test_plain_text_is_not_html_escaped(composer, recipient, publication):
    from dataclasses import replace

    mail = composer.compose(replace(recipient, contractor_name="A&B <建設>"), publication)
    assert mail.body.startswith("A&B <建設> 様\n")


def test_body_never_carries_the_key(composer, recipient, publication):
    body = composer.compose(recipient, publication).body
    assert KEY not in body
    # Nothing that looks like a 12-character key (letters and digits, mixed case) at all.
    assert re.findall(r"(?<![A-Za-z0-9])[A-Za-z0-9]{12}(?![A-Za-z0-9])", body) == []


def test_message_id_is_made_once_per_email(composer, recipient, publication):
    first = composer.compose(recipient, publication).message_id
    second = composer.compose(recipient, publication).message_id
    assert re.fullmatch(r"<[^<>@\s]+@example\.jp>", first)
    assert first != second


def test_mime_is_utf8_and_decodes_back(composer, recipient, publication):
    mail = composer.compose(recipient, publication)
    message = build_message(
        mail_from=MAIL_FROM, to=mail.recipient, subject=mail.subject, body=mail.body, message_id=mail.message_id
    )
    raw = message.as_bytes()
    raw.decode("ascii")  # every header and the body are 7-bit on the wire (RFC 2047 + base64)
    assert b"iso-2022-jp" not in raw.lower()
    assert b"=?utf-8?" in raw
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["Subject"] == SUBJECT
    assert parsed["To"] == "soumu@ejcs.co.jp"
    assert parsed["From"].addresses[0].display_name == "東日本建設業保証 Net Desk"
    assert parsed["From"].addresses[0].addr_spec == "netdesk@example.jp"
    assert parsed["Message-ID"] == mail.message_id
    assert parsed.get_content_type() == "text/plain"
    assert parsed.get_content_charset() == "utf-8"
    assert parsed.get_content() == mail.body
    date = parsedate_to_datetime(parsed["Date"])
    assert date.utcoffset().total_seconds() == 9 * 3600
    assert abs((datetime.now(timezone.utc) - date).total_seconds()) < 60


@pytest.mark.parametrize("version", [1, 2, 12])
def test_a_change_says_so_in_the_subject(composer, recipient, publication, version):
    from dataclasses import replace

    label = f"変更-{version}"
    mail = composer.compose(recipient, replace(publication, version=version, version_label=label))
    assert mail.subject == f"【Net Desk】電子保証（認証キー）変更発行完了のお知らせ（{label}）"
    assert "\n" not in mail.subject
    assert f"　対象　　　　　　：{label}" in mail.body.splitlines()
    assert KEY not in mail.subject + mail.body
    assert re.findall(r"(?<![A-Za-z0-9])[A-Za-z0-9]{12}(?![A-Za-z0-9])", mail.body) == []


def test_a_new_certificate_keeps_its_subject(composer, recipient, publication):
    assert composer.compose(recipient, publication).subject == SUBJECT  # 新規: no 変更 in it
