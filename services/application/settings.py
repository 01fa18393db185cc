"""Settings of the application service (pydantic-settings, from the environment)."""

from shared.settings import CommonSettings


class Settings(CommonSettings):
    """APPLICATION_HTTP_HOST/PORT (the contractor API), ISSUANCE_INTERNAL_URL and INTERNAL_API_TOKEN
    (to fetch the 認証キー and PDFs from issuance), APPLICATION_SESSION_HOURS (bearer token lifetime)."""

    application_http_host: str = "127.0.0.1"
    application_http_port: int = 8001
    issuance_internal_url: str = "http://127.0.0.1:8003"
    # Shared secret of the internal API between services. MUST be changed outside development.
    internal_api_token: str = "dev-internal-token"
    issuance_timeout_seconds: float = 10.0
    application_session_hours: float = 12.0
