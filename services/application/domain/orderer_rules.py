"""The orderer's (発注者) own rules, from the registry: is it known, does it accept 電子保証 on the judged
date (請負契約日 or 入札公告日), the unit of 前払金・中間前払金 amounts, whether 入札の状況 is required, and
the 前払金 ratio it usually pays (above it: a warning, not an error).

Issuance judges again on receipt; here the contractor learns it before sending.
"""

from typing import Any

from shared.events import CertificateFormat, Product
from shared.japanese import wareki, yen
from services.application.domain import values
from services.application.domain.context import FormContext, OrdererRules
from services.application.domain.problems import Reader, lookup
from services.application.domain.sections.products import DEPOSITED

TENDER_NOTICE_DATE = "tender_notice_date"


def find_orderer(reader: Reader, contract: dict[str, Any], context: FormContext | None) -> OrdererRules | None:
    code = contract["orderer_code"]
    if context is None or not code:
        return None
    if context.orderers is None:
        reader.warn("contract.orderer_code", "orderer_unchecked")
        return None
    orderer = context.orderers.get(code)
    if orderer is None:
        reader.add("contract.orderer_code", "orderer_unknown", code=code)
    return orderer


def check_e_surety(
    reader: Reader, orderer: OrdererRules, contract: dict[str, Any], applied: list[dict[str, Any]]
) -> None:
    """Each product asked as 電子保証 must be accepted by the orderer on the judged date; paper always is."""
    electronic = [p for p in applied if p["certificate_format"] is CertificateFormat.ELECTRONIC]
    if not electronic:
        return
    paths = [f"{p['product'].value}.certificate_format" for p in electronic]
    if orderer.e_surety_from is None:
        for path in paths:
            reader.add(path, "orderer_no_e_surety", orderer=orderer.name)
        return
    if orderer.judged_on == TENDER_NOTICE_DATE:
        judged, rule = contract["tender_notice_date"], "orderer_e_surety_from_tender_notice"
        if judged is None and values.is_blank(lookup(reader.form, "contract.tender_notice_date")):
            reader.add("contract.tender_notice_date", "tender_notice_date_required", orderer=orderer.name)
    else:
        # None for a 契約保証予約 before the contract: judged when it is converted.
        judged, rule = contract["contract_date"], "orderer_e_surety_from_contract_date"
    if judged is not None and judged < orderer.e_surety_from:
        for path in paths:
            reader.add(path, rule, orderer=orderer.name, start=wareki(orderer.e_surety_from), judged=wareki(judged))


def _unit(unit: int) -> str:
    """1万円 / 10万円, as the orderers' rules say it."""
    return f"{unit // 10_000}万円" if unit % 10_000 == 0 else yen(unit)


def check_rounding(reader: Reader, orderer: OrdererRules, applied: list[dict[str, Any]]) -> None:
    unit = orderer.rounding_unit
    if unit <= 1:
        return
    for p in applied:
        amount = p["guaranteed_amount"]
        if p["product"] in DEPOSITED and amount and amount % unit:
            reader.add(
                f"{p['product'].value}.guaranteed_amount",
                "rounding",
                orderer=orderer.name,
                unit=_unit(unit),
                suggested=yen(amount // unit * unit),
            )


def check_usual_advance_ratio(
    reader: Reader, orderer: OrdererRules, applied: list[dict[str, Any]], shown_ratios: dict[str, dict[str, Any]]
) -> None:
    """A 前払金 within the legal ceiling but above what this orderer usually pays: the contractor confirms
    that the orderer allows it for this contract (a warning to acknowledge at 送信)."""
    usual = orderer.advance_payment_percent
    shown = shown_ratios.get(Product.ADVANCE_PAYMENT.value)
    path = "advance_payment.guaranteed_amount"
    if usual >= 40 or shown is None or any(p.path == path for p in reader.problems):
        return
    if not any(p["product"] is Product.ADVANCE_PAYMENT for p in applied):
        return
    if shown["amount"] * 100 > shown["against_amount"] * usual:
        reader.warn(
            path,
            "advance_payment_above_orderer_ratio",
            orderer=orderer.name,
            usual=f"{usual}%",
            basis=shown["against_label"],
            percent=shown["percent"],
        )
