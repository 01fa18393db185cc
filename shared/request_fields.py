"""Field types of the HTTP edges' request models and query parameters: every text has a bound and no
character PostgreSQL cannot store; dates are dates as people write them, never a number.

Their errors carry our own pydantic error types (text_nul, text_characters, date_format), which
shared.request_errors turns into Japanese naming the field and the rule.
"""

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

from shared import text_policy

_DATE = re.compile(r"([0-9]{4})-?([0-9]{2})-?([0-9]{2})")


def _storable(value: str) -> str:
    if not text_policy.storable(value) or any(ord(c) < 0x20 or c == "\x7f" for c in value):
        raise PydanticCustomError("text_nul", "control characters (NUL …) are not accepted")
    return value


def _printable(value: str) -> str:
    refused = text_policy.refused_characters(text_policy.normalise(value))
    if refused:
        raise PydanticCustomError(
            "text_characters", "characters outside the policy: {chars}", {"chars": text_policy.describe(refused)}
        )
    return text_policy.normalise(value)


def Text(max_length: int) -> Any:  # noqa: N802 (a type factory, used like a type)
    """A bounded single-line text without control characters (a login id, a password, a search word)."""
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_storable)]


def PrintedText(max_length: int) -> Any:  # noqa: N802
    """A bounded text in the one character policy (shared.text_policy): it may reach a page or a PDF."""
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_printable)]


def _a_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not (match := _DATE.fullmatch(value.strip())):
        raise PydanticCustomError("date_format", "a date such as 2023-03-20 is expected")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise PydanticCustomError("date_value", "no such date") from None


# 2023-03-20 or 20230320 (not 0, which pydantic alone would read as 1970-01-01).
Date = Annotated[date, BeforeValidator(_a_date)]
