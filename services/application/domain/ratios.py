"""The amount ratios shown beside the amounts on the form, and the ceilings/floors they must respect:
前払金保証金額 ≤ 40% of 請負金額 (or of 今年度対象額, itself ≤ 請負金額), ≤ 20% after a low bid;
中間前払金保証金額 ≤ 20% of 請負金額 and, with its 前払金, ≤ 60%;
10% ≤ 契約保証金額 ≤ 請負金額 (≥ 30% after a low bid); 10% of 入札金額 ≤ 契約保証予約金額 ≤ 入札金額.

Each rule returns the ratio (or None when it cannot be computed yet) and its breaches as
(path, rule, message values). Limits are fractions of ints, never floats.
"""

from typing import Any

from shared.japanese import percent, yen
from services.application.domain.messages import BASIS_LABELS

ADVANCE_PAYMENT_CEILING = (4, 10)  # 前払金 ≤ 40%
LOW_BID_ADVANCE_PAYMENT_CEILING = (2, 10)  # 低入札: 前払金 ≤ 20%
INTERMEDIATE_CEILING = (2, 10)  # 中間前払金 ≤ 20%
ADVANCES_TOTAL_CEILING = (6, 10)  # 前払金 + 中間前払金 ≤ 60%
CONTRACT_GUARANTEE_FLOOR = (1, 10)  # 契約保証 ≥ 10%
LOW_BID_CONTRACT_GUARANTEE_FLOOR = (3, 10)  # 低入札: 契約保証 ≥ 30%
BID_BOND_FLOOR = (1, 10)  # 契約保証予約 ≥ 10% of 入札金額

Breach = tuple[str, str, dict[str, str]]
Limit = tuple[int, int]


def ratio(amount: int, against: str, against_amount: int) -> dict[str, Any]:
    return {
        "percent": percent(amount, against_amount),
        "against": against,
        "against_label": BASIS_LABELS[against],
        "amount": amount,
        "against_amount": against_amount,
    }


def _over(amount: int, base: int, limit: Limit) -> bool:
    numerator, denominator = limit
    return amount * denominator > base * numerator


def _over_text(amount: int, base: int, limit: Limit) -> str:
    """The ratio of an amount over its ceiling, as the message shows it. The shown ratio is truncated to
    one decimal, so 20,005,000 of 50,000,000 shows 40.0%: then say 「40.0%超」, never a bare 40.0%."""
    numerator, denominator = limit
    shown = percent(amount, base)
    if amount * 1000 // base <= numerator * 1000 // denominator:
        return shown + "超"
    return shown


def _under(amount: int, base: int, limit: Limit) -> bool:
    numerator, denominator = limit
    return amount * denominator < base * numerator


def advance_payment(
    amount: int | None, contract_amount: int | None, target: int | None, *, low_bid: bool = False
) -> tuple[dict[str, Any] | None, list[Breach]]:
    breaches: list[Breach] = []
    if target and contract_amount and target > contract_amount:
        breaches.append(("advance_payment.fiscal_year_target_amount", "fiscal_year_target_within_contract", {}))
    against, base = ("fiscal_year_target_amount", target) if target else ("contract_amount", contract_amount)
    if not (amount and base):
        return None, breaches
    r = ratio(amount, against, base)
    ceiling, rule = (
        (LOW_BID_ADVANCE_PAYMENT_CEILING, "advance_payment_ceiling_low_bid")
        if low_bid
        else (ADVANCE_PAYMENT_CEILING, "advance_payment_ceiling")
    )
    if _over(amount, base, ceiling):
        fill = {"basis": BASIS_LABELS[against], "percent": _over_text(amount, base, ceiling)}
        breaches.append(("advance_payment.guaranteed_amount", rule, fill))
    return r, breaches


def intermediate(amount: int | None, contract_amount: int | None) -> tuple[dict[str, Any] | None, list[Breach]]:
    if not (amount and contract_amount):
        return None, []
    r = ratio(amount, "contract_amount", contract_amount)
    if _over(amount, contract_amount, INTERMEDIATE_CEILING):
        path = "intermediate_advance_payment.guaranteed_amount"
        return r, [(path, "intermediate_ceiling", {"percent": _over_text(amount, contract_amount, INTERMEDIATE_CEILING)})]
    return r, []


def advances_total(
    amount: int | None, contract_amount: int | None, parent_number: str, parent_amount: int
) -> tuple[dict[str, Any] | None, list[Breach]]:
    """前払金 (already issued, `parent_number`) + this 中間前払金, against 請負金額."""
    if not (amount and contract_amount):
        return None, []
    r = ratio(parent_amount + amount, "contract_amount", contract_amount)
    if _over(parent_amount + amount, contract_amount, ADVANCES_TOTAL_CEILING):
        total = _over_text(parent_amount + amount, contract_amount, ADVANCES_TOTAL_CEILING)
        fill = {"number": parent_number, "parent_amount": yen(parent_amount), "percent": total}
        return r, [("intermediate_advance_payment.guaranteed_amount", "advance_total_ceiling", fill)]
    return r, []


def contract_guarantee(
    amount: int | None, contract_amount: int | None, *, low_bid: bool = False
) -> tuple[dict[str, Any] | None, list[Breach]]:
    if not (amount and contract_amount):
        return None, []
    r = ratio(amount, "contract_amount", contract_amount)
    path = "contract_guarantee.guaranteed_amount"
    floor, rule = (
        (LOW_BID_CONTRACT_GUARANTEE_FLOOR, "contract_guarantee_floor_low_bid")
        if low_bid
        else (CONTRACT_GUARANTEE_FLOOR, "contract_guarantee_floor")
    )
    if _under(amount, contract_amount, floor):
        return r, [(path, rule, {"percent": r["percent"]})]
    if amount > contract_amount:
        return r, [(path, "contract_guarantee_ceiling", {"percent": _over_text(amount, contract_amount, (1, 1))})]
    return r, []


def bid_bond(amount: int | None, bid_amount: int | None) -> tuple[dict[str, Any] | None, list[Breach]]:
    if not (amount and bid_amount):
        return None, []
    r = ratio(amount, "bid_amount", bid_amount)
    path = "bid_bond.guaranteed_amount"
    if _under(amount, bid_amount, BID_BOND_FLOOR):
        return r, [(path, "bid_bond_floor", {"percent": r["percent"]})]
    if amount > bid_amount:
        return r, [(path, "bid_bond_ceiling", {"percent": _over_text(amount, bid_amount, (1, 1))})]
    return r, []
