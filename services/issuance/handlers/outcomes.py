"""What issuing a new certificate and issuing a change (変更-N) have in common: the rejection and the fields of
CertificateIssued / PaperCertificateIssued. (Their PDFs are rendered after the commit: render_documents.py.)"""

from datetime import datetime

import asyncpg
import structlog

from services.issuance.adapters import certificates
from services.issuance.domain.content import version_label
from shared.db.outbox import enqueue
from shared.events import (
    ApplicationRejected,
    ApplicationRejectedV1,
    ApplicationSubmitted,
    ApplicationSubmittedV1,
    CertificateContent,
    RejectionReason,
)

SOURCE = "/esurety/issuance"

log = structlog.get_logger()


async def reject(conn: asyncpg.Connection, event: ApplicationSubmitted, reasons: list[RejectionReason], now: datetime) -> None:
    application_id = event.data.application_id
    await certificates.add_rejection(conn, application_id, reasons, now)
    data = ApplicationRejectedV1(application_id=application_id, rejected_at=now, reasons=reasons)
    await enqueue(
        conn,
        ApplicationRejected.wrap(data, source=SOURCE, subject=str(application_id), correlation_id=event.correlationid),
    )
    log.info("application rejected", application_id=str(application_id), rules=[r.rule for r in reasons])


def event_fields(application: ApplicationSubmittedV1, content: CertificateContent, digest: str, now: datetime) -> dict:
    """What CertificateIssued and PaperCertificateIssued have in common."""
    return {
        "application_id": application.application_id,
        "contractor_company_id": application.contractor.company_id,
        "contract_number": content.contract_number,
        "product": content.product,
        "version": content.version,
        "version_label": version_label(content.version),
        "issued_at": now,
        "certificate": content,
        "content_digest": digest,
    }
