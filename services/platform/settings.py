"""The platform service's settings (environment variables, case-insensitive)."""

from shared.settings import AuthKeySettings


# AuthKeySettings: AUTH_KEY_HMAC_SECRETS / AUTH_KEY_HMAC_KEY_ID, to verify 認証キー against their hashes.
class Settings(AuthKeySettings):
    platform_http_host: str = "127.0.0.1"
    platform_http_port: int = 8002
    # Worker processes of the certificate PDF renderer (WeasyPrint runs off the event loop).
    pdf_processes: int = 2
    # Lookup throttling per orderer user: after LOOKUP_MAX_FAILURES failed number/key checks within
    # LOOKUP_WINDOW_SECONDS, every lookup is refused (429) until the oldest of them leaves the window.
    lookup_max_failures: int = 5
    lookup_window_seconds: int = 900
    # Also per 保証契約番号 (whoever tries it) and per organisation (all its users together), so that many
    # accounts cannot together guess one certificate's key.
    lookup_number_max_failures: int = 10
    lookup_organisation_max_failures: int = 20
    # Web pages (/viewer): idle timeout and its warning, the CSRF cookie's signing secret (the same on every
    # replica; unset, each process makes its own), Secure cookies behind an https proxy.
    viewer_idle_minutes: float = 15.0
    viewer_warn_seconds: int = 120
    viewer_secret: str | None = None
    viewer_secure_cookies: bool = False
    # Lifetime of a bearer token issued by POST /auth/login.
    token_ttl_seconds: int = 8 * 3600
    # …and after this long without a request.
    token_idle_seconds: int = 3600
