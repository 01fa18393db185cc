"""The amount ratios shown beside the amounts on the form, and the ceilings/floors they must respect:
前払金保証金額 ≤ 40% of 請負金額 (or of 今年度対象額, itself ≤ 請負金額); 10% ≤ 契約保証金額 ≤ 請負金額.

Each rule returns the ratio (or None when it cannot be computed yet) and its breaches as
(path, rule, message values).
"""

from typing import Any

from shared.japanese import percent
from services.application.domain.messages import BASIS_LABELS

ADVANCE_PAYMENT_CEILING = (4, 10)  # 前払金 ≤ 40%
CONTRACT_GUARANTEE_FLOOR = (1, 10)  # 契約保証 ≥ 10%

Breach = tuple[str, str, dict[str, str]]


def ratio(amount: int, against: str, against_amount: int) -> dict[str, Any]:
    return {
        "percent": percent(amount, against_amount),
        "against": against,
        "against_label": BASIS_LABELS[against],
        "amount": amount,
        "against_amount": against_amount,
    }


def advance_payment(
    amount: int | None, contract_amount: int | None, target: int | None
) -> tuple[dict[str, Any] | None, list[Breach]]:
    breaches: list[Breach] = []
    if target and contract_amount and target > contract_amount:
        breaches.append(("advance_payment.fiscal_year_target_amount", "fiscal_year_target_within_contract", {}))
    against, base = ("fiscal_year_target_amount", target) if target else ("contract_amount", contract_amount)
    if not (amount and base):
        return None, breaches
    r = ratio(amount, against, base)
    numerator, denominator = ADVANCE_PAYMENT_CEILING
    if amount * denominator > base * numerator:
        fill = {"basis": BASIS_LABELS[against], "percent": r["percent"]}
        breaches.append(("advance_payment.guaranteed_amount", "advance_payment_ceiling", fill))
    return r, breaches


def contract_guarantee(amount: int | None, contract_amount: int | None) -> tuple[dict[str, Any] | None, list[Breach]]:
    if not (amount and contract_amount):
        return None, []
    r = ratio(amount, "contract_amount", contract_amount)
    numerator, denominator = CONTRACT_GUARANTEE_FLOOR
    path = "contract_guarantee.guaranteed_amount"
    if amount * denominator < contract_amount * numerator:
        return r, [(path, "contract_guarantee_floor", {"percent": r["percent"]})]
    if amount > contract_amount:
        return r, [(path, "contract_guarantee_ceiling", {"percent": r["percent"]})]
    return r, []
