"""An ApplicationSubmitted like the seeds' sample (川崎市長 / 河川維持（○○）工事 / 50,000,000 円)."""

import uuid
from datetime import date

from shared.events import ApplicationSubmitted, ApplicationSubmittedV1, ConstructionContract, Contractor, Notification, ProductRequest
from tests.samples import (
    sample_advance_request,
    sample_contract,
    sample_contract_guarantee_request,
    sample_submitted,
    sample_submitted_data,
)

COMPANY_ID = uuid.UUID("11111111-2222-3333-4444-555555555555")
CONTRACTOR = "○○建設　株式会社"  # full-width space, as the seeds spell it


def advance(**changes) -> ProductRequest:
    return sample_advance_request(**{"fee_billing_to": CONTRACTOR, **changes})


def contract_guarantee(**changes) -> ProductRequest:
    return sample_contract_guarantee_request(**{"fee_billing_to": CONTRACTOR, **changes})


def contract(**changes) -> ConstructionContract:
    return sample_contract(**{
        "period_start": date(2026, 7, 2), "period_end": date(2027, 3, 31), "contract_date": date(2026, 7, 1), **changes,
    })


def application(*, products=None, company_id=COMPANY_ID, branch="神奈川支店", **contract_changes) -> ApplicationSubmittedV1:
    return sample_submitted_data(
        branch=branch,
        contractor=Contractor(company_id=company_id, name=CONTRACTOR, address="神奈川県横浜市中区１－２－３"),
        contract=contract(**contract_changes),
        products=products if products is not None else [advance(), contract_guarantee()],
        notification=Notification(wanted=True, email="keiri@example.jp"),
    )


def submitted(data: ApplicationSubmittedV1, correlation_id: str | None = None) -> ApplicationSubmitted:
    return sample_submitted(data, correlation_id=correlation_id)
