"""Thin FastStream subscribers (consumer "notifier"): a validated CloudEvent in, one service-layer call."""

import asyncpg
from faststream.rabbit import RabbitBroker

from services.notifier.handlers import events
from services.notifier.handlers.events import Composer
from shared.bus.consumer import subscribe
from shared.events import ApplicationSubmitted, CertificatePublished
from shared.settings import CommonSettings

SERVICE = "notifier"


def register(broker: RabbitBroker, settings: CommonSettings, pool: asyncpg.Pool, composer: Composer) -> None:
    async def on_application_submitted(event: ApplicationSubmitted) -> None:
        await events.application_submitted(pool, event, composer)

    async def on_certificate_published(event: CertificatePublished) -> None:
        await events.certificate_published(pool, event, composer)

    subscribe(broker, settings, service=SERVICE, event_model=ApplicationSubmitted, handler=on_application_submitted)
    subscribe(broker, settings, service=SERVICE, event_model=CertificatePublished, handler=on_certificate_published)
