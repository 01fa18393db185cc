"""The platform service's settings (environment variables, case-insensitive)."""

from shared.settings import CommonSettings


class Settings(CommonSettings):
    platform_http_host: str = "127.0.0.1"
    platform_http_port: int = 8002
    # Worker processes of the certificate PDF renderer (WeasyPrint runs off the event loop).
    pdf_processes: int = 2
    # Lookup throttling per orderer user: after LOOKUP_MAX_FAILURES failed number/key checks within
    # LOOKUP_WINDOW_SECONDS, every lookup is refused (429) until the oldest of them leaves the window.
    lookup_max_failures: int = 5
    lookup_window_seconds: int = 900
    # Lifetime of a bearer token issued by POST /auth/login.
    token_ttl_seconds: int = 8 * 3600
