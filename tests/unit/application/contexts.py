"""FormContexts for the rules that need the orderer registry or the contractor's own contracts."""

from dataclasses import replace
from datetime import date

from shared.events import CertificateFormat, Product
from services.application.domain.context import ExistingContract, FormContext, OrdererRules

KAWASAKI = OrdererRules(
    code="kawasaki-city",
    name="川崎市",
    certificate_name="川崎市長",
    e_surety_from=date(2023, 4, 1),
    judged_on="contract_date",
    rounding_unit=1,
)
YURIHONJO = OrdererRules(
    code="yurihonjo-city",
    name="由利本荘市",
    certificate_name="由利本荘市長",
    e_surety_from=date(2026, 4, 1),
    judged_on="tender_notice_date",
)
ADVANCE_PAYMENT = ExistingContract(
    contract_number="35072-00001M",
    product=Product.ADVANCE_PAYMENT,
    certificate_format=CertificateFormat.ELECTRONIC,
    construction_name="河川維持（○○）工事",
    orderer_code="kawasaki-city",
    contract_amount=50_000_000,
    guaranteed_amount=20_000_000,
    period_start=date(2023, 4, 1),
    period_end=date(2024, 3, 29),
    status="published",
)


def context(*contracts: ExistingContract, today: date = date(2023, 10, 2), **kawasaki) -> FormContext:
    """Today after half of the sample's 工期; 川崎市 accepting 電子保証 from the sample's 請負契約日 on."""
    orderers = {
        "kawasaki-city": replace(KAWASAKI, **{"e_surety_from": date(2023, 3, 1)} | kawasaki),
        YURIHONJO.code: YURIHONJO,
    }
    return FormContext(today=today, orderers=orderers, contracts={c.contract_number: c for c in contracts or (ADVANCE_PAYMENT,)})
