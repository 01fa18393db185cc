"""Notifier settings: SMTP_*, MAIL_FROM, PORTAL_URL, and how the email sender polls and retries."""

from email.utils import parseaddr

from pydantic import Field

from shared.settings import CommonSettings


class Settings(CommonSettings):
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 2525
    smtp_username: str | None = None
    smtp_password: str | None = None
    # True: require STARTTLS; False (default): plain SMTP, as the local sink and aiosmtpd speak.
    smtp_starttls: bool = False
    smtp_timeout: float = 30.0
    mail_from: str = "東日本建設業保証 Net Desk <netdesk@example.jp>"
    # Net Desk's web portal; the email links to <portal_url>contracts/<保証契約番号>.
    portal_url: str = "http://127.0.0.1:8001/portal/"
    # /healthz and /readyz (shared.health): the notifier's only HTTP port.
    notifier_health_host: str = "127.0.0.1"
    notifier_health_port: int = 8004

    # Email sender loop (docs/operations-email.md): a timed poll besides LISTEN/NOTIFY; EMAIL_CONCURRENCY
    # workers, each claiming ONE email under a short lease renewed while it is sent, so a sender that dies
    # holds back only the email it was sending, and only until the lease runs out.
    email_poll_interval: float = Field(5.0, gt=0, le=60)
    email_concurrency: int = Field(4, ge=1, le=16)
    email_lease_seconds: float = Field(15.0, ge=1, le=300)
    # DATA sent and no 250 seen (the sender died or the reply timed out): the server may have it. Sent again,
    # same Message-ID, only after this quiet period (at least SMTP_TIMEOUT is sensible, at most a day).
    email_unknown_resend_after_seconds: float = Field(600.0, ge=1, le=86400)
    # On SIGTERM, how long the emails in flight may take to finish before they are cut off.
    email_stop_drain_seconds: float = Field(20.0, ge=0, le=300)
    email_retry_base_seconds: float = 30.0
    email_retry_max_seconds: float = 1800.0
    # After this many transient failures (about a day with the defaults) the email is marked failed.
    email_max_attempts: int = 60

    @property
    def mail_from_address(self) -> str:
        """The bare address of MAIL_FROM (SMTP envelope sender)."""
        return parseaddr(self.mail_from)[1]

    @property
    def message_id_domain(self) -> str:
        return self.mail_from_address.rpartition("@")[2] or "localhost"
