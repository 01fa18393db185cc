"""On ApplicationSubmitted: accept and issue one certificate per product, or reject with reasons.

An electronic product gets a 認証キー and a key notice and goes to the platform (CertificateIssued);
a paper product (証書(紙)) gets only its certificate PDF, the original the company prints and hands
over (PaperCertificateIssued, which the platform never sees).

Everything happens in one transaction that starts with the inbox row: the certificates, their PDFs
and the outgoing events (outbox) commit together or not at all. A redelivered event finds its inbox
row and does nothing; the same application under another event id finds its certificates and does
nothing either.
"""

import asyncio
from collections.abc import Callable
from datetime import date, datetime, timezone

import asyncpg
import structlog

from services.issuance.adapters import certificates, registry, serials
from services.issuance.adapters.certificates import StoredCertificate
from services.issuance.domain.acceptance import review
from services.issuance.domain.links import linked_numbers
from services.issuance.domain.auth_keys import new_auth_key
from services.issuance.domain.content import build_content, version_label
from services.issuance.domain.model import Branch, IssuerCompany, Orderer
from services.issuance.domain.numbers import CATEGORY_OF, contract_number, number_prefix
from shared.auth import hash_auth_key
from shared.db.inbox import first_delivery
from shared.db.outbox import enqueue
from shared.documents import DocumentRenderer, KeyNotice
from shared.events import (
    ApplicationRejected,
    ApplicationRejectedV1,
    ApplicationSubmitted,
    ApplicationSubmittedV1,
    CertificateContent,
    CertificateIssued,
    CertificateIssuedV1,
    PaperCertificateIssued,
    PaperCertificateIssuedV1,
    Product,
    ProductRequest,
    RejectionReason,
    content_digest,
)
from shared.japanese import JST

CONSUMER = "issuance"
SOURCE = "/esurety/issuance"

log = structlog.get_logger()


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


async def handle_application_submitted(
    pool: asyncpg.Pool,
    renderer: DocumentRenderer,
    event: ApplicationSubmitted,
    *,
    clock: Callable[[], datetime] = _utc_now,
) -> None:
    application = event.data
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER, event.id):
            log.info("redelivery ignored", application_id=str(application.application_id))
            return
        if await certificates.application_already_handled(conn, application.application_id):
            log.warning("application already handled under another event id", application_id=str(application.application_id))
            return
        now = clock()
        orderer = await registry.find_orderer(conn, application.contract.orderer_code)
        branch = await registry.find_branch(conn, application.branch)
        linked = await certificates.lock_linked(conn, linked_numbers(application))
        reasons = review(application, orderer, branch, linked)
        if reasons:
            await _reject(conn, event, reasons, now)
            return
        assert orderer is not None and branch is not None  # review() said so
        issuer = await registry.get_issuer(conn)
        for request in application.products:
            number = await _issue(conn, renderer, event, request, orderer, branch, issuer, now)
            if request.product is Product.CONTRACT_GUARANTEE and request.bid_bond_contract_number:
                bond = request.bid_bond_contract_number.strip()
                await certificates.record_conversion(conn, bond, number, application.application_id)
                log.info("bid bond converted", bid_bond=bond, contract_number=number)


async def _reject(conn: asyncpg.Connection, event: ApplicationSubmitted, reasons: list[RejectionReason], now: datetime) -> None:
    application_id = event.data.application_id
    await certificates.add_rejection(conn, application_id, reasons, now)
    data = ApplicationRejectedV1(application_id=application_id, rejected_at=now, reasons=reasons)
    await enqueue(
        conn,
        ApplicationRejected.wrap(data, source=SOURCE, subject=str(application_id), correlation_id=event.correlationid),
    )
    log.info("application rejected", application_id=str(application_id), rules=[r.rule for r in reasons])


