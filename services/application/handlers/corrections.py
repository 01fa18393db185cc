"""訂正 (certificate.corrected.v1) and 変更取消 (certificate.amendment_withdrawn.v1) in Net Desk's read model.

The corrected revision replaces the shown content of its version (and, when that version is the latest,
the contract's row); its arrival on the platform comes as a CertificatePublished with its `revision`,
which replaces the version's line of the history. A withdrawal hides the version's content and history
line and shows the version before it again. The seeds: 「※訂正、変更取消された履歴は表示されません」.

Any order, any number of copies: a revision older than the shown one, or of a withdrawn version, is kept
hidden on arrival; nothing shown ever goes back to an older revision.
"""

import asyncpg
import structlog

from shared.bus.consumer import PoisonMessage
from shared.db.inbox import first_delivery
from shared.events import (
    AmendmentWithdrawn,
    CertificateCorrected,
    CertificateIssuedV1,
    CertificatePublishedV1,
    PaperCertificateIssuedV1,
)
from services.application.adapters import contracts_repository as contracts
from services.application.adapters import corrections_repository as corrections

log = structlog.get_logger()

CONSUMER_CORRECTED = "application.certificate-corrected"
CONSUMER_WITHDRAWN = "application.amendment-withdrawn"
ARRIVED_AFTER_CORRECTION = "訂正済みの版（訂正の後に到着）"


async def on_certificate_corrected(pool: asyncpg.Pool, event: CertificateCorrected) -> None:
    e = event.data
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER_CORRECTED, event.id):
            return
        owner = await conn.fetchval("SELECT company_id FROM contracts WHERE contract_number = $1", e.contract_number)
        if owner is not None and owner != e.contractor_company_id:
            raise PoisonMessage(f"{e.contract_number} does not belong to company {e.contractor_company_id}")
        content = dict(
            contract_number=e.contract_number, version=e.version, revision=e.revision, version_label=e.version_label,
            content=e.certificate.model_dump(mode="json"), content_digest=e.content_digest, issued_at=e.corrected_at,
        )
        if await corrections.is_withdrawn(conn, e.contract_number, e.version):
            reason = await corrections.withdrawal_reason(conn, e.contract_number, e.version)
            await corrections.keep_content(conn, **content, hidden_as="withdrawn", reason=reason)
            return
        shown = await corrections.shown_revision(conn, "certificate_versions", e.contract_number, e.version)
        if shown is not None and shown >= e.revision:
            if shown > e.revision:
                await corrections.keep_content(conn, **content, hidden_as="corrected", reason=ARRIVED_AFTER_CORRECTION)
            return
        await corrections.hide_content(conn, e.contract_number, e.version, hidden_as="corrected", reason=e.reason)
        await corrections.insert_content(conn, **content)
        # The contract's row follows only if this version is its latest (upsert_issued compares version and revision).
        as_issued = CertificateIssuedV1(
            application_id=e.application_id, contractor_company_id=e.contractor_company_id,
            contract_number=e.contract_number, product=e.product, version=e.version, version_label=e.version_label,
            issued_at=e.corrected_at, certificate=e.certificate, content_digest=e.content_digest,
            auth_key_hash=e.auth_key_hash,
        )
        await contracts.upsert_issued(conn, as_issued, certificate_format="electronic", revision=e.revision)
        log.info("certificate corrected", contract_number=e.contract_number, version=e.version, revision=e.revision)


async def on_amendment_withdrawn(pool: asyncpg.Pool, event: AmendmentWithdrawn) -> None:
    e = event.data
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER_WITHDRAWN, event.id):
            return
        row = await contracts.lock_owned(conn, e.contract_number, e.contractor_company_id)
        await corrections.remember_withdrawal(conn, e.contract_number, e.version, e.withdrawn_at, e.reason)
        await corrections.hide_content(conn, e.contract_number, e.version, hidden_as="withdrawn", reason=e.reason)
        await corrections.hide_publication(conn, e.contract_number, e.version, hidden_as="withdrawn", reason=e.reason)
        if row is not None and row["version"] == e.version:
            if not await corrections.show_version(conn, e.contract_number, e.current_version):
                log.warning("version in force again not kept here", contract_number=e.contract_number, version=e.current_version)
        log.info("amendment withdrawn", contract_number=e.contract_number, version=e.version, in_force=e.current_version)


async def kept_hidden_issued(conn: asyncpg.Connection, e: CertificateIssuedV1 | PaperCertificateIssuedV1) -> bool:
    """A version as first issued that must not show: withdrawn, or already corrected. Kept hidden; True then."""
    withdrawn = await corrections.is_withdrawn(conn, e.contract_number, e.version)
    shown = None if withdrawn else await corrections.shown_revision(conn, "certificate_versions", e.contract_number, e.version)
    if not withdrawn and not shown:
        return False
    await corrections.keep_content(
        conn, contract_number=e.contract_number, version=e.version, revision=0, version_label=e.version_label,
        content=e.certificate.model_dump(mode="json"), content_digest=e.content_digest, issued_at=e.issued_at,
        hidden_as="withdrawn" if withdrawn else "corrected",
        reason=await corrections.withdrawal_reason(conn, e.contract_number, e.version) if withdrawn else ARRIVED_AFTER_CORRECTION,
    )
    return True


async def record_publication(conn: asyncpg.Connection, e: CertificatePublishedV1) -> None:
    """The arrival of a revision (CertificatePublished): its line of the history, unless a newer revision's
    line is there or the version was withdrawn (kept hidden then). The first arrival of a revision counts."""
    line = dict(
        contract_number=e.contract_number, version=e.version, revision=e.revision, version_label=e.version_label,
        content_digest=e.content_digest, published_at=e.published_at,
    )
    if await corrections.is_withdrawn(conn, e.contract_number, e.version):
        reason = await corrections.withdrawal_reason(conn, e.contract_number, e.version)
        await corrections.keep_publication(conn, **line, hidden_as="withdrawn", reason=reason)
        return
    shown = await corrections.shown_revision(conn, "certificate_history", e.contract_number, e.version)
    if shown is not None and shown >= e.revision:
        if shown > e.revision:
            await corrections.keep_publication(conn, **line, hidden_as="corrected", reason=ARRIVED_AFTER_CORRECTION)
        return
    await corrections.hide_publication(conn, e.contract_number, e.version, hidden_as="corrected", reason="訂正")
    await corrections.insert_publication(
        conn, **{k: v for k, v in line.items()}, application_id=e.application_id, product=e.product.value
    )
