"""保証期限: the default when none is entered, and the limits of an entered one.

Default: 工期末 (the end of the works); for a multi-year 前払金 (今年度対象額 given) the end of the fiscal
year (3/31) containing max(today, 工期 start), when earlier than 工期末; for a 契約保証予約 the 工期 start
(the reservation ends when the contract starts). Limits: 前払金・中間前払金 within 工期; 契約保証 covers
工期 (≥ 工期末); 契約保証予約 not before 入札日.
"""

from datetime import date
from typing import Any

from shared.events import Product
from shared.japanese import wareki
from services.application.domain.problems import Reader

WITHIN_PERIOD = frozenset({Product.ADVANCE_PAYMENT, Product.INTERMEDIATE_ADVANCE_PAYMENT})


def fiscal_year_end(day: date) -> date:
    """3/31 of the Japanese fiscal year (April to March) containing `day`."""
    return date(day.year + 1 if day.month >= 4 else day.year, 3, 31)


def default_expiry(p: dict[str, Any], start: date | None, end: date | None, today: date) -> date | None:
    if p["product"] is Product.BID_BOND:
        return start
    if end and start and p.get("fiscal_year_target_amount"):
        return min(end, fiscal_year_end(max(today, start)))
    return end


def check_expiry(reader: Reader, p: dict[str, Any], start: date | None, end: date | None, today: date) -> date | None:
    """The expiry to send (the entered one, else the default); a problem when the entered one is out of bounds."""
    entered: date | None = p.get("guarantee_expiry")
    if entered is None:
        return default_expiry(p, start, end, today)
    path = f"{p['product'].value}.guarantee_expiry"
    product = p["product"]
    if product in WITHIN_PERIOD and start and end and not start <= entered <= end:
        reader.add(path, "expiry_within_period", period_start=wareki(start), period_end=wareki(end))
    elif product is Product.CONTRACT_GUARANTEE and end and entered < end:
        reader.add(path, "expiry_covers_period", period_end=wareki(end))
    elif product is Product.BID_BOND and p.get("bid_date") and entered < p["bid_date"]:
        reader.add(path, "expiry_after_bid_date", bid_date=wareki(p["bid_date"]))
    return entered
