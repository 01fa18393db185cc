"""On ApplicationSubmitted: accept and issue one certificate per product, or reject with reasons.

An electronic product gets a 認証キー and a key notice and goes to the platform (CertificateIssued);
a paper product (証書(紙)) gets only its certificate PDF, the original the company prints and hands
over (PaperCertificateIssued, which the platform never sees).

Everything happens in one transaction that starts with the inbox row: the certificates (number, 認証キー
and its hash, content, digest), one pdf_jobs row per document and the outgoing events (outbox) commit
together or not at all. A redelivered event finds its inbox row and does nothing (no second job either);
the same application under another event id finds its certificates and does nothing either.

No PDF is rendered here (issue 12: WeasyPrint was 84% of the CPU inside this transaction, and every
completion email waited for it). The documents are rendered after the commit, by the PDF worker or by the
first download (handlers/render_documents.py, docs/pdf-rendering.md); a render that fails is retried there,
and no longer rejects the application.

A 変更申込 (`amendment` set) draws no number: it becomes the next version of the guarantee it names
(amend_certificate).
"""

from collections.abc import Callable
from datetime import date, datetime, timezone

import asyncpg
import structlog

from services.issuance.adapters import certificates, registry, serials
from services.issuance.adapters.certificates import StoredCertificate
from services.issuance.adapters.metrics import record_certificates_issued
from services.issuance.domain.acceptance import review
from services.issuance.domain.links import linked_numbers
from services.issuance.domain.auth_keys import new_auth_key
from services.issuance.domain.content import build_content
from services.issuance.domain.model import Branch, IssuerCompany, Orderer
from services.issuance.domain.numbers import CATEGORY_OF, contract_number, number_prefix, sequence_name
from services.issuance.handlers.amend_certificate import amend
from services.issuance.handlers.outcomes import SOURCE, event_fields, reject
from shared.auth import hash_auth_key
from shared.db.inbox import first_delivery
from shared.db.outbox import enqueue
from shared.events import (
    ApplicationSubmitted,
    ApplicationSubmittedV1,
    CertificateContent,
    CertificateIssued,
    CertificateIssuedV1,
    PaperCertificateIssued,
    PaperCertificateIssuedV1,
    Product,
    ProductRequest,
    content_digest,
)
from shared.japanese import JST

CONSUMER = "issuance"
__all__ = ["CONSUMER", "SOURCE", "handle_application_submitted"]

log = structlog.get_logger()


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


async def handle_application_submitted(
    pool: asyncpg.Pool,
    event: ApplicationSubmitted,
    *,
    clock: Callable[[], datetime] = _utc_now,
) -> None:
    application = event.data
    issued: list[Product] = []  # counted once the transaction has committed
    async with pool.acquire() as conn, conn.transaction():
        if not await first_delivery(conn, CONSUMER, event.id):
            log.info("redelivery ignored", application_id=str(application.application_id))
            return
        if application.amendment is not None:
            await amend(conn, event, clock())
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
            await reject(conn, event, reasons, now)
            return
        assert orderer is not None and branch is not None  # review() said so
        issuer = await registry.get_issuer(conn)
        await _ensure_sequences(conn, application, branch, now)
        for request in application.products:
            number = await _issue(conn, event, request, orderer, branch, issuer, now)
            if request.product is Product.CONTRACT_GUARANTEE and request.bid_bond_contract_number:
                bond = request.bid_bond_contract_number.strip()
                await certificates.record_conversion(conn, bond, number, application.application_id)
                log.info("bid bond converted", bid_bond=bond, contract_number=number)
        issued = [request.product for request in application.products]
    record_certificates_issued(issued)


async def _ensure_sequences(
    conn: asyncpg.Connection, application: ApplicationSubmittedV1, branch: Branch, now: datetime
) -> None:
    """Create the products' serial sequences first (one place that creates them, before any serial is drawn)."""
    prefix = number_prefix(branch.code, now.astimezone(JST).date())
    for request in application.products:
        await serials.ensure_sequence(conn, sequence_name(prefix, CATEGORY_OF[request.product]))


async def _issue(
    conn: asyncpg.Connection,
    event: ApplicationSubmitted,
    request: ProductRequest,
    orderer: Orderer,
    branch: Branch,
    issuer: IssuerCompany,
    now: datetime,
) -> str:
    """Number, content, row (its PDFs to be rendered: pdf_jobs) and outgoing event of one product; returns
    the 保証契約番号."""
    application = event.data
    today: date = now.astimezone(JST).date()
    category = CATEGORY_OF[request.product]
    prefix = number_prefix(branch.code, today)
    number = contract_number(prefix, await serials.next_serial(conn, prefix, category), category)
    content = build_content(
        application, request, contract_number=number, orderer=orderer, issuer=issuer, branch=branch, certificate_date=today
    )
    if content.electronic:
        await _issue_electronic(conn, event, content, now)
    else:
        await _issue_paper(conn, event, content, now)
    return number


def _stored(application: ApplicationSubmittedV1, content: CertificateContent, digest: str, now: datetime, **key_parts):
    """The certificate row, its PDFs still to render; `key_parts` (auth_key, auth_key_hash) only when electronic."""
    return StoredCertificate(
        content=content,
        application_id=application.application_id,
        contractor_company_id=application.contractor.company_id,
        content_digest=digest,
        certificate_pdf=None,
        issued_at=now,
        **key_parts,
    )


async def _issue_electronic(
    conn: asyncpg.Connection,
    event: ApplicationSubmitted,
    content: CertificateContent,
    now: datetime,
) -> None:
    application = event.data
    number = content.contract_number
    auth_key = new_auth_key()
    key_hash = hash_auth_key(auth_key)  # a keyed hash (HMAC): microseconds, no thread
    digest = content_digest(content)
    stored = _stored(application, content, digest, now, auth_key=auth_key, auth_key_hash=key_hash)
    await certificates.add_certificate(conn, stored)
    data = CertificateIssuedV1(**event_fields(application, content, digest, now), auth_key_hash=key_hash)
    await enqueue(conn, CertificateIssued.wrap(data, source=SOURCE, subject=number, correlation_id=event.correlationid))
    log.info("certificate issued", contract_number=number, product=content.product.value)


async def _issue_paper(
    conn: asyncpg.Connection,
    event: ApplicationSubmitted,
    content: CertificateContent,
    now: datetime,
) -> None:
    """A paper original: a number and its printable PDF (rendered after the commit, like every PDF), no
    認証キー, never posted to the platform."""
    application = event.data
    number = content.contract_number
    digest = content_digest(content)
    await certificates.add_certificate(conn, _stored(application, content, digest, now))
    data = PaperCertificateIssuedV1(
        **event_fields(application, content, digest, now), delivery=application.paper_delivery
    )
    await enqueue(conn, PaperCertificateIssued.wrap(data, source=SOURCE, subject=number, correlation_id=event.correlationid))
    log.info("paper certificate issued", contract_number=number, product=content.product.value)
