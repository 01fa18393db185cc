"""FastStream subscribers: thin, each hands the typed event to its service-layer handler."""

from functools import partial

import asyncpg
from faststream.rabbit import RabbitBroker

from shared.bus.consumer import subscribe
from shared.events import (
    AmendmentWithdrawn,
    CancellationRefused,
    CertificateCancelled,
    CertificateExpired,
    CertificateCorrected,
    ApplicationRejected,
    CertificateIssued,
    CertificatePublished,
    CertificateReviewed,
    CertificateViewed,
    PaperCertificateIssued,
)
from shared.events import AmendmentRequested, ReleaseRequested
from services.application.handlers import corrections, events, guarantee_status, orderer_requests
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
        (CertificateExpired, guarantee_status.on_certificate_expired),  # 期間満了 / 解約
        (CertificateCancelled, guarantee_status.on_certificate_cancelled),
        (CancellationRefused, guarantee_status.on_cancellation_refused),
        (AmendmentRequested, orderer_requests.on_amendment_requested),  # 変更依頼 / 解除確認 (お知らせ)
        (ReleaseRequested, orderer_requests.on_release_requested),
    ):
        subscribe(broker, settings, service=SERVICE, event_model=model, handler=partial(handler, pool), database=pool)
