"""Which products may go in one application: 中間前払金保証 and 契約保証予約 go alone; 契約保証 is a rider
(特約) on a 前払金保証, so it needs one in the same application."""

from shared.events import Product
from services.application.domain.problems import Reader


def check_combination(reader: Reader, products: list[Product]) -> None:
    if Product.INTERMEDIATE_ADVANCE_PAYMENT in products and len(products) > 1:
        reader.add(Product.INTERMEDIATE_ADVANCE_PAYMENT.value, "intermediate_alone")
    if Product.BID_BOND in products and len(products) > 1:
        reader.add(Product.BID_BOND.value, "bid_bond_alone")
    if Product.CONTRACT_GUARANTEE in products and Product.ADVANCE_PAYMENT not in products:
        reader.add(Product.CONTRACT_GUARANTEE.value, "contract_guarantee_needs_advance_payment")
