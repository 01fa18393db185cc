"""Can the company issue electronic certificates for this application? Each failed rule is one reason.

The orderer decides from when it accepts electronic certificates, judged on either the contract date
(請負契約日) or the tender notice date (入札公告日); the dates are data (the orderers table).
"""

from datetime import date

from services.issuance.domain import messages
from services.issuance.domain.model import Branch, JudgedOn, Orderer
from shared.events import (
    PRODUCT_LABELS,
    ApplicationSubmittedV1,
    CertificateFormat,
    ConstructionContract,
    Product,
    RejectionReason,
)


def judge_orderer(orderer: Orderer | None, contract: ConstructionContract) -> list[RejectionReason]:
    if orderer is None:
        return [
            RejectionReason(
                field="contract.orderer_code",
                rule="orderer_not_registered",
                message=messages.orderer_unknown(contract.orderer_code, contract.orderer_name),
            )
        ]
    if orderer.judged_on is JudgedOn.TENDER_NOTICE_DATE:
        judged: date | None = contract.tender_notice_date
        if judged is None:
            return [
                RejectionReason(
                    field="contract.tender_notice_date",
                    rule="tender_notice_date_required",
                    message=messages.tender_notice_date_required(orderer.name),
                )
            ]
        if judged < orderer.e_surety_from:
            return [
                RejectionReason(
                    field="contract.tender_notice_date",
                    rule="orderer_not_yet_e_surety",
                    message=messages.not_yet_by_tender_notice(orderer.name, orderer.e_surety_from),
                )
            ]
        return []
    if contract.contract_date < orderer.e_surety_from:
        return [
            RejectionReason(
                field="contract.contract_date",
                rule="orderer_not_yet_e_surety",
                message=messages.not_yet_by_contract_date(orderer.name, orderer.e_surety_from),
            )
        ]
    return []


def judge_products(application: ApplicationSubmittedV1) -> list[RejectionReason]:
    if not application.products:
        return [RejectionReason(field="products", rule="no_products", message=messages.no_products())]
    reasons = []
    seen: set[Product] = set()
    for i, request in enumerate(application.products):
        if request.product in seen:
            reasons.append(
                RejectionReason(
                    field=f"products[{i}].product",
                    rule="duplicate_product",
                    message=messages.duplicate_product(PRODUCT_LABELS[request.product]),
                )
            )
        seen.add(request.product)
        if request.certificate_format is not CertificateFormat.ELECTRONIC:
            reasons.append(
                RejectionReason(
                    field=f"products[{i}].certificate_format",
                    rule="paper_not_handled",
                    message=messages.paper_not_handled(),
                )
            )
        if request.product is Product.ADVANCE_PAYMENT and not (request.depository or "").strip():
            reasons.append(
                RejectionReason(
                    field=f"products[{i}].depository", rule="depository_required", message=messages.depository_required()
                )
            )
    return reasons


def review(application: ApplicationSubmittedV1, orderer: Orderer | None, branch: Branch | None) -> list[RejectionReason]:
    """Every reason the application cannot be accepted; empty when it can."""
    reasons = []
    if branch is None:
        reasons.append(
            RejectionReason(field="branch", rule="branch_unknown", message=messages.branch_unknown(application.branch))
        )
    reasons += judge_orderer(orderer, application.contract)
    reasons += judge_products(application)
    return reasons
