"""入札の状況 (some orderers require it): 受注区分, 落札日 and the bidding figures (amounts in 千円)."""

from typing import Any

from services.application.domain import choices, values
from services.application.domain.problems import Reader


def read_tender(reader: Reader, *, required_by: str | None) -> dict[str, Any] | None:
    """The entered 入札の状況, or None when nothing was entered. `required_by`: the orderer that requires it."""
    if not reader.section("tender"):
        return None
    if not reader.filled("tender"):
        if required_by:
            reader.add("tender", "tender_required", orderer=required_by)
        return None
    t = {
        "order_type": reader.read("tender.order_type", choices.order_type, required=True, missing="required_choice"),
        "award_date": reader.read("tender.award_date", values.a_date, required=True),
        "rounds": reader.read("tender.rounds", values.count(1), required=False),
        "bidders": reader.read("tender.bidders", values.count(0), required=False),
        "disqualified": reader.read("tender.disqualified", values.count(0), required=False),
        "second_bidder": reader.text("tender.second_bidder"),
        "second_bid_thousand_yen": reader.read("tender.second_bid_thousand_yen", values.thousand_yen, required=False),
        "highest_bidder": reader.text("tender.highest_bidder"),
        "highest_bid_thousand_yen": reader.read("tender.highest_bid_thousand_yen", values.thousand_yen, required=False),
        "below_low_bid_price": bool(reader.read("tender.below_low_bid_price", values.flag, required=False)),
    }
    if t["bidders"] is not None and t["disqualified"] is not None and t["disqualified"] > t["bidders"]:
        reader.add("tender.disqualified", "disqualified_over_bidders")
    return t
