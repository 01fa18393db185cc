"""The lookup throttling rule: after `max_failures` failed checks within `window_seconds`, refuse
every lookup (even with the right key) until enough of those failures have left the window."""

import math
from datetime import datetime, timedelta


def retry_after(failures: list[datetime], now: datetime, *, max_failures: int, window_seconds: int) -> int | None:
    """Seconds to wait before the next lookup is allowed, or None when it is allowed now."""
    window = timedelta(seconds=window_seconds)
    recent = sorted(moment for moment in failures if moment > now - window)
    if len(recent) < max_failures:
        return None
    # Allowed again once only max_failures - 1 failures remain inside the window.
    releasing = recent[len(recent) - max_failures]
    return max(1, math.ceil((releasing + window - now).total_seconds()))
