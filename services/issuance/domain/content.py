"""The content of a certificate (every field of the 保証証書) from an accepted application."""

from datetime import date

from services.issuance.domain.model import Branch, IssuerCompany, Orderer
from shared.events import (
    ApplicationSubmittedV1,
    CertificateFormat,
    CertificateContent,
    Issuer,
    IssuerBranch,
    Party,
    Product,
    ProductRequest,
)

TITLES = {
    Product.ADVANCE_PAYMENT: "保証証書（前払金保証）",
    Product.INTERMEDIATE_ADVANCE_PAYMENT: "保証証書（中間前払金保証）",
    Product.CONTRACT_GUARANTEE: "保証証書（契約保証）",
    Product.BID_BOND: "保証証書（契約保証予約）",
}
# The 約款 named in the statement 「当会社は、…に基づき上記のとおり保証契約を締結し、その責に任じます。」
# (ours except 前払金保証: the seeds only show the 前払金保証 certificate. A 中間前払金 is guaranteed
# under the same 前払金保証約款.)
CLAUSES = {
    Product.ADVANCE_PAYMENT: "前払金保証約款",
    Product.INTERMEDIATE_ADVANCE_PAYMENT: "前払金保証約款",
    Product.CONTRACT_GUARANTEE: "契約保証約款",
    Product.BID_BOND: "契約保証予約約款",
}
# Products whose money is deposited (預託金融機関).
DEPOSITED = (Product.ADVANCE_PAYMENT, Product.INTERMEDIATE_ADVANCE_PAYMENT)


def version_label(version: int) -> str:
    """新規 / 変更-N, as the history shows it."""
    return "新規" if version == 0 else f"変更-{version}"


def obligee_name(application: ApplicationSubmittedV1, orderer: Orderer) -> str:
    """被保証者: the name the application gives (e.g. 長野県△△建設事務所長), else the registry's."""
    return application.contract.orderer_name.strip() or orderer.certificate_name


def build_content(
    application: ApplicationSubmittedV1,
    request: ProductRequest,
    *,
    contract_number: str,
    orderer: Orderer,
    issuer: IssuerCompany,
    branch: Branch,
    certificate_date: date,
    version: int = 0,
) -> CertificateContent:
    contract = application.contract
    return CertificateContent(
        title=TITLES[request.product],
        product=request.product,
        contract_number=contract_number,
        version=version,
        certificate_date=certificate_date,
        contractor=Party(name=application.contractor.name, address=application.contractor.address),
        obligee=Party(name=obligee_name(application, orderer)),
        obligee_code=orderer.code,
        guaranteed_amount=request.guaranteed_amount,
        # The application service sets the 保証期限 (工期末, fiscal year-end, bid bond: 工期 start); events
        # from before it did carry none and meant 工期末.
        guarantee_expiry=request.guarantee_expiry or contract.period_end,
        construction_name=contract.construction_name,
        contract_amount=contract.contract_amount,
        period_start=contract.period_start,
        period_end=contract.period_end,
        contract_date=contract.contract_date,
        depository=request.depository if request.product in DEPOSITED else None,
        jv_name=contract.jv_name,
        clause=CLAUSES[request.product],
        issuer=Issuer(
            name=issuer.name,
            address=issuer.address,
            president=issuer.president,
            branch=IssuerBranch(name=branch.name, tel=branch.tel, fax=branch.fax),
        ),
        electronic=request.certificate_format is CertificateFormat.ELECTRONIC,
        advance_payment_contract_number=_stripped(request.advance_payment_contract_number),
        bid_bond_contract_number=_stripped(request.bid_bond_contract_number),
        bid_date=request.bid_date,
        bid_amount=request.bid_amount,
    )


def _stripped(number: str | None) -> str | None:
    return (number or "").strip() or None
