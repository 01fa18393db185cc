"""Can the company issue the certificates of this application? Each failed rule is one reason.

Paper (証書(紙)) is always accepted. 電子保証 is judged only for the products asked electronically:
the orderer decides from when it accepts it (NULL = never), judged on either the contract date
(請負契約日) or the tender notice date (入札公告日); the dates are data (the orderers table).
The application service checks the form rules first; the ones here are the ones issuance must not
trust anybody else with (registry, issued certificates, ceilings against them).
"""

from datetime import date

from services.issuance.domain import messages
from services.issuance.domain.links import judge_conversion, judge_intermediate
from services.issuance.domain.model import Branch, JudgedOn, LinkedCertificate, Orderer
from shared.events import (
    PRODUCT_LABELS,
    ApplicationSubmittedV1,
    CertificateFormat,
    Product,
    ProductRequest,
    RejectionReason,
)

# Products whose 保証金額 the orderer's rounding unit applies to and that need a 預託金融機関.
ADVANCES = (Product.ADVANCE_PAYMENT, Product.INTERMEDIATE_ADVANCE_PAYMENT)


def _reason(field: str, rule: str, message: str) -> RejectionReason:
    return RejectionReason(field=field, rule=rule, message=message)


def _electronic(application: ApplicationSubmittedV1) -> list[tuple[int, ProductRequest]]:
    return [(i, r) for i, r in enumerate(application.products) if r.certificate_format is CertificateFormat.ELECTRONIC]


def bid_bond_only(application: ApplicationSubmittedV1) -> bool:
    return bool(application.products) and all(r.product is Product.BID_BOND for r in application.products)


def judge_orderer(orderer: Orderer | None, application: ApplicationSubmittedV1) -> list[RejectionReason]:
    contract = application.contract
    if orderer is None:
        return [
            _reason(
                "contract.orderer_code",
                "orderer_not_registered",
                messages.orderer_unknown(contract.orderer_code, contract.orderer_name),
            )
        ]
    electronic = _electronic(application)
    if not electronic:
        return []
    if orderer.e_surety_from is None:
        return [
            _reason(
                f"products[{i}].certificate_format",
                "orderer_no_e_surety",
                messages.orderer_no_e_surety(
                    orderer.name, PRODUCT_LABELS[r.product], f"products[{i}].certificate_format"
                ),
            )
            for i, r in electronic
        ]
    if orderer.judged_on is JudgedOn.TENDER_NOTICE_DATE:
        judged: date | None = contract.tender_notice_date
        if judged is None:
            return [
                _reason(
                    "contract.tender_notice_date",
                    "tender_notice_date_required",
                    messages.tender_notice_date_required(orderer.name),
                )
            ]
        if judged < orderer.e_surety_from:
            return [
                _reason(
                    "contract.tender_notice_date",
                    "orderer_not_yet_e_surety",
                    messages.not_yet_by_tender_notice(orderer.name, orderer.e_surety_from),
                )
            ]
        return []
    if contract.contract_date is not None:
        if contract.contract_date < orderer.e_surety_from:
            return [
                _reason(
                    "contract.contract_date",
                    "orderer_not_yet_e_surety",
                    messages.not_yet_by_contract_date(orderer.name, orderer.e_surety_from),
                )
            ]
        return []
    # (ours) A bid bond comes before the contract: its 入札日 stands in for the 請負契約日 (the contract
    # can only be concluded after the bid). A missing 入札日 is reported by judge_bid_bond.
    return [
        _reason(
            f"products[{i}].bid_date",
            "orderer_not_yet_e_surety",
            messages.not_yet_by_bid_date(orderer.name, orderer.e_surety_from),
        )
        for i, r in electronic
        if r.product is Product.BID_BOND and r.bid_date is not None and r.bid_date < orderer.e_surety_from
    ]


def judge_contract(application: ApplicationSubmittedV1) -> list[RejectionReason]:
    """請負金額 and 請負契約日 exist for every application but one for a 契約保証予約 alone."""
    if bid_bond_only(application):
        return []
    contract = application.contract
    reasons = []
    if contract.contract_amount is None:
        reasons.append(
            _reason(
                "contract.contract_amount",
                "contract_amount_required",
                messages.contract_field_required("請負金額", "contract.contract_amount"),
            )
        )
    if contract.contract_date is None:
        reasons.append(
            _reason(
                "contract.contract_date",
                "contract_date_required",
                messages.contract_field_required("請負契約日", "contract.contract_date"),
            )
        )
    return reasons


def judge_rounding(i: int, request: ProductRequest, orderer: Orderer) -> list[RejectionReason]:
    unit = orderer.rounding_unit
    if request.product not in ADVANCES or request.guaranteed_amount % unit == 0:
        return []
    path = f"products[{i}].guaranteed_amount"
    truncated = request.guaranteed_amount - request.guaranteed_amount % unit
    return [
        _reason(
            path,
            "rounding_unit",
            messages.rounding(PRODUCT_LABELS[request.product], path, orderer.name, unit, truncated),
        )
    ]


def judge_bid_bond(i: int, request: ProductRequest) -> list[RejectionReason]:
    reasons = []
    for name, label in (("bid_date", "入札日"), ("bid_amount", "入札金額")):
        if getattr(request, name) is None:
            path = f"products[{i}].{name}"
            reasons.append(_reason(path, f"{name}_required", messages.bid_field_required(label, path)))
    return reasons


def judge_products(
    application: ApplicationSubmittedV1,
    orderer: Orderer | None,
    linked: dict[str, LinkedCertificate],
) -> list[RejectionReason]:
    if not application.products:
        return [_reason("products", "no_products", messages.no_products())]
    reasons = []
    seen: set[Product] = set()
    for i, request in enumerate(application.products):
        label = PRODUCT_LABELS[request.product]
        if request.product in seen:
            reasons.append(_reason(f"products[{i}].product", "duplicate_product", messages.duplicate_product(label)))
        seen.add(request.product)
        if request.product in ADVANCES and not (request.depository or "").strip():
            path = f"products[{i}].depository"
            reasons.append(_reason(path, "depository_required", messages.depository_required(label, path)))
        if orderer is not None:  # an unknown orderer is judge_orderer's reason
            reasons += judge_rounding(i, request, orderer)
        if request.product is Product.INTERMEDIATE_ADVANCE_PAYMENT:
            reasons += judge_intermediate(i, request, application, linked)
        elif request.product is Product.CONTRACT_GUARANTEE:
            reasons += judge_conversion(i, request, application, linked)
        elif request.product is Product.BID_BOND:
            reasons += judge_bid_bond(i, request)
    return reasons


def review(
    application: ApplicationSubmittedV1,
    orderer: Orderer | None,
    branch: Branch | None,
    linked: dict[str, LinkedCertificate] | None = None,
) -> list[RejectionReason]:
    """Every reason the application cannot be accepted; empty when it can. `linked`: the certificates
    named by linked_numbers(), by number (absent when not issued)."""
    reasons = []
    if branch is None:
        reasons.append(_reason("branch", "branch_unknown", messages.branch_unknown(application.branch)))
    reasons += judge_orderer(orderer, application)
    reasons += judge_contract(application)
    reasons += judge_products(application, orderer, linked or {})
    return reasons


def not_rendered(i: int, request: ProductRequest, document: str) -> RejectionReason:
    """The product's certificate or key notice could not be rendered within the time limit (after review():
    only issuing finds it). `document`: "certificate" or "key_notice"."""
    return _reason(
        f"products[{i}]",
        "document_not_rendered",
        messages.document_not_rendered(PRODUCT_LABELS[request.product], document),
    )
