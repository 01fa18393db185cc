"""保証の申込内容: the four product sections, each read only when its apply flag is true."""

from typing import Any

from shared.events import Product
from services.application.domain import choices, limits, values
from services.application.domain.problems import Reader, lookup

# Form order, which is also the order of the products in the event.
PRODUCTS = (
    Product.ADVANCE_PAYMENT,
    Product.INTERMEDIATE_ADVANCE_PAYMENT,
    Product.CONTRACT_GUARANTEE,
    Product.BID_BOND,
)
# 前払金 and 中間前払金 are paid into a 預託金融機関 account.
DEPOSITED = frozenset({Product.ADVANCE_PAYMENT, Product.INTERMEDIATE_ADVANCE_PAYMENT})


def applied_names(form: dict[str, Any]) -> list[str]:
    """The sections whose apply flag is exactly true, in form order (no problem is reported here)."""
    return [p.value for p in PRODUCTS if lookup(form, f"{p.value}.apply") is True]


def _depository(value: Any) -> str:
    converted = values.full_width(values.text(value))
    if len(converted) > (limit := limits.max_length("advance_payment.depository")):
        raise values.Invalid("too_long", max_length=str(limit), length=str(len(converted)))
    return converted


def read_product(reader: Reader, product: Product) -> dict[str, Any] | None:
    """The applied product's values, or None when it is not applied."""
    s = product.value
    if not reader.section(s):
        return None
    if not reader.read(f"{s}.apply", values.flag, required=False):
        return None
    p: dict[str, Any] = {
        "product": product,
        "certificate_format": reader.read(
            f"{s}.certificate_format", choices.certificate_format, required=True, missing="required_choice"
        ),
    }
    if product is Product.ADVANCE_PAYMENT:
        p["fiscal_year_target_amount"] = reader.read(f"{s}.fiscal_year_target_amount", values.amount, required=False)
    if product is Product.INTERMEDIATE_ADVANCE_PAYMENT:
        p["advance_payment_contract_number"] = reader.read(
            f"{s}.advance_payment_contract_number", values.contract_number, required=True
        )
    if product is Product.BID_BOND:
        p["bid_date"] = reader.read(f"{s}.bid_date", values.a_date, required=True)
        p["bid_amount"] = reader.read(f"{s}.bid_amount", values.amount, required=True)
    p["guaranteed_amount"] = reader.read(f"{s}.guaranteed_amount", values.amount, required=True)
    p["guarantee_expiry"] = reader.read(f"{s}.guarantee_expiry", values.a_date, required=False)
    if product in DEPOSITED:
        p["depository"] = reader.read(f"{s}.depository", _depository, required=True)
        if p["depository"]:
            reader.rewrite(f"{s}.depository", p["depository"])
        p["redeposit"] = reader.read(f"{s}.redeposit", choices.redeposit, required=True, missing="required_choice")
    p["fee_payment_method"] = reader.text(f"{s}.fee_payment_method", required=True)
    p["fee_billing_to"] = reader.text(f"{s}.fee_billing_to", required=True)
    p["fee_statement_paper"] = reader.read(
        f"{s}.fee_statement_paper", choices.wanted, required=True, missing="required_choice"
    )
    if product is Product.ADVANCE_PAYMENT:
        planned_path = f"{s}.intermediate_advance_claim_planned"
        p["intermediate_advance"] = reader.read(f"{s}.intermediate_advance", choices.presence, required=False)
        p["intermediate_advance_claim_planned"] = reader.read(planned_path, choices.presence, required=False)
        if p["intermediate_advance"] is False and p["intermediate_advance_claim_planned"]:
            reader.add(planned_path, "intermediate_claim_without_intermediate")
    if product is Product.CONTRACT_GUARANTEE:
        # Set when a won 契約保証予約 is converted; kept as the link to it.
        p["bid_bond_contract_number"] = reader.read(
            f"{s}.bid_bond_contract_number", values.contract_number, required=False
        )
    return p
