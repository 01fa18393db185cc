"""The platform's subscription: CertificateIssued (consumer "platform")."""

from shared.bus.consumer import subscribe
from functools import partial

from shared.events import AmendmentWithdrawn, CertificateCancelled, CertificateCorrected, CertificateExpired, CertificateIssued
from shared.runtime import ServiceContext
from services.platform.handlers.certificates import record_arrival
from services.platform.handlers import corrections, status


def register(ctx: ServiceContext) -> None:
    async def on_certificate_issued(event: CertificateIssued) -> None:
        await record_arrival(ctx.pool, event)

    subscribe(
        ctx.broker, ctx.settings, service="platform", event_model=CertificateIssued, handler=on_certificate_issued,
        database=ctx.pool,
    )

    async def on_certificate_corrected(event: CertificateCorrected) -> None:
        await corrections.record_correction(ctx.pool, event)

    async def on_amendment_withdrawn(event: AmendmentWithdrawn) -> None:
        await corrections.record_withdrawal(ctx.pool, event)

    subscribe(
        ctx.broker, ctx.settings, service="platform", event_model=CertificateCorrected, handler=on_certificate_corrected,
        database=ctx.pool,
    )
    subscribe(ctx.broker, ctx.settings, service="platform", event_model=AmendmentWithdrawn, handler=on_amendment_withdrawn,
              database=ctx.pool)

    # 期間満了 / 解約 (handlers/status.py)
    for model, handler in ((CertificateExpired, status.on_certificate_expired),
                           (CertificateCancelled, status.on_certificate_cancelled)):
        subscribe(ctx.broker, ctx.settings, service="platform", event_model=model, handler=partial(handler, ctx.pool),
                  database=ctx.pool)
