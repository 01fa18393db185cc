"""What 申込確認 needs to know beyond the form itself: today's date, the orderer registry's rules
(owned by issuance, fetched over its internal API) and the contractor's own issued contracts (this
service's read model). The handlers gather it; validation stays pure.
"""

from dataclasses import dataclass, field
from datetime import date

from shared.events import CertificateContent, CertificateFormat, Product


@dataclass(frozen=True)
class OrdererRules:
    """One orderer (発注者) of the registry, as the form rules see it."""

    code: str
    name: str  # 川崎市
    certificate_name: str  # 川崎市長
    e_surety_from: date | None  # None: does not accept 電子保証 at all
    judged_on: str  # "contract_date" (請負契約日) or "tender_notice_date" (入札公告日)
    rounding_unit: int = 1  # 前払金・中間前払金の保証金額: amounts below this unit are truncated (1, 10000, 100000)
    requires_tender_status: bool = False  # 入札の状況 must be filled in
    # The 前払金 ratio this orderer usually pays (the law allows up to 40%); above it only a warning,
    # since the orderer may allow more for a given contract.
    advance_payment_percent: int = 40
    note: str = ""


@dataclass(frozen=True)
class ExistingContract:
    """One of the contractor's own issued guarantees (保証契約一覧)."""

    contract_number: str
    product: Product
    certificate_format: CertificateFormat
    construction_name: str
    orderer_code: str
    contract_amount: int | None
    guaranteed_amount: int
    period_start: date | None
    period_end: date | None
    status: str  # issued / published / converted (契約保証予約 won) / lapsed (lost) / expired / cancelled
    advance_payment_contract_number: str | None = None  # set on a 中間前払金保証


@dataclass(frozen=True)
class AmendedGuarantee:
    """The guarantee a 変更申込 changes (domain/amendment), as this service knows its latest version."""

    contract_number: str
    product: Product
    certificate_format: CertificateFormat
    version: int
    version_label: str
    status: str  # issued / published (in force), converted / lapsed (a bid bond's outcome), expired / cancelled
    content: CertificateContent
    ended_on: date | None = None  # 期間満了日 / 解約日 (status expired / cancelled)


@dataclass(frozen=True)
class FormContext:
    today: date
    # None when the registry could not be reached: orderer rules are then not checked here (issuance
    # checks them again on receipt) and a warning says so.
    orderers: dict[str, OrdererRules] | None = None
    contracts: dict[str, ExistingContract] = field(default_factory=dict)
    # A 変更申込's guarantee (None for a new application, or when the number is not the company's).
    amended: AmendedGuarantee | None = None
