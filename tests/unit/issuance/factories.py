"""An ApplicationSubmitted like the seeds' sample (川崎市長 / 河川維持（○○）工事 / 50,000,000 円), and
the other products: 中間前払金保証, 契約保証予約 (入札ボンド), paper (証書(紙))."""

import uuid
from datetime import date

from services.issuance.domain.model import Guarantee, LinkedCertificate
from shared.events import (
    Addressee,
    Amendment,
    AmendmentKind,
    ApplicationSubmitted,
    ApplicationSubmittedV1,
    CertificateFormat,
    ConstructionContract,
    Contractor,
    Notification,
    PaperDelivery,
    Product,
    ProductRequest,
    ReceiptMethod,
)
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


def intermediate(**changes) -> ProductRequest:
    """中間前払金保証 of 20% against the 前払金 35026-00001M (40%): 60% together."""
    return advance(**{
        "product": Product.INTERMEDIATE_ADVANCE_PAYMENT, "guaranteed_amount": 10_000_000,
        "advance_payment_contract_number": "35026-00001M", **changes,
    })


def bid_bond(**changes) -> ProductRequest:
    """契約保証予約: 10% of a 48,000,000 円 bid, expiring at the start of 工期."""
    return advance(**{
        "product": Product.BID_BOND, "guaranteed_amount": 4_800_000, "depository": None,
        "bid_date": date(2026, 6, 1), "bid_amount": 48_000_000, "guarantee_expiry": date(2026, 7, 2), **changes,
    })


def paper(request: ProductRequest) -> ProductRequest:
    return request.model_copy(update={"certificate_format": CertificateFormat.PAPER})


PAPER_DELIVERY = PaperDelivery(
    method=ReceiptMethod.MAIL,
    desired_date=date(2026, 7, 10),
    addressee=Addressee(name="○○建設　株式会社　総務部", postal_code="231-0001", address="神奈川県横浜市中区１－２－３"),
)


def linked(number: str = "35026-00001M", **changes) -> LinkedCertificate:
    """An issued 前払金保証 of COMPANY_ID for the sample contract (川崎市, 20,000,000 円)."""
    return LinkedCertificate(**{
        "contract_number": number, "contractor_company_id": COMPANY_ID, "product": Product.ADVANCE_PAYMENT,
        "obligee_code": "kawasaki-city", "construction_name": "河川維持（○○）工事", "guaranteed_amount": 20_000_000,
        **changes,
    })


def contract(**changes) -> ConstructionContract:
    return sample_contract(**{
        "period_start": date(2026, 7, 2), "period_end": date(2027, 3, 31), "contract_date": date(2026, 7, 1), **changes,
    })


def application(
    *, products=None, company_id=COMPANY_ID, branch="神奈川支店", paper_delivery=None, **contract_changes
) -> ApplicationSubmittedV1:
    return sample_submitted_data(
        paper_delivery=paper_delivery,
        branch=branch,
        contractor=Contractor(company_id=company_id, name=CONTRACTOR, address="神奈川県横浜市中区１－２－３"),
        contract=contract(**contract_changes),
        products=products if products is not None else [advance(), contract_guarantee()],
        notification=Notification(wanted=True, email="keiri@example.jp"),
    )


def submitted(data: ApplicationSubmittedV1, correlation_id: str | None = None) -> ApplicationSubmitted:
    return sample_submitted(data, correlation_id=correlation_id)


def bid_bond_application(**changes) -> ApplicationSubmittedV1:
    """A 契約保証予約 alone: no 請負金額 nor 請負契約日 before the bid."""
    return application(**{"products": [bid_bond()], "contract_amount": None, "contract_date": None, **changes})


def amending(
    data: ApplicationSubmittedV1, number: str, base_version: int = 0, kinds=(AmendmentKind.AMOUNT_INCREASE,)
) -> ApplicationSubmittedV1:
    """The application as a 変更申込 of the guarantee `number`, prepared from `base_version`."""
    return data.model_copy(
        update={"amendment": Amendment(contract_number=number, base_version=base_version, kinds=list(kinds))}
    )


def guarantee(number: str = "35026-00001M", **changes) -> Guarantee:
    """An issued electronic 前払金保証 of COMPANY_ID for the sample contract (川崎市), at 新規."""
    return Guarantee(**{
        "contract_number": number, "contractor_company_id": COMPANY_ID, "product": Product.ADVANCE_PAYMENT,
        "electronic": True, "version": 0, "obligee_code": "kawasaki-city",
        "auth_key": "Z28YUE4J3Bux", "auth_key_hash": "$argon2id$fake", **changes,
    })
