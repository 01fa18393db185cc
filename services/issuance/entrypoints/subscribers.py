"""FastStream subscriber: ApplicationSubmitted → issue or reject (thin: one call into the handler)."""

import asyncpg
from faststream.rabbit import RabbitBroker

from services.issuance.handlers.issue_certificates import CONSUMER, handle_application_submitted
from services.issuance.settings import Settings
from shared.bus.consumer import subscribe
from shared.documents import DocumentRenderer
from shared.events import ApplicationSubmitted


def register(broker: RabbitBroker, settings: Settings, pool: asyncpg.Pool, renderer: DocumentRenderer) -> None:
    async def on_application_submitted(event: ApplicationSubmitted) -> None:
        await handle_application_submitted(pool, renderer, event)

    # Prefetch near the PDF pool size (FIELD-NOTES): more deliveries at once would only queue on the pool.
    subscribe(
        broker,
        settings,
        service=CONSUMER,
        event_model=ApplicationSubmitted,
        handler=on_application_submitted,
        prefetch=max(1, settings.pdf_processes),
    )
