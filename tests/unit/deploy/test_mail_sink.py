"""The embedded SMTP sink keeps each received message as an .eml file, in arrival order."""

import email
import email.policy
from email.message import EmailMessage

import aiosmtplib

from deploy.mail_sink import MailSink
from tests.conftest import free_port


def completion_email(to: str, number: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "東日本建設業保証 Net Desk <netdesk@example.jp>"
    message["To"] = to
    message["Subject"] = "電子保証（認証キー）発行完了のお知らせ"
    message.set_content(f"保証契約番号 {number} の電子保証を発行しました。㈱髙﨑建設 様")
    return message


async def test_each_message_is_written_as_an_eml_file_in_arrival_order(tmp_path):
    port = free_port()
    with MailSink(tmp_path / "mail", port=port) as sink:
        for n, number in enumerate(["35072-00001M", "35072-00001K"]):
            await aiosmtplib.send(completion_email(f"user{n}@example.jp", number), hostname="127.0.0.1", port=port)
        files = sink.messages()

    assert [f.suffix for f in files] == [".eml", ".eml"]
    assert files == sorted(files)
    assert not list((tmp_path / "mail").glob("*.part"))
    first = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    second = email.message_from_bytes(files[1].read_bytes(), policy=email.policy.default)
    assert first["Subject"] == "電子保証（認証キー）発行完了のお知らせ"
    assert first["To"] == "user0@example.jp"
    assert first["X-Envelope-To"] == "user0@example.jp"
    assert "35072-00001M" in first.get_content()
    assert "㈱髙﨑建設" in first.get_content()
    assert "35072-00001K" in second.get_content()


async def test_stop_closes_the_port(tmp_path):
    port = free_port()
    sink = MailSink(tmp_path, port=port).start()
    assert sink.running
    sink.stop()
    assert not sink.running
    try:
        await aiosmtplib.send(completion_email("x@example.jp", "1"), hostname="127.0.0.1", port=port, timeout=2)
    except aiosmtplib.SMTPConnectError:
        pass
    else:
        raise AssertionError("the sink still accepted mail after stop()")
    assert sink.messages() == []
