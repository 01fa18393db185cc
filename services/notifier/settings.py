"""Notifier settings: SMTP_*, MAIL_FROM, PORTAL_URL, and how the email sender polls and retries."""

from email.utils import parseaddr

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

    # Email sender loop: a timed poll besides LISTEN/NOTIFY, batch size, lease, retry backoff.
    email_poll_interval: float = 5.0
    email_batch_size: int = 10
    email_lease_seconds: float = 120.0
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
