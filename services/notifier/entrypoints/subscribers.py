"""Thin FastStream subscribers (consumer "notifier"): a validated CloudEvent in, one service-layer call."""

import asyncpg
from faststream.rabbit import RabbitBroker

from services.notifier.handlers import events, status_emails
from services.notifier.handlers.events import Composer
from services.notifier.handlers.status_emails import StatusComposer
from shared.bus.consumer import subscribe
from shared.events import ApplicationSubmitted, CertificateCancelled, CertificateExpired, CertificatePublished
from shared.settings import CommonSettings

SERVICE = "notifier"


def register(
    broker: RabbitBroker, settings: CommonSettings, pool: asyncpg.Pool, composer: Composer,
    status_composer: StatusComposer | None = None,
) -> None:
    async def on_application_submitted(event: ApplicationSubmitted) -> None:
        await events.application_submitted(pool, event, composer, status_composer)

    async def on_certificate_published(event: CertificatePublished) -> None:
        await events.certificate_published(pool, event, composer)

    subscribe(broker, settings, service=SERVICE, event_model=ApplicationSubmitted, handler=on_application_submitted, database=pool)
    subscribe(broker, settings, service=SERVICE, event_model=CertificatePublished, handler=on_certificate_published, database=pool)

    if status_composer is not None:  # 保証期間満了のお知らせ / 解約のお知らせ
        async def on_certificate_expired(event: CertificateExpired) -> None:
            await status_emails.on_certificate_expired(pool, event, status_composer)

        async def on_certificate_cancelled(event: CertificateCancelled) -> None:
            await status_emails.on_certificate_cancelled(pool, event, status_composer)

        subscribe(broker, settings, service=SERVICE, event_model=CertificateExpired, handler=on_certificate_expired, database=pool)
        subscribe(broker, settings, service=SERVICE, event_model=CertificateCancelled, handler=on_certificate_cancelled, database=pool)
