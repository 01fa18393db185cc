from datetime import date

import pytest

from shared.documents import DocumentRenderer, KeyNotice
from shared.events import CertificateContent, IssuerBranch, Party, Product
from tests.samples import sample_certificate_content, sample_issuer

INJECTION = '<img src="file:///etc/passwd">'


def sample_content(**changes) -> CertificateContent:
    """The 長野 sample the PDF tests read back field by field."""
    return sample_certificate_content(**{
        "contract_number": "00126-00001M",
        "certificate_date": date(2022, 4, 27),
        "contractor": Party(name="○○建設　株式会社", address="長野県長野市南石堂町１２３０－６"),
        "guarantee_expiry": date(2023, 3, 31),
        "period_start": date(2022, 11, 2),
        "period_end": date(2023, 3, 31),
        "contract_date": date(2022, 11, 1),
        "depository": "○○銀行　××支店",
        "issuer": sample_issuer(
            address="東京都中央区八丁堀２丁目２７番１０号",
            president="原田　保夫",
            branch=IssuerBranch(name="営業部", tel="03-3551-9511", fax="0120-027-036"),
        ),
        **changes,
    })


def sample_notice(**changes) -> KeyNotice:
    notice = KeyNotice(
        construction_name="河川維持（○○）工事",
        contractor_name="○○建設　株式会社",
        product=Product.ADVANCE_PAYMENT,
        contract_number="00126-00001M",
        auth_key="Z28YUE4J3Bux",
    )
    return notice.model_copy(update=changes)


@pytest.fixture(scope="session")
async def renderer():
    r = DocumentRenderer(processes=2)
    yield r
    await r.close()
