"""Guessing throttles with a delay that grows (logins): a few failures are free, then each further
failure inside the window doubles the wait, up to a cap, so nobody is locked out for good and a
guesser gets a handful of tries an hour instead of hundreds a minute."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class GrowingDelay:
    free_failures: int = 5  # failures inside the window before any wait
    base_seconds: int = 30  # the first wait; doubled by each further failure
    cap_seconds: int = 900  # never longer than this after the last failure
    window_seconds: int = 900  # failures older than this are forgotten

    def retry_after(self, failures: list[datetime], now: datetime) -> int | None:
        """Seconds to wait before the next attempt, or None when one is allowed now."""
        recent = [moment for moment in failures if moment > now - timedelta(seconds=self.window_seconds)]
        if len(recent) < self.free_failures:
            return None
        excess = len(recent) - self.free_failures
        delay = min(self.base_seconds * 2 ** min(excess, 20), self.cap_seconds)
        wait = (max(recent) + timedelta(seconds=delay) - now).total_seconds()
        return math.ceil(wait) if wait > 0 else None


# Guessing one user's password: 5 free failures in 15 minutes, then 30 s, 60 s, … up to 15 minutes.
LOGIN_THROTTLE = GrowingDelay(free_failures=5, base_seconds=30, cap_seconds=900, window_seconds=900)
# From one address (many ids tried, or an office behind one NAT): more room before any wait.
SOURCE_THROTTLE = GrowingDelay(free_failures=30, base_seconds=30, cap_seconds=900, window_seconds=900)


def login_wait(by_login: list[datetime], by_source: list[datetime], now: datetime) -> int | None:
    """Seconds before the next login attempt for this id from this address, or None when allowed."""
    waits = [w for w in (LOGIN_THROTTLE.retry_after(by_login, now), SOURCE_THROTTLE.retry_after(by_source, now)) if w]
    return max(waits) if waits else None
