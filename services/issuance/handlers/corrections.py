"""訂正 and 変更取消 by surety staff (the CLI calls these; the back office later).

Each runs in one transaction under the guarantee's row lock (the lock a 変更申込 takes too, so a change
and a correction of the same guarantee never interleave): the new revision or the withdrawal is stored,
who/when/why goes to version_changes, and the event goes to the outbox; the issuance service's relay
publishes it. Nothing issued before is changed: the revision replaced or withdrawn keeps its content,
digest and PDFs (certificate_versions is append-only). The new revision's PDFs are rendered after the
commit, like every PDF (handlers/render_documents.py, docs/pdf-rendering.md).
"""

from dataclasses import dataclass
from datetime import datetime

import asyncpg
import structlog

from services.issuance.adapters import versions
from services.issuance.adapters.versions import StoredVersion
from services.issuance.domain.content import version_label
from services.issuance.domain.corrections import (
    CorrectionRefused,
    checked_by,
    checked_reason,
    corrected,
    judge_correction,
    judge_withdrawal,
)
from services.issuance.handlers.outcomes import SOURCE
from shared.db.outbox import enqueue
from shared.events import (
    AmendmentWithdrawn,
    AmendmentWithdrawnV1,
    CertificateCorrected,
    CertificateCorrectedV1,
    content_digest,
)

log = structlog.get_logger()


@dataclass(frozen=True)
class Done:
    contract_number: str
    version: int
    version_label: str
    revision: int  # the revision now shown (corrected) / withdrawn
    content_digest: str
    event_id: str


async def correct_version(
    pool: asyncpg.Pool,
    *,
    contract_number: str,
    version: int,
    changes: dict[str, object],
    by: str,
    reason: str,
    now: datetime,
) -> Done:
    by, reason = checked_by(by), checked_reason(reason)
    async with pool.acquire() as conn, conn.transaction():
        guarantee = await versions.lock_guarantee(conn, contract_number)
        if guarantee is None:
            raise CorrectionRefused(f"保証契約番号 {contract_number} の保証はありません")
        shown = await versions.shown_versions(conn, contract_number)
        current = next((v for v in shown if v.content.version == version), None)
        judge_correction(guarantee_content(shown), [v.content.version for v in shown], version)
        assert current is not None and guarantee.auth_key and guarantee.auth_key_hash  # judged; electronic
        content = corrected(current.content, changes)
        digest = content_digest(content)
        revision = current.revision + 1
        await versions.add_correction(
            conn,
            StoredVersion(
                content, current.application_id, digest, None, now, revision=revision,
            ),
            replaces=current,
            latest_version=guarantee.version,
            by=by,
            reason=reason,
        )
        data = CertificateCorrectedV1(
            application_id=current.application_id,
            contractor_company_id=guarantee.contractor_company_id,
            contract_number=contract_number,
            product=content.product,
            version=version,
            version_label=version_label(version),
            revision=revision,
            replaces_revision=current.revision,
            replaces_digest=current.content_digest,
            corrected_at=now,
            reason=reason,
            certificate=content,
            content_digest=digest,
            auth_key_hash=guarantee.auth_key_hash,
        )
        event = CertificateCorrected.wrap(data, source=SOURCE, subject=contract_number, correlation_id=f"correction-{contract_number}-{version}-{revision}")
        await enqueue(conn, event)
    log.info("certificate corrected", contract_number=contract_number, version=version, revision=revision, fields=sorted(changes))
    return Done(contract_number, version, version_label(version), revision, digest, event.id)


async def withdraw_amendment(
    pool: asyncpg.Pool, *, contract_number: str, version: int, by: str, reason: str, now: datetime
) -> Done:
    by, reason = checked_by(by), checked_reason(reason)
    async with pool.acquire() as conn, conn.transaction():
        guarantee = await versions.lock_guarantee(conn, contract_number)
        if guarantee is None:
            raise CorrectionRefused(f"保証契約番号 {contract_number} の保証はありません")
        shown = await versions.shown_versions(conn, contract_number)
        numbers = [v.content.version for v in shown]
        in_force_number = judge_withdrawal(contract_number, numbers, version, electronic=guarantee.electronic)
        withdrawn, in_force = shown[-1], shown[numbers.index(in_force_number)]
        await versions.withdraw_latest(conn, withdrawn, in_force=in_force, by=by, reason=reason)
        data = AmendmentWithdrawnV1(
            contract_number=contract_number,
            contractor_company_id=guarantee.contractor_company_id,
            product=guarantee.product,
            version=version,
            version_label=version_label(version),
            revision=withdrawn.revision,
            current_version=in_force_number,
            withdrawn_at=now,
            reason=reason,
        )
        event = AmendmentWithdrawn.wrap(data, source=SOURCE, subject=contract_number, correlation_id=f"withdrawal-{contract_number}-{version}")
        await enqueue(conn, event)
    log.info("amendment withdrawn", contract_number=contract_number, version=version, in_force=in_force_number)
    return Done(contract_number, version, version_label(version), withdrawn.revision, withdrawn.content_digest, event.id)


def guarantee_content(shown: list[StoredVersion]):
    """The content that says whether the guarantee is electronic (any shown version: the format never changes)."""
    if not shown:
        raise CorrectionRefused("この保証には表示中の版がありません")
    return shown[-1].content
