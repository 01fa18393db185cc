"""Reference data as the domain sees it: orderers (発注者), the issuer and its branches (営業部・支店)."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class JudgedOn(StrEnum):
    """Which date of the contract decides whether the orderer already accepts e-surety."""

    CONTRACT_DATE = "contract_date"  # 請負契約日 (契約締結)
    TENDER_NOTICE_DATE = "tender_notice_date"  # 入札公告日


@dataclass(frozen=True)
class Orderer:
    code: str
    name: str  # 川崎市
    certificate_name: str  # 被保証者 as printed: 川崎市長
    e_surety_from: date
    judged_on: JudgedOn
    note: str = ""


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
