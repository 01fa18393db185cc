"""On an ApplicationSubmitted with `amendment` (変更申込): the next version, 変更-N, of an issued guarantee.

No number is drawn and no key is made: version N = latest + 1 of the guarantee the application names,
with the same 保証契約番号 and the same 認証キー and key hash (carried over from the guarantee), a new content
(証書の日付 today), a new content digest and the jobs of its PDFs: a new certificate PDF (変更-N under the
title) and, for an electronic guarantee, a new key notice that says it is for a change (対象 変更-N, the key
unchanged), rendered after the commit like every PDF (handlers/render_documents.py); then CertificateIssued,
or PaperCertificateIssued for a paper guarantee (its changes are on paper too). The older versions, their
digests and PDFs, stay as they were.

It runs in handle_application_submitted's transaction, after the inbox row. The guarantee's row is locked
(FOR UPDATE) before anything is looked up: of two deliveries of the same application under different
event ids, the second waits, then finds the first one's version and does nothing; of two changes of the
same guarantee, the second waits, then finds itself prepared from an older version and is rejected.
"""

from dataclasses import replace
from datetime import datetime

import asyncpg
import structlog

from services.issuance.adapters import certificates, registry, status_repository, versions
from services.issuance.adapters.versions import StoredVersion
from services.issuance.domain.acceptance import review
from services.issuance.domain.amendments import (
    amended_application,
    amended_number,
    judge_advances,
    judge_guarantee,
)
from services.issuance.domain.content import build_content
from services.issuance.domain.links import linked_numbers
from services.issuance.domain.model import Guarantee
from services.issuance.handlers.outcomes import SOURCE, event_fields, reject
from shared.db.outbox import enqueue
from shared.events import (
    ApplicationSubmitted,
    CertificateContent,
    CertificateIssued,
    CertificateIssuedV1,
    PaperCertificateIssued,
    PaperCertificateIssuedV1,
    content_digest,
)
from shared.japanese import JST

log = structlog.get_logger()


async def amend(conn: asyncpg.Connection, event: ApplicationSubmitted, now: datetime) -> None:
    application = event.data
    number = amended_number(application)
    guarantee = await versions.lock_guarantee(conn, number)
    if guarantee is not None:  # 期間満了 / 解約, read after the lock (the lock the expiry job takes too)
        guarantee = replace(guarantee, ending=await status_repository.ending_of(conn, number))
    if await certificates.application_already_handled(conn, application.application_id):
        log.warning("application already handled under another event id", application_id=str(application.application_id))
        return
    reasons = judge_guarantee(application, guarantee)
    if reasons:
        await reject(conn, event, reasons, now)
        return
    assert guarantee is not None  # judge_guarantee said so
    amended = amended_application(application, guarantee)
    orderer = await registry.find_orderer(conn, amended.contract.orderer_code)
    branch = await registry.find_branch(conn, amended.branch)
    linked = await certificates.lock_linked(conn, linked_numbers(amended))
    reasons = review(amended, orderer, branch, linked) + judge_advances(amended, guarantee)
    if reasons:
        await reject(conn, event, reasons, now)
        return
    assert orderer is not None and branch is not None  # review() said so
    issuer = await registry.get_issuer(conn)
    request = amended.products[0]
    content = build_content(
        amended,
        request,
        contract_number=guarantee.contract_number,
        orderer=orderer,
        issuer=issuer,
        branch=branch,
        certificate_date=now.astimezone(JST).date(),
        version=guarantee.next_amendment,
    )
    if content.electronic:
        await _amend_electronic(conn, event, guarantee, content, now)
    else:
        await _amend_paper(conn, event, guarantee, content, now)


async def _amend_electronic(
    conn: asyncpg.Connection,
    event: ApplicationSubmitted,
    guarantee: Guarantee,
    content: CertificateContent,
    now: datetime,
) -> None:
    application = event.data
    assert guarantee.auth_key and guarantee.auth_key_hash  # an electronic guarantee has both (certificates CHECK)
    digest = content_digest(content)
    # Its key notice carries the same 認証キー (the orderer opens every version with it): rendered from the
    # guarantee's key after the commit (pdf_jobs).
    await versions.add_amendment(
        conn, StoredVersion(content, application.application_id, digest, None, now), base_version=guarantee.version
    )
    data = CertificateIssuedV1(**event_fields(application, content, digest, now), auth_key_hash=guarantee.auth_key_hash)
    await enqueue(
        conn, CertificateIssued.wrap(data, source=SOURCE, subject=content.contract_number, correlation_id=event.correlationid)
    )
    log.info("certificate amended", contract_number=content.contract_number, version=content.version)


async def _amend_paper(
    conn: asyncpg.Connection,
    event: ApplicationSubmitted,
    guarantee: Guarantee,
    content: CertificateContent,
    now: datetime,
) -> None:
    """A paper guarantee's change: a new paper original (変更-N), no 認証キー, never posted to the platform."""
    application = event.data
    digest = content_digest(content)
    await versions.add_amendment(
        conn, StoredVersion(content, application.application_id, digest, None, now), base_version=guarantee.version
    )
    data = PaperCertificateIssuedV1(**event_fields(application, content, digest, now), delivery=application.paper_delivery)
    await enqueue(
        conn,
        PaperCertificateIssued.wrap(data, source=SOURCE, subject=content.contract_number, correlation_id=event.correlationid),
    )
    log.info("paper certificate amended", contract_number=content.contract_number, version=content.version)
