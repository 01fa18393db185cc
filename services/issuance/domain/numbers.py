"""保証契約番号 `DDDDD-DDDDDL`: branch code (3) + year (2), hyphen, serial (5), category letter.

(ours) The year is the last two digits of the Western calendar year of issue (JST). Serials run per
prefix and letter (00001K and 00001Y coexist in the seeds), come from a database sequence, and are
never reused; a gap (a rolled-back issue) is fine.
"""

import re
from datetime import date
from enum import StrEnum

from shared.events import Product

CONTRACT_NUMBER = re.compile(r"^\d{5}-\d{5}[MCKY]$")
MAX_SERIAL = 99_999


class Category(StrEnum):
    ADVANCE_PAYMENT = "M"  # 前払金保証
    INTERMEDIATE_ADVANCE_PAYMENT = "C"  # 中間前払金保証
    CONTRACT_GUARANTEE = "K"  # 契約保証
    BID_BOND = "Y"  # 契約保証予約 / 入札ボンド


CATEGORY_OF = {
    Product.ADVANCE_PAYMENT: Category.ADVANCE_PAYMENT,
    Product.INTERMEDIATE_ADVANCE_PAYMENT: Category.INTERMEDIATE_ADVANCE_PAYMENT,
    Product.CONTRACT_GUARANTEE: Category.CONTRACT_GUARANTEE,
    Product.BID_BOND: Category.BID_BOND,
}


def number_prefix(branch_code: str, issued_on: date) -> str:
    if not re.fullmatch(r"\d{3}", branch_code):
        raise ValueError(f"a branch code has three digits, not {branch_code!r}")
    return f"{branch_code}{issued_on.year % 100:02d}"


def contract_number(prefix: str, serial: int, category: Category) -> str:
    if not 1 <= serial <= MAX_SERIAL:
        raise ValueError(f"serial {serial} out of range 1..{MAX_SERIAL} for prefix {prefix}")
    number = f"{prefix}-{serial:05d}{category.value}"
    if not CONTRACT_NUMBER.match(number):
        raise ValueError(f"malformed contract number {number!r}")
    return number


def sequence_name(prefix: str, category: Category) -> str:
    """The PostgreSQL sequence that hands out the serials of one prefix and letter."""
    if not re.fullmatch(r"\d{5}", prefix):
        raise ValueError(f"a number prefix has five digits, not {prefix!r}")
    return f"contract_serial_{prefix}_{category.value.lower()}"
