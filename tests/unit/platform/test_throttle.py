from datetime import datetime, timedelta, timezone

from services.platform.domain.throttle import retry_after

NOW = datetime(2024, 1, 1, 12, 0, tzinfo=timezone.utc)
RULE = {"max_failures": 5, "window_seconds": 900}


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


def test_four_failures_still_allow_a_lookup():
    assert retry_after([ago(10 * i) for i in range(4)], NOW, **RULE) is None


def test_the_fifth_failure_blocks_until_the_oldest_leaves_the_window():
    failures = [ago(600), ago(400), ago(300), ago(200), ago(100)]
    assert retry_after(failures, NOW, **RULE) == 300


def test_failures_outside_the_window_do_not_count():
    failures = [ago(901), ago(950), ago(100), ago(50), ago(10)]
    assert retry_after(failures, NOW, **RULE) is None


def test_more_failures_than_the_limit_wait_for_enough_of_them():
    failures = [ago(800), ago(700), ago(600), ago(500), ago(400), ago(300)]
    # Two must leave the window: the second oldest leaves in 900 - 700 = 200 s.
    assert retry_after(failures, NOW, **RULE) == 200


def test_never_less_than_a_second():
    failures = [ago(899.9), ago(4), ago(3), ago(2), ago(1)]
    assert retry_after(failures, NOW, **RULE) == 1
