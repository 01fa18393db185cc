"""中間前払金保証: filed later, against an issued 前払金保証 of the same company, orderer and 工事名;
at most one per 前払金保証; and normally after half of 工期 has elapsed (else the orderer's 認定)."""

from datetime import date, timedelta
from typing import Any

from shared.events import PRODUCT_LABELS, Product
from shared.japanese import wareki
from services.application.domain.context import ExistingContract, FormContext
from services.application.domain import values
from services.application.domain.problems import Reader, lookup

PATH = "intermediate_advance_payment"
NUMBER_PATH = f"{PATH}.advance_payment_contract_number"
LAPSED = "lapsed"


def named_parent(form: Any) -> str | None:
    """The 前払金保証 a form's 中間前払金 names, read as validation reads it (None: none, or not a number), so
    that the context holds only it and the 中間前払金保証 already filed on it, not the company's history."""
    value = lookup(form, NUMBER_PATH) if isinstance(form, dict) else None
    try:
        return values.contract_number(value) if not values.is_blank(value) else None
    except values.Invalid:
        return None


def find_parent(
    reader: Reader,
    number: str | None,
    contract: dict[str, Any],
    context: FormContext | None,
    *,
    amending: str | None = None,
) -> ExistingContract | None:
    """The 前払金保証 it adds to, when it qualifies (without a context there is nothing to check against).
    `amending`: the 中間前払金保証 a 変更申込 changes (it is the parent's one, not another)."""
    if context is None or number is None:
        return None
    parent = context.contracts.get(number)
    if parent is None:
        reader.add(NUMBER_PATH, "parent_not_found", number=number)
        return None
    if parent.product is not Product.ADVANCE_PAYMENT:
        reader.add(NUMBER_PATH, "parent_not_advance_payment", number=number, product=PRODUCT_LABELS[parent.product])
        return None
    if parent.status == LAPSED:
        reader.add(NUMBER_PATH, "parent_lapsed", number=number)
        return None
    same_works = (parent.orderer_code, parent.construction_name) == (
        contract["orderer_code"],
        contract["construction_name"],
    )
    if not same_works:
        reader.add(
            NUMBER_PATH,
            "parent_other_contract",
            number=number,
            construction_name=parent.construction_name,
            orderer_code=parent.orderer_code,
        )
        return None
    existing = [
        c.contract_number
        for c in context.contracts.values()
        if c.advance_payment_contract_number == number and c.status != LAPSED and c.contract_number != amending
    ]
    if existing:
        reader.add(NUMBER_PATH, "intermediate_exists", number=number, existing="、".join(sorted(existing)))
        return None
    return parent


def half_of_period(start: date, end: date) -> date:
    """The first day on which half of 工期 has elapsed."""
    days = (end - start).days
    return start + timedelta(days=(days + 1) // 2)


def check_half_period(reader: Reader, start: date | None, end: date | None, today: date) -> None:
    if start and end and start <= end and today < half_of_period(start, end):
        reader.warn(PATH, "intermediate_before_half_period", half=wareki(half_of_period(start, end)))
