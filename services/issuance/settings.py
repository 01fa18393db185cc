"""Issuance settings: the common ones plus its internal HTTP edge (INTERNAL_API_TOKEN), the 認証キー's
hash secret (AUTH_KEY_HMAC_SECRETS) and PDF pool."""

from pydantic import Field

from shared.settings import AuthKeySettings, InternalApiSettings


class Settings(InternalApiSettings, AuthKeySettings):
    issuance_http_host: str = "127.0.0.1"
    issuance_http_port: int = 8003
    # Processes rendering PDFs (after the certificate commits: docs/pdf-rendering.md).
    pdf_processes: int = 2
    # Time limit of one PDF render (a normal one takes 60–170 ms); past it the job is retried with a backoff.
    pdf_render_timeout_seconds: float = 20.0
    # Loops rendering pdf_jobs (0: none here, documents are rendered by their first download only).
    pdf_job_workers: int = Field(2, ge=0, le=16)
    # How long a download whose PDF is not rendered yet may wait for it before answering 503 + Retry-After
    # (below the application service's 10 s client timeout).
    pdf_download_wait_seconds: float = Field(8.0, gt=0, le=9.0)
    # ApplicationSubmitted deliveries handled at once (no PDF in the handler any more: database and Argon2 work).
    issue_prefetch: int = Field(4, ge=1, le=64)
    # 期間満了: the scheduled job runs at start and every this many seconds (0: never; run `run-expiry` instead).
    expiry_check_seconds: float = 3600.0
