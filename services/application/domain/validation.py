"""申込確認: every problem of a guarantee application form at once (errors block 送信, warnings are
acknowledged), the ratios shown beside the amounts, and, when there is no error, the typed content
that is sent (送信完了).

Pure: a JSON-like dict and a FormContext in, a Validation out. The form keeps whatever was entered; only
converted values (預託金融機関 to full-width, 郵便番号 to 123-4567) are rewritten in `normalized`.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from shared.events import (
    Addressee,
    Amendment,
    CertificateFormat,
    ConstructionContract,
    Contact,
    Notification,
    PaperDelivery,
    Product,
    ProductRequest,
    ReceiptMethod,
    TenderStatus,
)
from shared.japanese import JST, wareki
from services.application.domain import amendment, intermediate, ratios
from services.application.domain.combination import check_combination
from services.application.domain.context import FormContext
from services.application.domain.expiry import check_expiry
from services.application.domain.orderer_rules import (
    check_e_surety,
    check_rounding,
    check_usual_advance_ratio,
    find_orderer,
)
from services.application.domain.problems import ERROR, WARNING, Problem, Reader, lookup
from services.application.domain.sections.contract import read_contract
from services.application.domain.sections.information import read_information
from services.application.domain.sections.products import PRODUCTS, applied_names, read_product
from services.application.domain.sections.tender import read_tender

__all__ = ["ERROR", "WARNING", "Problem", "ValidForm", "Validation", "validate_form"]


@dataclass(frozen=True)
class ValidForm:
    """What 送信完了 sends: the contract, each applied product, the branch, the notification wish, and the
    optional 入札の状況, paper delivery (only when some product is on paper), 連絡先 and message."""

    contract: ConstructionContract
    products: list[ProductRequest]
    branch: str
    notification: Notification
    tender: TenderStatus | None = None
    paper_delivery: PaperDelivery | None = None
    contact: Contact | None = None
    message_to_company: str | None = None
    amendment: Amendment | None = None  # a 変更申込


@dataclass
class Validation:
    problems: list[Problem]
    ratios: dict[str, dict[str, Any]]
    normalized: dict[str, Any]
    valid: ValidForm | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        """No error (warnings may remain: they are acknowledged at 送信)."""
        return not self.errors


def _amount_rules(
    reader: Reader, p: dict[str, Any], contract: dict[str, Any], low_bid: bool, context: FormContext | None
) -> dict[str, dict[str, Any]]:
    """The ratios shown for one product (by key), reporting the breaches of its ceilings and floors."""
    product, amount, contract_amount = p["product"], p["guaranteed_amount"], contract["contract_amount"]
    shown: dict[str, dict[str, Any] | None] = {}
    breaches: list[ratios.Breach] = []
    if product is Product.ADVANCE_PAYMENT:
        shown[product.value], breaches = ratios.advance_payment(
            amount, contract_amount, p["fiscal_year_target_amount"], low_bid=low_bid
        )
    elif product is Product.INTERMEDIATE_ADVANCE_PAYMENT:
        shown[product.value], breaches = ratios.intermediate(amount, contract_amount)
        parent = intermediate.find_parent(
            reader, p["advance_payment_contract_number"], contract, context, amending=amendment.amended_number(reader.form)
        )
        if parent is not None:
            total, more = ratios.advances_total(
                amount, contract_amount, parent.contract_number, parent.guaranteed_amount
            )
            shown[f"{product.value}_total"] = total
            breaches += more
    elif product is Product.CONTRACT_GUARANTEE:
        shown[product.value], breaches = ratios.contract_guarantee(amount, contract_amount, low_bid=low_bid)
    else:
        shown[product.value], breaches = ratios.bid_bond(amount, p["bid_amount"])
    for path, rule, fill in breaches:
        reader.add(path, rule, **fill)
    return {key: r for key, r in shown.items() if r}


def _tender_rules(reader: Reader, tender: dict[str, Any] | None, contract: dict[str, Any]) -> None:
    award, signed = (tender or {}).get("award_date"), contract["contract_date"]
    if award and signed and award > signed:
        reader.add("tender.award_date", "award_after_contract_date", contract_date=wareki(signed))


def _product_request(p: dict[str, Any]) -> ProductRequest:
    return ProductRequest(
        product=p["product"],
        certificate_format=p["certificate_format"],
        guaranteed_amount=p["guaranteed_amount"],
        fiscal_year_target_amount=p.get("fiscal_year_target_amount"),
        depository=p.get("depository"),
        fee_payment_method=p["fee_payment_method"],
        fee_billing_to=p["fee_billing_to"],
        fee_statement_paper=p["fee_statement_paper"],
        guarantee_expiry=p["expiry"],
        redeposit=p.get("redeposit"),
        intermediate_advance=p.get("intermediate_advance"),
        intermediate_advance_claim_planned=p.get("intermediate_advance_claim_planned"),
        advance_payment_contract_number=p.get("advance_payment_contract_number"),
        bid_bond_contract_number=p.get("bid_bond_contract_number"),
        bid_date=p.get("bid_date"),
        bid_amount=p.get("bid_amount"),
    )


def _paper_delivery(info: dict[str, Any]) -> PaperDelivery:
    if info["receipt_method"] is ReceiptMethod.MAIL:
        return PaperDelivery(
            method=ReceiptMethod.MAIL,
            desired_date=info["receipt_desired_date"],
            addressee=Addressee(**info["addressee"]),
        )
    return PaperDelivery(method=ReceiptMethod.COUNTER, visit_at=info["visit_at"])


def _valid_form(
    contract: dict[str, Any],
    applied: list[dict[str, Any]],
    tender: dict[str, Any] | None,
    info: dict[str, Any],
    change: Amendment | None,
) -> ValidForm:
    paper = any(p["certificate_format"] is CertificateFormat.PAPER for p in applied)
    return ValidForm(
        contract=ConstructionContract(**contract),
        products=[_product_request(p) for p in applied],
        branch=info["branch"],
        notification=Notification(wanted=info["wanted"], email=info["email"]),
        tender=TenderStatus(**tender) if tender else None,
        paper_delivery=_paper_delivery(info) if paper else None,
        contact=Contact(**info["contact"]) if info["contact"] else None,
        message_to_company=info["message_to_company"],
        amendment=change,
    )


def today_in_japan() -> date:
    return datetime.now(JST).date()


def validate_form(form: dict[str, Any], context: FormContext | None = None) -> Validation:
    """`context` None: today in Japan, and neither the orderer registry nor the contractor's contracts."""
    reader = Reader(form if isinstance(form, dict) else {})
    today = context.today if context else today_in_japan()
    amending = amendment.is_amendment(reader.form)
    bid_bond_only = applied_names(reader.form) == [Product.BID_BOND.value]
    contract = read_contract(reader, bid_bond_only=bid_bond_only)
    orderer = find_orderer(reader, contract, context)
    # Peeked here to set the amount limits; 入札の状況 itself is read (and its problems told) below.
    low_bid = lookup(reader.form, "tender.below_low_bid_price") is True

    applied: list[dict[str, Any]] = []
    shown_ratios: dict[str, dict[str, Any]] = {}
    apply_flags_readable = True
    for product in PRODUCTS:
        before = len(reader.problems)
        p = read_product(reader, product)
        if p is None:
            apply_flags_readable &= not any(pr.path.endswith(".apply") for pr in reader.problems[before:])
            continue
        applied.append(p)
        shown_ratios |= _amount_rules(reader, p, contract, low_bid, context)
        p["expiry"] = check_expiry(reader, p, contract["period_start"], contract["period_end"], today)
        if product is Product.INTERMEDIATE_ADVANCE_PAYMENT and not amending:  # the 認定 came with the first one
            intermediate.check_half_period(reader, contract["period_start"], contract["period_end"], today)
    if not applied and apply_flags_readable:
        reader.add("products", "at_least_one_product")
    change = None
    if amending:  # one guarantee, the one it names (instead of which products go together)
        change = amendment.check(reader, context.amended if context else None, contract, applied)
    else:
        check_combination(reader, [p["product"] for p in applied])
    if orderer is not None:
        check_e_surety(reader, orderer, contract, applied)
        check_rounding(reader, orderer, applied)
        check_usual_advance_ratio(reader, orderer, applied, shown_ratios)

    tender_required_by = orderer.name if orderer and orderer.requires_tender_status and not bid_bond_only else None
    tender = read_tender(reader, required_by=tender_required_by)
    _tender_rules(reader, tender, contract)
    info = read_information(reader, paper=any(p["certificate_format"] is CertificateFormat.PAPER for p in applied))

    validation = Validation(problems=reader.problems, ratios=shown_ratios, normalized=reader.normalized)
    if validation.ok:
        validation.valid = _valid_form(contract, applied, tender, info, change)
    return validation
