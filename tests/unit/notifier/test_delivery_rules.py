"""When the completion email is sent, skipped, retried or given up."""

import uuid

from services.notifier.domain.delivery import Outcome, backoff_seconds, gave_up, outcome_for_code
from services.notifier.domain.model import Decision, Recipient, decide


def recipient(wanted: bool, email: str | None) -> Recipient:
    return Recipient(uuid.uuid4(), wanted, email, "○○建設 株式会社", "工事", "神奈川支店")


def test_decide():
    assert decide(recipient(True, "a@example.jp")) is Decision.SEND
    assert decide(recipient(False, "a@example.jp")) is Decision.SKIP_NOT_WANTED
    assert decide(recipient(False, None)) is Decision.SKIP_NOT_WANTED
    assert decide(recipient(True, None)) is Decision.SKIP_NO_ADDRESS
    assert decide(recipient(True, "")) is Decision.SKIP_NO_ADDRESS


def test_smtp_codes():
    assert outcome_for_code(421) is Outcome.RETRY
    assert outcome_for_code(451) is Outcome.RETRY
    assert outcome_for_code(None) is Outcome.RETRY  # connection refused, timeout
    assert outcome_for_code(550) is Outcome.FAIL
    assert outcome_for_code(554) is Outcome.FAIL


def test_backoff_doubles_up_to_the_cap():
    assert [backoff_seconds(n, base=30, cap=600) for n in (1, 2, 3, 4, 5, 6)] == [30, 60, 120, 240, 480, 600]
    assert backoff_seconds(40, base=30, cap=1800) == 1800


def test_gives_up_after_max_attempts():
    assert not gave_up(59, 60)
    assert gave_up(60, 60)
