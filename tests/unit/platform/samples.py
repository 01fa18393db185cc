"""Sample certificates for the platform's tests (the seeds' 川崎市 example)."""

import uuid
from datetime import date, datetime, timezone

from shared.auth import hash_auth_key
from shared.events import (
    CertificateContent,
    CertificateIssued,
    CertificateIssuedV1,
    Issuer,
    IssuerBranch,
    Party,
    Product,
    content_digest,
)

ISSUER = Issuer(
    name="東日本建設業保証株式会社",
    address="東京都中央区八丁堀二丁目",
    president="取締役社長 保証 太郎",
    branch=IssuerBranch(name="神奈川支店", tel="045-000-0000", fax="045-000-0001"),
)


def certificate(
    contract_number: str = "35072-00001M", *, version: int = 0, obligee_code: str = "kawasaki-city"
) -> CertificateContent:
    return CertificateContent(
        title="保証証書（前払金保証）",
        product=Product.ADVANCE_PAYMENT,
        contract_number=contract_number,
        version=version,
        certificate_date=date(2023, 4, 27),
        contractor=Party(name="○○建設 株式会社", address="神奈川県川崎市川崎区宮本町1番地"),
        obligee=Party(name="川崎市長"),
        obligee_code=obligee_code,
        guaranteed_amount=20_000_000,
        guarantee_expiry=date(2024, 3, 29),
        construction_name="河川維持（○○）工事",
        contract_amount=50_000_000,
        period_start=date(2023, 4, 28),
        period_end=date(2024, 3, 29),
        contract_date=date(2023, 4, 27),
        depository="○○銀行 ××支店",
        clause="前払金保証約款",
        issuer=ISSUER,
    )


def issued_event(
    content: CertificateContent,
    auth_key: str,
    *,
    digest: str | None = None,
    correlation_id: str | None = None,
    key_hash: str | None = None,
) -> CertificateIssued:
    data = CertificateIssuedV1(
        application_id=uuid.uuid4(),
        contractor_company_id=uuid.uuid4(),
        contract_number=content.contract_number,
        product=content.product,
        version=content.version,
        version_label="新規" if content.version == 0 else f"変更-{content.version}",
        issued_at=datetime.now(timezone.utc),
        certificate=content,
        content_digest=digest or content_digest(content),
        auth_key_hash=key_hash or hash_auth_key(auth_key),
    )
    return CertificateIssued.wrap(
        data,
        source="/esurety/issuance",
        subject=content.contract_number,
        correlation_id=correlation_id or str(uuid.uuid4()),
    )
