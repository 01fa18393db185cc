"""Issuance settings: the common ones plus its internal HTTP edge (INTERNAL_API_TOKEN), the 認証キー's
hash secret (AUTH_KEY_HMAC_SECRETS) and PDF pool."""

from shared.settings import AuthKeySettings, InternalApiSettings


class Settings(InternalApiSettings, AuthKeySettings):
    issuance_http_host: str = "127.0.0.1"
    issuance_http_port: int = 8003
    # Processes rendering PDFs; the ApplicationSubmitted subscriber's prefetch follows it.
    pdf_processes: int = 2
    # Time limit of one PDF render (a normal one takes 60–170 ms); past it the application is rejected.
    pdf_render_timeout_seconds: float = 20.0
    # 期間満了: the scheduled job runs at start and every this many seconds (0: never; run `run-expiry` instead).
    expiry_check_seconds: float = 3600.0
