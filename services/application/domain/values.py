"""Reading single form values as entered: amounts (int yen, or 千円 for bids), counts, dates
(20230320 or 2023-03-20), date-times (JST when no offset), choices, 郵便番号, 保証契約番号 and the
full-width text of 預託金融機関. Each reader returns the value or raises Invalid(rule)."""

import re
import unicodedata
from datetime import date, datetime
from typing import Any, TypeVar

import jaconv
from email_validator import EmailNotValidError, validate_email

from services.application.domain.messages import CHOICE_TEXT
from shared import text_policy
from shared.events.bounds import MAX_COUNT, MAX_THOUSAND_YEN, MAX_YEN
from shared.japanese import JST, yen

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
_SLASH_DATE = re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})")
_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?([+-][0-9]{2}:?[0-9]{2}|Z)?")
_POSTAL_CODE = re.compile(r"([0-9]{3})-?([0-9]{4})")
_CONTRACT_NUMBER = re.compile(r"[0-9]{5}-[0-9]{5}[A-Z]")
# Characters that are still narrow after conversion (East Asian Width H, Na or N) are refused.
_NARROW_WIDTHS = {"H", "Na", "N"}


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("text")
    return value.strip()


def free_text(max_length: int, *, multiline: bool = False):
    """A reader of text printed on a certificate or sent in an email: NFC, at most `max_length` characters,
    only characters of the one policy (shared.text_policy: JIS characters the certificate fonts draw)."""

    def read(value: Any) -> str:
        typed = text_policy.normalise(text(value), multiline=multiline)
        if len(typed) > max_length:
            raise Invalid("too_long", max_length=str(max_length), length=str(len(typed)))
        if refused := text_policy.refused_characters(typed, multiline=multiline):
            raise Invalid("characters", chars=text_policy.describe(refused))
        return typed

    return read


def _ascii_digits(value: str) -> str:
    """Full-width digits and commas as typed on a Japanese keyboard (２０，０００，０００) become ASCII."""
    return unicodedata.normalize("NFKC", value).strip()


def _whole_number(value: Any, rule: str, **fill: str) -> int:
    """20000000, "20000000", "20,000,000" or "２０，０００，０００"; never 1.5, "1.5" or True."""
    if isinstance(value, bool):
        raise Invalid(rule, **fill)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(digits := _ascii_digits(value)):
        return int(digits.replace(",", ""))
    raise Invalid(rule, **fill)


def amount(value: Any) -> int:
    """A positive whole number of yen, at most MAX_YEN (what every service can store)."""
    number = _whole_number(value, "amount")
    if number <= 0:
        raise Invalid("amount")
    if number > MAX_YEN:
        raise Invalid("amount_ceiling", maximum=yen(MAX_YEN))
    return number


def thousand_yen(value: Any) -> int:
    """A bid amount of 入札の状況, a positive whole number of 千円."""
    number = _whole_number(value, "thousand_yen")
    if number <= 0:
        raise Invalid("thousand_yen")
    if number > MAX_THOUSAND_YEN:
        raise Invalid("thousand_yen_ceiling", maximum=f"{MAX_THOUSAND_YEN:,}")
    return number


def count(minimum: int):
    """A reader of whole counts ≥ minimum (入札回数 ≥ 1, 参加者数 ≥ 0)."""

    def read(value: Any) -> int:
        number = _whole_number(value, "count", minimum=str(minimum), maximum=str(MAX_COUNT))
        if number < minimum or number > MAX_COUNT:
            raise Invalid("count", minimum=str(minimum), maximum=str(MAX_COUNT))
        return number

    return read


def a_date(value: Any) -> date:
    """The form's 20230320, ISO 2023-03-20 or 2023/03/20 (2023/3/20), full-width digits too."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise Invalid("date")
    raw = _ascii_digits(value)
    try:
        if _COMPACT_DATE.fullmatch(raw):
            return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        if _ISO_DATE.fullmatch(raw):
            return date.fromisoformat(raw)
        if slash := _SLASH_DATE.fullmatch(raw):
            return date(int(slash[1]), int(slash[2]), int(slash[3]))
    except ValueError:
        pass
    raise Invalid("date")


def a_datetime(value: Any) -> datetime:
    """来店予定日時: 2023-04-10 14:00 (Japan time) or with its offset, 2023-04-10T14:00+09:00."""
    if not isinstance(value, str) or not _DATE_TIME.fullmatch(value.strip()):
        raise Invalid("datetime")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise Invalid("datetime") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=JST)


def postal_code(value: Any) -> str:
    """〒: 1234567, １２３－４５６７ or 〒123-4567 become 123-4567."""
    if not isinstance(value, str):
        raise Invalid("postal_code")
    match = _POSTAL_CODE.fullmatch(unicodedata.normalize("NFKC", value).strip().removeprefix("〒").strip())
    if not match:
        raise Invalid("postal_code")
    return f"{match[1]}-{match[2]}"


def contract_number(value: Any) -> str:
    """保証契約番号 DDDDD-DDDDDL, e.g. 37071-00000M (full-width digits are accepted)."""
    if not isinstance(value, str):
        raise Invalid("contract_number")
    number = unicodedata.normalize("NFKC", value).strip().upper()
    if not _CONTRACT_NUMBER.fullmatch(number):
        raise Invalid("contract_number")
    return number


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
    anything that still is not full-width, or is outside the character policy (an emoji), is refused.
    `ﾐｽﾞﾎ銀行 ｼﾌﾞﾔ支店` -> `ミズホ銀行　シブヤ支店`."""
    converted = jaconv.h2z(text_policy.normalise(value.strip()), kana=True, ascii=True, digit=True)
    refused = [
        c for c in converted if unicodedata.east_asian_width(c) in _NARROW_WIDTHS or not text_policy.accepted(c)
    ]
    if refused:
        raise Invalid("full_width", chars=text_policy.describe(list(dict.fromkeys(refused))))
    return converted


def email(value: str) -> str:
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise Invalid("email") from exc
