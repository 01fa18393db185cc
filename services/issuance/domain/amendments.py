"""変更申込 (amendment): an application that changes an issued guarantee instead of asking for a new one.

It draws no number: the change is the next version (変更-N) of the guarantee it names, with the same
保証契約番号 and the same 認証キー. The guarantee must be the applying company's (another company's answers
exactly like an unknown number), of the same product, not a 契約保証予約 that lapsed or was converted, and
the change must be prepared from its latest version (else another change came first). A change keeps
what defines the guarantee: its format (a paper certificate's change is a paper change), its orderer
and its links (the 前払金保証 of a 中間前払金保証, the 契約保証予約 a 契約保証 was converted from).

The new figures then go through the same review as a new application (acceptance.review), against the
application with the guarantee's links filled in (amended_application).
"""

from services.issuance.domain import messages
from services.issuance.domain.content import version_label
from services.issuance.domain.model import Guarantee
from services.issuance.domain.status import amendment_refusal
from shared.events import (
    PRODUCT_LABELS,
    ApplicationSubmittedV1,
    CertificateFormat,
    Product,
    RejectionReason,
)
from shared.japanese import percent

NUMBER_PATH = "amendment.contract_number"
BASE_PATH = "amendment.base_version"
# The links a change keeps, with the product they name.
_LINKS = (("advance_payment_contract_number", "前払金保証"), ("bid_bond_contract_number", "契約保証予約"))


def _reason(field: str, rule: str, message: str) -> RejectionReason:
    return RejectionReason(field=field, rule=rule, message=message)


def _stripped(number: str | None) -> str | None:
    return (number or "").strip() or None


def amended_number(application: ApplicationSubmittedV1) -> str | None:
    """The 保証契約番号 a 変更申込 changes; None for a new application."""
    return application.amendment.contract_number.strip() if application.amendment else None


def judge_guarantee(application: ApplicationSubmittedV1, guarantee: Guarantee | None) -> list[RejectionReason]:
    """Every reason the guarantee cannot be changed by this application; empty when it can."""
    amendment = application.amendment
    assert amendment is not None
    number = amendment.contract_number.strip()
    if guarantee is None or guarantee.contractor_company_id != application.contractor.company_id:
        return [_reason(NUMBER_PATH, "amendment_not_found", messages.amendment_not_found(NUMBER_PATH, number))]
    label = PRODUCT_LABELS[guarantee.product]
    if len(application.products) != 1:
        return [_reason("products", "amendment_one_product", messages.amendment_one_product(label))]
    request = application.products[0]
    if request.product is not guarantee.product:
        asked = PRODUCT_LABELS[request.product]
        return [
            _reason(NUMBER_PATH, "amendment_other_product", messages.amendment_other_product(NUMBER_PATH, number, label, asked))
        ]
    if guarantee.product is Product.BID_BOND and not (guarantee.lapsed or guarantee.converted_to):
        # As Net Desk says: a 契約保証予約 is converted (won) or lapses (lost), never amended.
        return [_reason(NUMBER_PATH, "amendment_bid_bond", messages.amendment_bid_bond(NUMBER_PATH, number))]
    if guarantee.lapsed:
        return [_reason(NUMBER_PATH, "amendment_bid_bond_lapsed", messages.amendment_bid_bond_lapsed(NUMBER_PATH, number))]
    if guarantee.converted_to:
        return [
            _reason(
                NUMBER_PATH,
                "amendment_bid_bond_converted",
                messages.amendment_bid_bond_converted(NUMBER_PATH, number, guarantee.converted_to),
            )
        ]
    if ended := amendment_refusal(number, guarantee.ending):  # 期間満了 / 解約
        rule = f"amendment_{guarantee.ending.status}"
        return [_reason(NUMBER_PATH, rule, ended)]
    reasons = []
    latest = version_label(guarantee.version)
    if amendment.base_version < guarantee.version:
        reasons.append(_reason(BASE_PATH, "amendment_outdated", messages.amendment_outdated(latest)))
    elif amendment.base_version > guarantee.version:
        base = version_label(amendment.base_version)
        reasons.append(
            _reason(BASE_PATH, "amendment_base_version_unknown", messages.amendment_base_unknown(BASE_PATH, base, latest))
        )
    if (request.certificate_format is CertificateFormat.ELECTRONIC) != guarantee.electronic:
        path = "products[0].certificate_format"
        reasons.append(_reason(path, "amendment_format_fixed", messages.amendment_format_fixed(path, guarantee.electronic)))
    if application.contract.orderer_code != guarantee.obligee_code:
        path = "contract.orderer_code"
        reasons.append(_reason(path, "amendment_orderer_fixed", messages.amendment_orderer_fixed(path)))
    for name, link_label in _LINKS:
        asked, fixed = _stripped(getattr(request, name)), getattr(guarantee, name)
        if asked and asked != fixed:
            path = f"products[0].{name}"
            reasons.append(_reason(path, "amendment_link_fixed", messages.amendment_link_fixed(path, link_label, fixed)))
    return reasons


def amended_application(application: ApplicationSubmittedV1, guarantee: Guarantee) -> ApplicationSubmittedV1:
    """The application as reviewed and issued: its one product with the guarantee's links (a 変更申込 may
    leave them out; the new version still names them)."""
    request = application.products[0].model_copy(
        update={
            "advance_payment_contract_number": guarantee.advance_payment_contract_number,
            "bid_bond_contract_number": guarantee.bid_bond_contract_number,
        }
    )
    return application.model_copy(update={"products": [request]})


def judge_advances(application: ApplicationSubmittedV1, guarantee: Guarantee) -> list[RejectionReason]:
    """A changed 前払金保証 that has a 中間前払金保証: both together stay within 60% of the 請負金額 (the
    中間前払金's own change is judged against its 前払金 by links.judge_intermediate)."""
    request = application.products[0]
    whole = application.contract.contract_amount
    if request.product is not Product.ADVANCE_PAYMENT or guarantee.intermediate_guaranteed_amount is None or not whole:
        return []
    total = request.guaranteed_amount + guarantee.intermediate_guaranteed_amount
    if total * 10 <= whole * 6:
        return []
    path = "products[0].guaranteed_amount"
    return [_reason(path, "advances_ceiling", messages.advances_ceiling(path, percent(total, whole)))]
