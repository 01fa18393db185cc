"""The login throttle's growing delay: free failures, doubling waits, a cap, forgetting old failures."""

from datetime import datetime, timedelta, timezone

from shared.throttle import GrowingDelay, login_wait

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
RULE = GrowingDelay(free_failures=5, base_seconds=30, cap_seconds=900, window_seconds=900)


def failures(n: int, last_seconds_ago: float = 0) -> list[datetime]:
    last = NOW - timedelta(seconds=last_seconds_ago)
    return [last - timedelta(seconds=i) for i in range(n)]


def test_free_failures_then_a_wait_that_doubles():
    assert RULE.retry_after(failures(4), NOW) is None
    assert RULE.retry_after(failures(5), NOW) == 30
    assert RULE.retry_after(failures(6), NOW) == 60
    assert RULE.retry_after(failures(7), NOW) == 120


def test_the_wait_is_capped_and_counts_from_the_last_failure():
    assert RULE.retry_after(failures(40), NOW) == 900
    assert RULE.retry_after(failures(5, last_seconds_ago=20), NOW) == 10
    assert RULE.retry_after(failures(5, last_seconds_ago=31), NOW) is None


def test_old_failures_are_forgotten():
    assert RULE.retry_after(failures(10, last_seconds_ago=901), NOW) is None


def test_login_wait_takes_the_longer_of_the_id_and_the_address():
    assert login_wait(failures(6), failures(3), NOW) == 60
    assert login_wait(failures(2), failures(31), NOW) == 60
    assert login_wait(failures(2), failures(3), NOW) is None
