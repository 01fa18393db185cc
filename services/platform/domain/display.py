"""The certificate as an orderer reads it: every field of the 保証証書 formatted in Japanese
(和暦 dates zero-padded as on the certificate, amounts as `20,000,000 円`)."""

from shared.events import PRODUCT_LABELS, CertificateContent
from shared.japanese import wareki, yen
from services.platform.domain import messages
from services.platform.domain.versions import version_label


def _date(d) -> str | None:
    return wareki(d, zero_pad=True) if d is not None else None


def _yen(amount: int | None) -> str | None:
    return yen(amount) if amount is not None else None


def certificate_display(content: CertificateContent) -> dict[str, str | None]:
    return {
        "title": content.title,
        "product_label": PRODUCT_LABELS[content.product],
        "version_label": version_label(content.version),
        "certificate_date": _date(content.certificate_date),
        "contract_number": content.contract_number,
        "contractor_name": content.contractor.name,
        "contractor_address": content.contractor.address,
        "obligee_name": content.obligee.name,
        "guaranteed_amount": yen(content.guaranteed_amount),
        "guarantee_expiry": _date(content.guarantee_expiry),
        "construction_name": content.construction_name,
        # A 契約保証予約 (bid bond) has no contract yet: 請負金額 and 請負契約日 are null, 入札日/入札金額 set.
        "contract_amount": _yen(content.contract_amount),
        "period": messages.PERIOD.format(start=_date(content.period_start), end=_date(content.period_end)),
        "contract_date": _date(content.contract_date),
        "bid_date": _date(content.bid_date),
        "bid_amount": _yen(content.bid_amount),
        "advance_payment_contract_number": content.advance_payment_contract_number,
        "bid_bond_contract_number": content.bid_bond_contract_number,
        "depository": content.depository,
        "jv_name": content.jv_name,
        "clause": content.clause,
        "issuer_name": content.issuer.name,
        "issuer_address": content.issuer.address,
        "issuer_president": content.issuer.president,
        "issuer_branch": content.issuer.branch.name,
        "issuer_branch_tel": content.issuer.branch.tel,
        "issuer_branch_fax": content.issuer.branch.fax,
        "electronic_note": messages.ELECTRONIC_NOTE if content.electronic else None,
    }
