"""Reference data as the domain sees it: orderers (発注者), the issuer and its branches (営業部・支店)."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from services.issuance.domain.status import Ending
from shared.events import Product


class JudgedOn(StrEnum):
    """Which date of the contract decides whether the orderer already accepts e-surety."""

    CONTRACT_DATE = "contract_date"  # 請負契約日 (契約締結)
    TENDER_NOTICE_DATE = "tender_notice_date"  # 入札公告日


@dataclass(frozen=True)
class Orderer:
    code: str
    name: str  # 川崎市
    certificate_name: str  # 被保証者 as printed: 川崎市長
    e_surety_from: date | None  # first day 電子保証 is accepted; None: not accepted (paper only)
    judged_on: JudgedOn
    note: str = ""
    rounding_unit: int = 1  # 前払金・中間前払金の保証金額 must be a multiple (1, 10000 or 100000 yen)
    requires_tender_status: bool = False  # 入札の状況 must be filled in
    advance_payment_percent: int = 40  # the 前払金 ratio it usually pays (≤ 40%); above it Net Desk warns

    @property
    def accepts_e_surety(self) -> bool:
        return self.e_surety_from is not None


@dataclass(frozen=True)
class Branch:
    """取扱箇所 / 申込送信先."""

    code: str  # three digits, the start of every 保証契約番号 it issues
    name: str
    tel: str
    fax: str
    email: str | None = None


@dataclass(frozen=True)
class IssuerCompany:
    name: str
    address: str
    president: str  # 取締役社長


@dataclass(frozen=True)
class LinkedCertificate:
    """An issued certificate an application refers to: the 前払金保証 of a 中間前払金保証, or the
    契約保証予約 a 契約保証 converts. Loaded by the handler, judged by acceptance."""

    contract_number: str
    contractor_company_id: UUID
    product: Product
    obligee_code: str
    construction_name: str
    guaranteed_amount: int
    intermediate_contract_number: str | None = None  # a 前払金保証's 中間前払金保証, once issued
    converted_to: str | None = None  # a 契約保証予約's 契約保証, once converted
    lapsed: bool = False  # a 契約保証予約 whose bid was lost (BidBondLapsed)


@dataclass(frozen=True)
class Guarantee:
    """An issued guarantee a 変更申込 changes (amendment.contract_number), at its latest version. Loaded
    under a row lock by the handler, judged by amendments; its 認証キー is carried over to the new version."""

    contract_number: str
    contractor_company_id: UUID
    product: Product
    electronic: bool  # 電子保証; False: a paper original (証書(紙)), whose changes are on paper too
    version: int  # the latest version: 0 = 新規, N = 変更-N
    obligee_code: str
    advance_payment_contract_number: str | None = None  # a 中間前払金保証's 前払金保証
    bid_bond_contract_number: str | None = None  # a 契約保証's 契約保証予約 (converted from)
    intermediate_guaranteed_amount: int | None = None  # a 前払金保証's 中間前払金保証, once issued
    converted_to: str | None = None  # a 契約保証予約's 契約保証, once converted
    lapsed: bool = False  # a 契約保証予約 whose bid was lost
    auth_key: str | None = None  # electronic only
    auth_key_hash: str | None = None
    revision: int = 0  # the latest version's shown revision (N: after its N-th 訂正)
    next_version: int | None = None  # the number the next change takes: numbers of withdrawn changes are never reused
    ending: Ending | None = None  # 期間満了 / 解約 (domain/status.py): an ended guarantee is never changed

    @property
    def next_amendment(self) -> int:
        return self.next_version if self.next_version is not None else self.version + 1
