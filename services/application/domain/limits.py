"""Bounds of the application form: each text field's maximum length, the amounts' ceiling, and the check a
draft passes before it is stored.

Lengths are what a real form and the certificate page hold (the certificate prints 工事名, 工事場所, 発注者名
and 預託金融機関 on one A4 page at their maximum: tests/unit/documents checks it). 申込確認 checks them again,
for drafts stored before these bounds existed. The web form's `maxlength` comes from here too.
"""

import math
from typing import Any

from shared.events.bounds import MAX_YEN
from shared.text_policy import storable

MAX_LENGTHS: dict[str, int] = {
    "contract.construction_name": 100,
    "contract.orderer_code": 40,
    "contract.orderer_name": 60,
    "contract.site": 100,
    "contract.jv_name": 60,
    "contract.jv_representative": 60,
    "advance_payment.depository": 40,
    "intermediate_advance_payment.depository": 40,
    "tender.second_bidder": 60,
    "tender.highest_bidder": 60,
    "information.branch": 40,
    "information.email": 254,  # RFC 5321's path limit
    "information.addressee.name": 60,
    "information.addressee.address": 120,
    "information.contact.department": 40,
    "information.contact.title": 30,
    "information.contact.name": 30,
    "information.contact.phone": 20,
    "information.message_to_company": 1000,
}
# 保証料支払方法 / 請求先 of every product.
FEE_LENGTHS = {"fee_payment_method": 20, "fee_billing_to": 40}
# Anything else typed as text (an amount, a date, a choice, a 保証契約番号) is short.
OTHER_MAX_LENGTH = 40
# Fields of several lines (a textarea): line breaks are allowed there and nowhere else.
MULTILINE = frozenset({"information.message_to_company"})
# Objects inside a section (everything else in a section is one value).
SUBSECTIONS = frozenset({"information.addressee", "information.contact"})
# A number typed into any field (an amount in yen is bounded by MAX_YEN at 申込確認); what is larger is not
# a figure anybody enters and is refused before it is stored.
MAX_NUMBER = MAX_YEN * 1000


def max_length(path: str) -> int:
    if path in MAX_LENGTHS:
        return MAX_LENGTHS[path]
    return FEE_LENGTHS.get(path.rsplit(".", 1)[-1], OTHER_MAX_LENGTH)


def multiline(path: str) -> bool:
    return path in MULTILINE


def storage_problems(form: dict[str, Any], prefix: str = "") -> list[tuple[str, str, dict[str, str]]]:
    """(path, rule, fill) for every value of an entered form that cannot be kept as a draft: too long, a
    character PostgreSQL cannot store (NUL), a number that is not finite or absurdly large, or a list or
    object where a value belongs. Everything else is kept as typed and judged by 申込確認."""
    found: list[tuple[str, str, dict[str, str]]] = []
    for key, value in form.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and (not prefix or path in SUBSECTIONS):
            found += storage_problems(value, f"{path}.")
        elif value is None or isinstance(value, bool):
            continue
        elif isinstance(value, str):
            if len(value) > (limit := max_length(path)):
                found.append((path, "too_long", {"max_length": str(limit), "length": str(len(value))}))
            elif not storable(value):
                found.append((path, "not_storable", {}))
        elif isinstance(value, int):
            if abs(value) > MAX_NUMBER:
                found.append((path, "number_too_large", {}))
        elif isinstance(value, float):
            if not math.isfinite(value) or abs(value) > MAX_NUMBER:
                found.append((path, "number_too_large", {}))
        else:
            found.append((path, "scalar", {}))
    return found
