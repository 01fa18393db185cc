"""FastStream subscribers: thin, each hands the typed event to its service-layer handler."""

from functools import partial

import asyncpg
from faststream.rabbit import RabbitBroker

from shared.bus.consumer import subscribe
from shared.events import (
    AmendmentWithdrawn,
    CertificateCorrected,
    ApplicationRejected,
    CertificateIssued,
    CertificatePublished,
    CertificateReviewed,
    CertificateViewed,
    PaperCertificateIssued,
)
from services.application.handlers import corrections, events
from services.application.settings import Settings

SERVICE = "application"


def register(broker: RabbitBroker, settings: Settings, pool: asyncpg.Pool) -> None:
    for model, handler in (
        (CertificateIssued, events.on_certificate_issued),
        (ApplicationRejected, events.on_application_rejected),
        (CertificatePublished, events.on_certificate_published),
        (PaperCertificateIssued, events.on_paper_certificate_issued),
        (CertificateViewed, events.on_certificate_viewed),
        (CertificateReviewed, events.on_certificate_reviewed),
        (CertificateCorrected, corrections.on_certificate_corrected),
        (AmendmentWithdrawn, corrections.on_amendment_withdrawn),
    ):
        subscribe(broker, settings, service=SERVICE, event_model=model, handler=partial(handler, pool))
