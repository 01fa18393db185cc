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
    display_name: str | None = None  # e.g. 契約課 山田: printed on a viewing record
    role: str = "staff"  # staff / admin (利用者ID管理者)
    must_change_password: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def shown_name(self) -> str:
        return self.display_name or self.login_id


class LookupFailed(Exception):
    """Wrong key, unknown number or another orderer's certificate: indistinguishable on purpose."""


class LookupThrottled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"lookup throttled for {retry_after}s")
        self.retry_after = retry_after


class LoginFailed(Exception):
    """Unknown id or wrong password: one answer."""


class LoginThrottled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"login throttled for {retry_after}s")
        self.retry_after = retry_after


class NotAuthenticated(Exception):
    def __init__(self, expired: bool = False) -> None:
        super().__init__("expired" if expired else "unknown token")
        self.expired = expired


class VersionNotFound(Exception):
    """The key was right but the requested version does not exist."""
