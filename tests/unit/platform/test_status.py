"""期間満了 / 解約 as the orderer reads them: the label with its date, the note above the certificate, and the
保証確認台帳: an ended certificate is never 期限間近, and the filters find it."""

from datetime import date, datetime, timezone

from services.platform.domain.status import Ending
from services.platform.handlers.register import RegisterFilter, _matches, _row
from tests.samples import sample_certificate_content


def test_labels_and_notes():
    expired = Ending("expired", date(2027, 4, 1))
    assert expired.label == "期間満了（令和9年4月1日）"
    assert expired.note == (
        "この保証は保証期限（令和9年3月31日）を過ぎたため、令和9年4月1日に期間満了となりました。表示している保証証書は期間満了前の内容です。"
    )
    cancelled = Ending("cancelled", date(2027, 1, 15))
    assert cancelled.label == "解約（令和9年1月15日）"
    assert cancelled.note.startswith("この保証は令和9年1月15日に解約されました。")


def _record(expiry: date) -> dict:
    now = datetime(2027, 3, 20, tzinfo=timezone.utc)
    content = sample_certificate_content(guarantee_expiry=expiry, period_end=expiry)
    return {
        "contract_number": "35072-00001M", "content": content.model_dump(mode="json"), "latest_label": "新規",
        "latest_arrived_at": now, "first_viewed_at": now, "first_by_name": "契約課 山田", "first_by_login": "k",
        "last_viewed_at": now, "last_by_name": "契約課 山田", "last_by_login": "k", "latest_version": 0,
        "last_viewed_version": 0, "decision": None, "decision_reason": None,
    }


def test_an_ended_certificate_is_not_expiring_soon():
    record = _record(date(2027, 3, 31))
    today = date(2027, 3, 25)
    assert _row(record, today).expiring  # within 30 days, in force
    ended = _row(record, today, Ending("cancelled", date(2027, 3, 24)))
    assert not ended.expiring and ended.ending.label == "解約（令和9年3月24日）"
    expired = _row(record, date(2027, 4, 2), Ending("expired", date(2027, 4, 1)))
    assert not expired.expiring
    assert _matches(expired, RegisterFilter(status="expired")) and not _matches(expired, RegisterFilter(status="cancelled"))
    assert _matches(ended, RegisterFilter(status="cancelled")) and not _matches(ended, RegisterFilter(status="expiring"))
    assert not _matches(_row(record, today), RegisterFilter(status="expired"))
