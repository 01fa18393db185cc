"""Orderer organisations (発注者) and their staff users, and what a lookup may end in."""

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Organisation:
    id: UUID
    code: str  # the orderer registry code, e.g. kawasaki-city; matches CertificateContent.obligee_code
    name: str  # e.g. 川崎市


@dataclass(frozen=True)
class OrdererUser:
    id: UUID
    login_id: str
    organisation: Organisation


class LookupFailed(Exception):
    """Wrong key, unknown number or another orderer's certificate: indistinguishable on purpose."""


class LookupThrottled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"lookup throttled for {retry_after}s")
        self.retry_after = retry_after


class VersionNotFound(Exception):
    """The key was right but the requested version does not exist."""
