"""Issuance settings: the common ones plus its internal HTTP edge and PDF pool."""

from shared.settings import CommonSettings


class Settings(CommonSettings):
    issuance_http_host: str = "127.0.0.1"
    issuance_http_port: int = 8003
    # Shared secret of the internal API (the application service sends it). MUST be changed in production.
    internal_api_token: str = "dev-internal-token"
    # Processes rendering PDFs; the ApplicationSubmitted subscriber's prefetch follows it.
    pdf_processes: int = 2
