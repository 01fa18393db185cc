"""On BidBondLapsed: the contractor reported a lost bid, so the 契約保証予約 lapses and can no longer be
converted into a 契約保証 (acceptance refuses it from then on).

A re-sent report changes nothing. A report for a bond that is not this company's, or that was already
converted, cannot be acted on: it goes to the dead-letter queue for an operator to look at.
"""

import asyncpg
import structlog

from services.issuance.adapters import certificates
from shared.bus.consumer import PoisonMessage
from shared.db.inbox import first_delivery
from shared.events import BidBondLapsed

CONSUMER = "issuance"

log = structlog.get_logger()


async def handle_bid_bond_lapsed(pool: asyncpg.Pool, event: BidBondLapsed) -> None:
    data = event.data
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER, event.id):
            log.info("redelivery ignored", contract_number=data.contract_number)
            return
        outcome = await certificates.record_lapse(conn, data.contract_number, data.contractor_company_id, data.lapsed_at)
        if outcome in ("unknown", "converted"):
            raise PoisonMessage(f"bid bond {data.contract_number} cannot lapse: {outcome}")
        log.info("bid bond lapsed", contract_number=data.contract_number, outcome=outcome)
