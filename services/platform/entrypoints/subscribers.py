"""The platform's subscription: CertificateIssued (consumer "platform")."""

from shared.bus.consumer import subscribe
from shared.events import CertificateIssued
from shared.runtime import ServiceContext
from services.platform.handlers.certificates import record_arrival


def register(ctx: ServiceContext) -> None:
    async def on_certificate_issued(event: CertificateIssued) -> None:
        await record_arrival(ctx.pool, event)

    subscribe(
        ctx.broker, ctx.settings, service="platform", event_model=CertificateIssued, handler=on_certificate_issued
    )
