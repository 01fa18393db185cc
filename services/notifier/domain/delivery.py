"""What to do after an SMTP attempt: SMTP has no retry of its own (FIELD-NOTES), so the notifier retries.

4xx and connection problems are transient (retry later, with exponential backoff);
5xx is permanent (the message is marked failed and kept with its error).
"""

from enum import StrEnum


class Outcome(StrEnum):
    RETRY = "retry"
    FAIL = "fail"


def outcome_for_code(code: int | None) -> Outcome:
    """`None` = no SMTP reply at all (connection refused, timeout, disconnect): transient."""
    if code is not None and 500 <= code < 600:
        return Outcome.FAIL
    return Outcome.RETRY


def backoff_seconds(attempts: int, *, base: float, cap: float) -> float:
    """Delay before the next attempt after `attempts` failed ones: base, 2·base, 4·base … at most cap."""
    return min(cap, base * 2 ** max(attempts - 1, 0))


def gave_up(attempts: int, max_attempts: int) -> bool:
    return attempts >= max_attempts
