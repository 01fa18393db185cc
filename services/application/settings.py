"""Settings of the application service (pydantic-settings, from the environment)."""

from pydantic import Field

from shared.settings import InternalApiSettings


class Settings(InternalApiSettings):
    """APPLICATION_HTTP_HOST/PORT (the contractor API and the Net Desk pages under /portal),
    ISSUANCE_INTERNAL_URL and INTERNAL_API_TOKEN (InternalApiSettings: to fetch the 認証キー and PDFs from issuance),
    APPLICATION_SESSION_HOURS (bearer token and web session lifetime), PORTAL_* (the web portal)."""

    application_http_host: str = "127.0.0.1"
    application_http_port: int = 8001
    issuance_internal_url: str = "http://127.0.0.1:8003"
    issuance_timeout_seconds: float = 10.0
    application_session_hours: float = 12.0
    # A bearer token also ends after this long without a request (a forgotten token stops working).
    application_api_idle_minutes: float = 60.0

    # The web portal (Net Desk pages at /portal): a session ends after PORTAL_IDLE_MINUTES without a
    # request; the page warns PORTAL_WARN_SECONDS before. PORTAL_SECRET signs the CSRF cookie (set it,
    # the same on every replica; unset, each process makes its own). PORTAL_SECURE_COOKIES: the portal is
    # served over https behind a proxy, so cookies are Secure even if the request reached us as http.
    portal_idle_minutes: float = 15.0
    portal_warn_seconds: int = 120
    portal_secret: str | None = None
    portal_secure_cookies: bool = False
    # Rows per page of 保証契約一覧 (the JSON API takes ?limit= within the same bounds).
    portal_page_size: int = Field(20, ge=1, le=200)
