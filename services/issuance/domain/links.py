"""Rules against the issued certificates an application refers to: the 前払金保証 of a 中間前払金保証
and the 契約保証予約 (入札ボンド) a 契約保証 converts. The handler loads them (linked_numbers) under a
row lock, so two applications cannot both take the same 前払金 or convert the same bond."""

from services.issuance.domain import messages
from services.issuance.domain.model import LinkedCertificate
from shared.events import ApplicationSubmittedV1, Product, ProductRequest, RejectionReason
from shared.japanese import percent


def _reason(field: str, rule: str, message: str) -> RejectionReason:
    return RejectionReason(field=field, rule=rule, message=message)


def linked_numbers(application: ApplicationSubmittedV1) -> set[str]:
    """The issued certificates the application refers to (to load before review)."""
    numbers = set()
    for request in application.products:
        if request.product is Product.INTERMEDIATE_ADVANCE_PAYMENT and request.advance_payment_contract_number:
            numbers.add(request.advance_payment_contract_number.strip())
        if request.product is Product.CONTRACT_GUARANTEE and request.bid_bond_contract_number:
            numbers.add(request.bid_bond_contract_number.strip())
    return numbers


def _amended(application: ApplicationSubmittedV1) -> str | None:
    """The guarantee a 変更申込 changes: the 中間前払金 already issued on its 前払金, or the 契約保証 its bond
    was converted into, is this very guarantee (not another one)."""
    return application.amendment.contract_number.strip() if application.amendment else None


def judge_intermediate(
    i: int,
    request: ProductRequest,
    application: ApplicationSubmittedV1,
    linked: dict[str, LinkedCertificate],
) -> list[RejectionReason]:
    """中間前払金保証: against an issued 前払金保証 of the same company, orderer and 工事; ≤ 20% of the
    請負金額, ≤ 60% together with the 前払金; one per 前払金."""
    path = f"products[{i}].advance_payment_contract_number"
    number = (request.advance_payment_contract_number or "").strip()
    if not number:
        return [_reason(path, "advance_payment_contract_number_required", messages.parent_required(path))]
    parent = linked.get(number)
    # Another company's certificate answers exactly like an unknown number.
    if parent is None or parent.contractor_company_id != application.contractor.company_id:
        return [_reason(path, "advance_payment_not_found", messages.parent_not_found(path, number))]
    if parent.product is not Product.ADVANCE_PAYMENT:
        return [_reason(path, "not_an_advance_payment", messages.parent_not_advance_payment(path, number))]
    reasons = []
    contract = application.contract
    if parent.obligee_code != contract.orderer_code:
        reasons.append(_reason(path, "advance_payment_other_orderer", messages.parent_other_orderer(path, number)))
    # A change keeps its 前払金 (the link was judged at 新規): its 工事名 may be corrected before or after the 前払金's.
    if parent.construction_name.strip() != contract.construction_name.strip() and not _amended(application):
        reasons.append(
            _reason(path, "advance_payment_other_construction", messages.parent_other_construction(path, number))
        )
    if parent.intermediate_contract_number and parent.intermediate_contract_number != _amended(application):
        reasons.append(
            _reason(
                path,
                "intermediate_already_issued",
                messages.intermediate_already_issued(path, number, parent.intermediate_contract_number),
            )
        )
    whole = contract.contract_amount
    if whole:  # a missing 請負金額 is judge_contract's reason
        amount_path = f"products[{i}].guaranteed_amount"
        if request.guaranteed_amount * 5 > whole:  # > 20%
            reasons.append(
                _reason(
                    amount_path,
                    "intermediate_advance_ceiling",
                    messages.intermediate_ceiling(amount_path, percent(request.guaranteed_amount, whole)),
                )
            )
        total = parent.guaranteed_amount + request.guaranteed_amount
        if total * 10 > whole * 6:  # > 60%
            reasons.append(
                _reason(amount_path, "advances_ceiling", messages.advances_ceiling(amount_path, percent(total, whole)))
            )
    return reasons


def judge_conversion(
    i: int,
    request: ProductRequest,
    application: ApplicationSubmittedV1,
    linked: dict[str, LinkedCertificate],
) -> list[RejectionReason]:
    """契約保証 converted from a 契約保証予約: the bond of the same company and orderer, converted once."""
    number = (request.bid_bond_contract_number or "").strip()
    if not number:
        return []
    path = f"products[{i}].bid_bond_contract_number"
    bond = linked.get(number)
    if bond is None or bond.contractor_company_id != application.contractor.company_id:
        return [_reason(path, "bid_bond_not_found", messages.bid_bond_not_found(path, number))]
    if bond.product is not Product.BID_BOND:
        return [_reason(path, "not_a_bid_bond", messages.not_a_bid_bond(path, number))]
    reasons = []
    if bond.obligee_code != application.contract.orderer_code:
        reasons.append(_reason(path, "bid_bond_other_orderer", messages.bid_bond_other_orderer(path, number)))
    if bond.lapsed:
        reasons.append(_reason(path, "bid_bond_lapsed", messages.bid_bond_lapsed(path, number)))
    if bond.converted_to and bond.converted_to != _amended(application):
        reasons.append(
            _reason(
                path,
                "bid_bond_already_converted",
                messages.bid_bond_already_converted(path, number, bond.converted_to),
            )
        )
    return reasons
