"""An ApplicationSubmitted like the seeds' sample (川崎市長 / 河川維持（○○）工事 / 50,000,000 円)."""

import uuid
from datetime import date, datetime, timezone

from shared.events import (
    ApplicationSubmitted,
    ApplicationSubmittedV1,
    CertificateFormat,
    ConstructionContract,
    Contractor,
    Notification,
    Product,
    ProductRequest,
)

COMPANY_ID = uuid.UUID("11111111-2222-3333-4444-555555555555")


def advance(**changes) -> ProductRequest:
    return ProductRequest(
        product=Product.ADVANCE_PAYMENT,
        certificate_format=CertificateFormat.ELECTRONIC,
        guaranteed_amount=20_000_000,
        depository="○○銀行　××支店",
        fee_payment_method="一括納付",
        fee_billing_to="○○建設　株式会社",
        fee_statement_paper=False,
    ).model_copy(update=changes)


def contract_guarantee(**changes) -> ProductRequest:
    return ProductRequest(
        product=Product.CONTRACT_GUARANTEE,
        certificate_format=CertificateFormat.ELECTRONIC,
        guaranteed_amount=5_000_000,
        fee_payment_method="一括納付",
        fee_billing_to="○○建設　株式会社",
        fee_statement_paper=False,
    ).model_copy(update=changes)


def contract(**changes) -> ConstructionContract:
    return ConstructionContract(
        construction_name="河川維持（○○）工事",
        orderer_code="kawasaki-city",
        orderer_name="川崎市長",
        contract_amount=50_000_000,
        period_start=date(2026, 7, 2),
        period_end=date(2027, 3, 31),
        contract_date=date(2026, 7, 1),
    ).model_copy(update=changes)


def application(*, products=None, company_id=COMPANY_ID, branch="神奈川支店", **contract_changes) -> ApplicationSubmittedV1:
    return ApplicationSubmittedV1(
        application_id=uuid.uuid4(),
        submitted_at=datetime.now(timezone.utc),
        branch=branch,
        contractor=Contractor(company_id=company_id, name="○○建設　株式会社", address="神奈川県横浜市中区１－２－３"),
        contract=contract(**contract_changes),
        products=products if products is not None else [advance(), contract_guarantee()],
        notification=Notification(wanted=True, email="keiri@example.jp"),
    )


def submitted(data: ApplicationSubmittedV1, correlation_id: str | None = None) -> ApplicationSubmitted:
    return ApplicationSubmitted.wrap(
        data,
        source="/esurety/application",
        subject=str(data.application_id),
        correlation_id=correlation_id or str(uuid.uuid4()),
    )
