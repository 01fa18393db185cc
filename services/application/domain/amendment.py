"""変更申込: an application that changes an issued guarantee (a new version, 変更-N, of the same 保証契約番号
and 認証キー) instead of asking for a new one.

The draft carries `amendment: {contract_number, base_version}` (set when it is started from the contract)
and the same sections as a new application, pre-filled from the latest version; 申込確認 checks the new
figures with the same rules as a new application, and here what only a change has:
- it changes exactly the guarantee it names, of the company, still in force (not a bid bond: a 契約保証予約
  is not amended, it is converted or lapses), with the same product, 発注者 and 証書の形式 (a paper
  certificate's change is a paper change);
- it is prepared from the latest version (else another change came first: start again from it);
- something changes; and a change of 請負金額 alone on a 前払金保証 / 中間前払金保証 is answered with the
  note the certificate itself carries (no change of the guarantee is needed) rather than filed.
"""

from datetime import date
from typing import Any

from shared.events import PRODUCT_LABELS, Amendment, AmendmentKind, CertificateContent, Product
from shared.japanese import wareki
from services.application.domain.context import AmendedGuarantee
from services.application.domain.problems import Reader, lookup

PATH = "amendment"
NUMBER_PATH = f"{PATH}.contract_number"
# Products whose certificate says a change of 請負金額 alone does not affect the guarantee.
_AMOUNT_ONLY_NEEDS_NO_CHANGE = (Product.ADVANCE_PAYMENT, Product.INTERMEDIATE_ADVANCE_PAYMENT)
_CONTENT_FIELDS = ("construction_name", "contract_date", "jv_name")
IN_FORCE = ("issued", "published")


def amended_number(form: dict[str, Any]) -> str | None:
    """The 保証契約番号 a draft changes, or None for a new application."""
    number = lookup(form, NUMBER_PATH)
    return number.strip().upper() if isinstance(number, str) and number.strip() else None


def is_amendment(form: dict[str, Any]) -> bool:
    return isinstance(form.get(PATH), dict)


def check(
    reader: Reader,
    amended: AmendedGuarantee | None,
    contract: dict[str, Any],
    applied: list[dict[str, Any]],
) -> Amendment | None:
    """The problems of a change as such; the Amendment to send when it has none."""
    number = amended_number(reader.form)
    if number is None:
        reader.add(NUMBER_PATH, "required")
        return None
    if amended is None:
        reader.add(NUMBER_PATH, "amendment_not_found", number=number)
        return None
    if amended.product is Product.BID_BOND:
        reader.add(NUMBER_PATH, "amendment_bid_bond", number=number)
        return None
    if amended.status in ("expired", "cancelled"):  # 期間満了 / 解約 (domain/cancellation.py)
        ended_on = wareki(amended.ended_on) if amended.ended_on else "―"
        reader.add(NUMBER_PATH, f"amendment_{amended.status}", number=number, ended_on=ended_on)
        return None
    if amended.status not in IN_FORCE:
        reader.add(NUMBER_PATH, "amendment_not_in_force", number=number)
        return None
    base = lookup(reader.form, f"{PATH}.base_version")
    if base != amended.version:
        reader.add(NUMBER_PATH, "amendment_outdated", number=number, latest=amended.version_label)
        return None
    products = [p["product"] for p in applied]
    if products != [amended.product]:
        reader.add("products", "amendment_one_product", product=PRODUCT_LABELS[amended.product])
        return None
    p = applied[0]
    s = amended.product.value
    if p["certificate_format"] is not None and p["certificate_format"] is not amended.certificate_format:
        reader.add(f"{s}.certificate_format", "amendment_format_fixed")
    if contract["orderer_code"] is not None and contract["orderer_code"] != amended.content.obligee_code:
        reader.add("contract.orderer_code", "amendment_orderer_fixed")
    if any(value is None for value in (p["guaranteed_amount"], contract["period_start"], contract["period_end"])):
        return None  # reported by the section readers
    kinds = changes(amended.content, contract, p)
    if not kinds and _contract_amount_changed(amended.content, contract):
        if amended.product in _AMOUNT_ONLY_NEEDS_NO_CHANGE:
            reader.add("contract.contract_amount", "amendment_contract_amount_only")
            return None
        kinds = [AmendmentKind.CONTENT_CHANGE]
    if not kinds:
        reader.add(PATH, "amendment_nothing_changed", number=number)
        return None
    return Amendment(contract_number=number, base_version=amended.version, kinds=kinds)


def changes(before: CertificateContent, contract: dict[str, Any], p: dict[str, Any]) -> list[AmendmentKind]:
    """What the new figures change against the version they were prepared from (請負金額 aside)."""
    kinds: list[AmendmentKind] = []
    if p["guaranteed_amount"] > before.guaranteed_amount:
        kinds.append(AmendmentKind.AMOUNT_INCREASE)
    elif p["guaranteed_amount"] < before.guaranteed_amount:
        kinds.append(AmendmentKind.AMOUNT_DECREASE)
    expiry: date | None = p.get("expiry")
    if (contract["period_start"], contract["period_end"]) != (before.period_start, before.period_end) or (
        expiry is not None and expiry != before.guarantee_expiry
    ):
        kinds.append(AmendmentKind.EXPIRY_CHANGE)
    content_changed = any(contract.get(f) != getattr(before, f) for f in _CONTENT_FIELDS if f in contract)
    if p.get("depository") and p["depository"] != before.depository:
        content_changed = True
    if content_changed:
        kinds.append(AmendmentKind.CONTENT_CHANGE)
    return kinds


def _contract_amount_changed(before: CertificateContent, contract: dict[str, Any]) -> bool:
    return contract["contract_amount"] is not None and contract["contract_amount"] != before.contract_amount


def draft_form(source_form: dict[str, Any], amended: AmendedGuarantee) -> dict[str, Any]:
    """The draft of a 変更申込: the latest version's figures over the form it was first applied with (fees,
    預託金融機関, インフォメーション), only the guarantee's own product, and what it changes."""
    c = amended.content
    contract = dict(source_form.get("contract") or {}) if isinstance(source_form.get("contract"), dict) else {}
    contract |= {
        "construction_name": c.construction_name,
        "orderer_code": c.obligee_code,
        "orderer_name": c.obligee.name,
        "period_start": c.period_start.isoformat(),
        "period_end": c.period_end.isoformat(),
    }
    if c.contract_amount is not None:
        contract["contract_amount"] = c.contract_amount
    if c.contract_date is not None:
        contract["contract_date"] = c.contract_date.isoformat()
    s = amended.product.value
    section = dict(source_form.get(s) or {}) if isinstance(source_form.get(s), dict) else {}
    section |= {
        "apply": True,
        "certificate_format": amended.certificate_format.value,
        "guaranteed_amount": c.guaranteed_amount,
        "guarantee_expiry": c.guarantee_expiry.isoformat(),
    }
    if c.depository:
        section["depository"] = c.depository
    if c.advance_payment_contract_number:
        section["advance_payment_contract_number"] = c.advance_payment_contract_number
    form: dict[str, Any] = {
        PATH: {"contract_number": amended.contract_number, "base_version": amended.version},
        "contract": contract,
        s: section,
    }
    for kept in ("tender", "information"):
        if isinstance(source_form.get(kept), dict):
            form[kept] = source_form[kept]
    return form
