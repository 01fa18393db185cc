"""Reading single form values as entered: amounts (int yen), dates (20230320 or 2023-03-20),
choices, and the full-width text of 預託金融機関. Each reader returns the value or raises Invalid(rule)."""

import re
import unicodedata
from datetime import date
from typing import Any, TypeVar

import jaconv
from email_validator import EmailNotValidError, validate_email

from services.application.domain.messages import CHOICE_TEXT

T = TypeVar("T")


class Invalid(ValueError):
    """A value that breaks `rule`; `values` fill the rule's message."""

    def __init__(self, rule: str, **values: str) -> None:
        super().__init__(rule)
        self.rule = rule
        self.values = values


_DIGITS = re.compile(r"[0-9]{1,3}(,[0-9]{3})+|[0-9]+")
_COMPACT_DATE = re.compile(r"[0-9]{8}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Characters that are still narrow after conversion (East Asian Width H, Na or N) are refused.
_NARROW_WIDTHS = {"H", "Na", "N"}


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("text")
    return value.strip()


def amount(value: Any) -> int:
    """A positive whole number of yen: 20000000, "20000000" or "20,000,000"; never 1.5, "1.5" or True."""
    if isinstance(value, bool):
        raise Invalid("amount")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip().replace(",", ""))
    else:
        raise Invalid("amount")
    if number <= 0:
        raise Invalid("amount")
    return number


def a_date(value: Any) -> date:
    """The form's 20230320 or ISO 2023-03-20."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise Invalid("date")
    raw = value.strip()
    try:
        if _COMPACT_DATE.fullmatch(raw):
            return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        if _ISO_DATE.fullmatch(raw):
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise Invalid("date")


def choice(value: Any, options: dict[str, T], choices_key: str, *, booleans: bool = False) -> T | bool:
    """One of the form's options, by any of its accepted spellings (and true/false where `booleans`)."""
    if booleans and isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip() in options:
        return options[value.strip()]
    raise Invalid("choice", choices=CHOICE_TEXT[choices_key])


def flag(value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise Invalid("flag")
    return value


def full_width(value: str) -> str:
    """預託金融機関（全角）: half-width kana, ASCII letters, digits and spaces become full-width;
    anything that still is not full-width is refused. `ﾐｽﾞﾎ銀行 ｼﾌﾞﾔ支店` -> `ミズホ銀行　シブヤ支店`."""
    converted = jaconv.h2z(unicodedata.normalize("NFC", value.strip()), kana=True, ascii=True, digit=True)
    narrow = [c for c in converted if unicodedata.east_asian_width(c) in _NARROW_WIDTHS]
    if narrow:
        raise Invalid("full_width", chars="".join(dict.fromkeys(narrow)))
    return converted


def email(value: str) -> str:
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise Invalid("email") from exc
