"""FastStream subscribers (thin: one call into a handler each): ApplicationSubmitted → issue or reject;
BidBondLapsed → the 契約保証予約 lapses."""

from functools import partial

import asyncpg
from faststream.rabbit import RabbitBroker

from services.issuance.handlers import cancellations, orderer_requests
from shared.events import AmendmentRequested, ReleaseRequested
from services.issuance.handlers.bid_bond_lapses import handle_bid_bond_lapsed
from services.issuance.handlers.issue_certificates import CONSUMER, handle_application_submitted
from services.issuance.settings import Settings
from shared.bus.consumer import subscribe
from shared.events import ApplicationSubmitted, BidBondLapsed, CancellationRequested


def register(broker: RabbitBroker, settings: Settings, pool: asyncpg.Pool) -> None:
    async def on_application_submitted(event: ApplicationSubmitted) -> None:
        await handle_application_submitted(pool, event)

    # No PDF is rendered here any more (handlers/render_documents.py): the prefetch no longer follows the pool.
    subscribe(
        broker,
        settings,
        service=CONSUMER,
        event_model=ApplicationSubmitted,
        handler=on_application_submitted,
        database=pool,
        prefetch=settings.issue_prefetch,
    )

    async def on_bid_bond_lapsed(event: BidBondLapsed) -> None:
        await handle_bid_bond_lapsed(pool, event)

    subscribe(broker, settings, service=CONSUMER, event_model=BidBondLapsed, handler=on_bid_bond_lapsed, database=pool)

    async def on_cancellation_requested(event: CancellationRequested) -> None:  # 解約の申込 (handlers/cancellations)
        await cancellations.on_cancellation_requested(pool, event)

    subscribe(broker, settings, service=CONSUMER, event_model=CancellationRequested, handler=on_cancellation_requested, database=pool)

    # 変更依頼 / 解除確認 from the orderers (handlers/orderer_requests)
    subscribe(broker, settings, service=CONSUMER, event_model=AmendmentRequested,
              handler=partial(orderer_requests.on_amendment_requested, pool), database=pool)
    subscribe(broker, settings, service=CONSUMER, event_model=ReleaseRequested,
              handler=partial(orderer_requests.on_release_requested, pool), database=pool)
