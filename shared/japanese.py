"""Japanese formatting for documents and screens: 和暦 dates, yen amounts, JST times."""

from datetime import date, datetime, timedelta, timezone

from japanera import EraDate

JST = timezone(timedelta(hours=9), "JST")


def wareki(d: date, *, zero_pad: bool = False) -> str:
    """令和元年10月1日; with zero_pad (as on certificates) 令和04年04月27日. The first year is always 元年."""
    era = EraDate.from_date(d).era
    year = d.year - era.since.year + 1
    if year == 1:
        year_text = "元"
    else:
        year_text = f"{year:02d}" if zero_pad else str(year)
    if zero_pad:
        return f"{era.kanji}{year_text}年{d.month:02d}月{d.day:02d}日"
    return f"{era.kanji}{year_text}年{d.month}月{d.day}日"


def yen(amount: int) -> str:
    """20,000,000 円"""
    return f"{amount:,} 円"


def thousand_yen(amount_in_thousands: int) -> str:
    """Bid amounts on the form are in 千円."""
    return f"{amount_in_thousands:,} 千円"


def jst_minute(moment: datetime) -> str:
    """電子保証発行日時 as shown: 2022/11/01 15:00 (Japan time)."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no place to be shown in JST")
    return moment.astimezone(JST).strftime("%Y/%m/%d %H:%M")


def percent(numerator: int, denominator: int) -> str:
    """Ratio shown beside an amount on the form, one decimal, truncated (0.0%)."""
    if denominator <= 0:
        return "-"
    tenths = numerator * 1000 // denominator
    return f"{tenths // 10}.{tenths % 10}%"


def jst_wareki_minute(moment: datetime) -> str:
    """A moment as printed on a viewing record: 令和8年12月2日 10:15 (Japan time)."""
    local = moment.astimezone(JST)
    return f"{wareki(local.date())} {local:%H:%M}"


def wait_text(seconds: int) -> str:
    """How long to wait, as a person reads it: 30秒 / 2分 / 15分 (minutes rounded up)."""
    if seconds < 60:
        return f"{seconds}秒"
    return f"{-(-seconds // 60)}分"
