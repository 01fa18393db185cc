"""CertificatePublished: a version (or a corrected revision of it) arrived on the platform at `arrived_at`,
its 電子保証発行日時. Enqueued in the caller's transaction, with the arrival it announces."""

from datetime import datetime

import asyncpg

from shared.db.outbox import enqueue
from shared.events import CertificateCorrectedV1, CertificateIssuedV1, CertificatePublished, CertificatePublishedV1

SOURCE = "/esurety/platform"


async def announce_arrival(
    conn: asyncpg.Connection,
    data: CertificateIssuedV1 | CertificateCorrectedV1,
    arrived_at: datetime,
    *,
    correlation_id: str,
    revision: int = 0,
) -> None:
    published = CertificatePublishedV1(
        application_id=data.application_id,
        contract_number=data.contract_number,
        product=data.product,
        version=data.version,
        version_label=data.version_label,
        published_at=arrived_at,
        content_digest=data.content_digest,
        construction_name=data.certificate.construction_name,
        orderer_name=data.certificate.obligee.name,
        contractor_name=data.certificate.contractor.name,
        revision=revision,
    )
    await enqueue(
        conn,
        CertificatePublished.wrap(published, source=SOURCE, subject=data.contract_number, correlation_id=correlation_id),
    )
