"""certificate.corrected.v1 and certificate.amendment_withdrawn.v1 on the platform.

A corrected revision replaces the shown row of its version and arrives now (its own 電子保証発行日時; a
CertificatePublished with its `revision` tells Net Desk); the row it replaces moves to hidden_versions
with its original arrival time. A withdrawal hides the version it names. Both are safe in any order and
twice: a revision older than the one shown, or of a withdrawn version, is kept hidden on arrival.
"""

import asyncpg
import structlog

from shared.bus.consumer import PoisonMessage
from shared.db.inbox import first_delivery
from shared.events import (
    AmendmentWithdrawn,
    CertificateCorrected,
    CertificateIssuedV1,
    content_digest,
)
from services.platform.adapters import correction_repository as corrections
from services.platform.handlers.publication import announce_arrival

log = structlog.get_logger()

CONSUMER_CORRECTED = "platform.certificate-corrected"
CONSUMER_WITHDRAWN = "platform.amendment-withdrawn"
ARRIVED_AFTER_CORRECTION = "訂正済みの版（訂正の後に到着）"


async def record_correction(pool: asyncpg.Pool, event: CertificateCorrected) -> None:
    data = event.data
    if content_digest(data.certificate) != data.content_digest:
        raise PoisonMessage(f"content digest mismatch on the correction of {data.contract_number}")
    if (data.certificate.contract_number, data.certificate.version) != (data.contract_number, data.version):
        raise PoisonMessage("contract number or version differ between the correction and its certificate")
    if not data.certificate.electronic:
        raise PoisonMessage("a paper certificate is never corrected on the platform")
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER_CORRECTED, event.id):
            return
        hidden = dict(
            contract_number=data.contract_number, version=data.version, revision=data.revision,
            version_label=data.version_label, product=data.product.value, application_id=data.application_id,
            content=data.certificate.model_dump(mode="json"), content_digest=data.content_digest,
            auth_key_hash=data.auth_key_hash, obligee_code=data.certificate.obligee_code, issued_at=data.corrected_at,
            event_id=event.id,
        )
        if await corrections.is_withdrawn(conn, data.contract_number, data.version):
            reason = await corrections.withdrawal_reason(conn, data.contract_number, data.version)
            await corrections.insert_hidden(conn, **hidden, hidden_as="withdrawn", reason=reason or "")
            log.info("correction of a withdrawn version kept hidden", contract_number=data.contract_number, version=data.version)
            return
        shown = await corrections.shown_row(conn, data.contract_number, data.version)
        if shown is not None and shown["revision"] >= data.revision:
            if shown["revision"] == data.revision and shown["content_digest"] != data.content_digest:
                raise PoisonMessage(f"{data.contract_number} version {data.version} revision {data.revision} differs")
            if shown["revision"] > data.revision:  # a newer correction came first: this one is history
                await corrections.insert_hidden(conn, **hidden, hidden_as="corrected", reason=ARRIVED_AFTER_CORRECTION)
            log.info("correction already here or superseded", contract_number=data.contract_number, revision=data.revision)
            return
        if await corrections.hidden_digest(conn, data.contract_number, data.version, data.revision):
            return  # this revision was shown and replaced already (a copy under another event id)
        if shown is not None:
            await corrections.hide_shown(conn, data.contract_number, data.version, hidden_as="corrected", reason=data.reason)
        arrived_at = await corrections.insert_corrected(conn, data, event_id=event.id)
        await announce_arrival(conn, data, arrived_at, correlation_id=event.correlationid, revision=data.revision)
        log.info("corrected certificate arrived", contract_number=data.contract_number, version=data.version, revision=data.revision)


async def record_withdrawal(pool: asyncpg.Pool, event: AmendmentWithdrawn) -> None:
    data = event.data
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER_WITHDRAWN, event.id):
            return
        await corrections.remember_withdrawal(
            conn, data.contract_number, data.version, data.withdrawn_at, data.reason, event.id
        )
        hidden = await corrections.hide_shown(
            conn, data.contract_number, data.version, hidden_as="withdrawn", reason=data.reason
        )
        log.info("amendment withdrawn", contract_number=data.contract_number, version=data.version, was_shown=hidden)


async def kept_hidden_on_arrival(conn: asyncpg.Connection, data: CertificateIssuedV1, *, event_id: str) -> bool:
    """A version as first issued (revision 0) that must not show: it was withdrawn, or corrected already
    (the correction arrived first). It is kept hidden; True then."""
    withdrawn = await corrections.is_withdrawn(conn, data.contract_number, data.version)
    shown = None if withdrawn else await corrections.shown_row(conn, data.contract_number, data.version)
    if not withdrawn and (shown is None or shown["revision"] == 0):
        return False
    await corrections.insert_hidden(
        conn,
        contract_number=data.contract_number, version=data.version, revision=0, version_label=data.version_label,
        product=data.product.value, application_id=data.application_id,
        content=data.certificate.model_dump(mode="json"), content_digest=data.content_digest,
        auth_key_hash=data.auth_key_hash, obligee_code=data.certificate.obligee_code, issued_at=data.issued_at,
        event_id=event_id,
        hidden_as="withdrawn" if withdrawn else "corrected",
        reason=(await corrections.withdrawal_reason(conn, data.contract_number, data.version) or "")
        if withdrawn else ARRIVED_AFTER_CORRECTION,
    )
    log.info("certificate version kept hidden on arrival", contract_number=data.contract_number, version=data.version)
    return True
