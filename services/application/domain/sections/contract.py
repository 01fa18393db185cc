"""請負工事の情報."""

from datetime import date
from typing import Any

from shared.japanese import wareki
from services.application.domain import values
from services.application.domain.problems import Reader


def read_contract(reader: Reader, *, bid_bond_only: bool) -> dict[str, Any]:
    """`bid_bond_only`: before the bid there is no contract yet, so no 請負金額 nor 請負契約日."""
    reader.section("contract")
    concluded = not bid_bond_only
    c = {
        "construction_name": reader.text("contract.construction_name", required=True),
        "orderer_code": reader.text("contract.orderer_code", required=True),
        "orderer_name": reader.text("contract.orderer_name", required=True),
        "contract_amount": reader.read("contract.contract_amount", values.amount, required=concluded),
        "period_start": reader.read("contract.period_start", values.a_date, required=True),
        "period_end": reader.read("contract.period_end", values.a_date, required=True),
        "contract_date": reader.read("contract.contract_date", values.a_date, required=concluded),
        "tender_notice_date": reader.read("contract.tender_notice_date", values.a_date, required=False),
        "site": reader.text("contract.site"),
        "jv_name": reader.text("contract.jv_name"),
    }
    c["jv_representative"] = reader.text(
        "contract.jv_representative", required=bool(c["jv_name"]), missing="jv_representative_required"
    )
    start: date | None = c["period_start"]
    end: date | None = c["period_end"]
    signed: date | None = c["contract_date"]
    if start and end and end < start:
        reader.add("contract.period_end", "period_order")
    if start and signed and signed > start:
        # Unusual (works normally start after signing) but possible: the contractor confirms it.
        reader.warn(
            "contract.contract_date",
            "contract_date_after_period_start",
            contract_date=wareki(signed),
            period_start=wareki(start),
        )
    return c