async def _issue(
    conn: asyncpg.Connection,
    renderer: DocumentRenderer,
    event: ApplicationSubmitted,
    request: ProductRequest,
    orderer: Orderer,
    branch: Branch,
    issuer: IssuerCompany,
    now: datetime,
) -> str:
    """Number, content, PDFs, row and outgoing event of one product; returns the 保証契約番号."""
    application = event.data
    today: date = now.astimezone(JST).date()
    category = CATEGORY_OF[request.product]
    prefix = number_prefix(branch.code, today)
    number = contract_number(prefix, await serials.next_serial(conn, prefix, category), category)
    content = build_content(
        application, request, contract_number=number, orderer=orderer, issuer=issuer, branch=branch, certificate_date=today
    )
    if content.electronic:
        await _issue_electronic(conn, renderer, event, content, issuer, now)
    else:
        await _issue_paper(conn, renderer, event, content, now)
    return number


def _stored(application: ApplicationSubmittedV1, content: CertificateContent, digest: str, certificate_pdf: bytes, now: datetime, **key_parts):
    """The certificate row; `key_parts` (auth_key, auth_key_hash, key_notice_pdf) only when electronic."""
    return StoredCertificate(
        content=content,
        application_id=application.application_id,
        contractor_company_id=application.contractor.company_id,
        content_digest=digest,
        certificate_pdf=certificate_pdf,
        issued_at=now,
        **key_parts,
    )


def _event_fields(application: ApplicationSubmittedV1, content: CertificateContent, digest: str, now: datetime) -> dict:
    """What CertificateIssued and PaperCertificateIssued have in common."""
    return dict(
        application_id=application.application_id,
        contractor_company_id=application.contractor.company_id,
        contract_number=content.contract_number,
        product=content.product,
        version=content.version,
        version_label=version_label(content.version),
        issued_at=now,
        certificate=content,
        content_digest=digest,
    )


async def _issue_electronic(
    conn: asyncpg.Connection,
    renderer: DocumentRenderer,
    event: ApplicationSubmitted,
    content: CertificateContent,
    issuer: IssuerCompany,
    now: datetime,
) -> None:
    application = event.data
    number = content.contract_number
    auth_key = new_auth_key()
    notice = KeyNotice(
        construction_name=content.construction_name,
        contractor_name=content.contractor.name,
        product=content.product,
        contract_number=number,
        auth_key=auth_key,
        issuer_name=issuer.name,
    )
    # Argon2 and WeasyPrint are CPU work: a thread (argon2-cffi releases the GIL) and the renderer's processes.
    key_hash, certificate_pdf, key_notice_pdf = await asyncio.gather(
        asyncio.to_thread(hash_auth_key, auth_key), renderer.certificate_pdf(content), renderer.key_notice_pdf(notice)
    )
    digest = content_digest(content)
    stored = _stored(
        application, content, digest, certificate_pdf, now,
        auth_key=auth_key, auth_key_hash=key_hash, key_notice_pdf=key_notice_pdf,
    )
    await certificates.add_certificate(conn, stored)
    data = CertificateIssuedV1(**_event_fields(application, content, digest, now), auth_key_hash=key_hash)
    await enqueue(conn, CertificateIssued.wrap(data, source=SOURCE, subject=number, correlation_id=event.correlationid))
    log.info("certificate issued", contract_number=number, product=content.product.value)


async def _issue_paper(
    conn: asyncpg.Connection,
    renderer: DocumentRenderer,
    event: ApplicationSubmitted,
    content: CertificateContent,
    now: datetime,
) -> None:
    """A paper original: a number and its printable PDF, no 認証キー, never posted to the platform."""
    application = event.data
    number = content.contract_number
    certificate_pdf = await renderer.certificate_pdf(content)
    digest = content_digest(content)
    await certificates.add_certificate(conn, _stored(application, content, digest, certificate_pdf, now))
    data = PaperCertificateIssuedV1(
        **_event_fields(application, content, digest, now), delivery=application.paper_delivery
    )
    await enqueue(conn, PaperCertificateIssued.wrap(data, source=SOURCE, subject=number, correlation_id=event.correlationid))
    log.info("paper certificate issued", contract_number=number, product=content.product.value)
