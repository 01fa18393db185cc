"""Settings every service reads from the environment (pydantic-settings), and the check that refuses
to start a production process with a shipped default secret."""

from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class CommonSettings(BaseSettings):
    """AMQP_URL, DATABASE_URL, EVENT_EXCHANGE, LOG_LEVEL, ESURETY_ENVIRONMENT; each service subclasses this."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    database_url: str = "postgresql://postgres@127.0.0.1:5432/esurety"
    # Names the exchanges (<ns>.events, <ns>.dlx) and queues (<ns>.<service>.<event>); tests use their own.
    bus_namespace: str = "esurety"
    # Bounded redelivery: after this many failed deliveries a message goes to its DLQ.
    delivery_limit: int = 8
    consumer_prefetch: int = 8
    # SHUTDOWN_TIMEOUT_SECONDS: on SIGTERM, how long in-flight messages, open requests and the outbox flush
    # may take before the process closes anyway (docker-compose's stop_grace_period must be longer).
    shutdown_timeout_seconds: float = Field(20.0, ge=1.0, le=300.0)
    # A failed delivery is handed back after base * 2**deliveries seconds, at most max (shared/bus/consumer.py).
    retry_backoff_base_seconds: float = Field(default=0.5, gt=0, le=60)
    retry_backoff_max_seconds: float = Field(default=15.0, gt=0, le=600)
    # While PostgreSQL is down a consumer holds its message (no delivery spent) and probes the database for
    # up to this long before handing it back as an ordinary failure (shared/bus/hold.py). Keep it under
    # RabbitMQ's consumer_timeout (30 min by default), which closes a channel that holds a message longer.
    database_hold_seconds: float = Field(default=600.0, ge=0, le=1500)
    log_level: str = "INFO"
    # ESURETY_ENVIRONMENT: in "production" (the default) a service refuses to start with an unsafe
    # setting (see unsafe_settings); "development" allows them, on a developer's machine only.
    esurety_environment: Literal["development", "production"] = "production"
    # OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://otel-collector:4318): traces exported by OTLP/HTTP to
    # <endpoint>/v1/traces; unset, tracing is off (shared/tracing.py, docs/operations-traces.md).
    otel_exporter_otlp_endpoint: str | None = Field(None, max_length=500, pattern=r"^https?://")
    # OTEL_SERVICE_NAME: the service.name on its spans; the service's own name when unset.
    otel_service_name: str | None = Field(None, min_length=1, max_length=100)

    @field_validator("esurety_environment", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("otel_exporter_otlp_endpoint", "otel_service_name", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # docker-compose passes an unset variable as "": tracing off, the default name.
        return None if isinstance(value, str) and not value.strip() else value


# Works only with ESURETY_ENVIRONMENT=development (both services default to it, so a bare checkout runs).
DEVELOPMENT_INTERNAL_API_TOKEN = "dev-internal-token"
# Values seen in examples and old defaults: whoever read them can fetch any 認証キー.
KNOWN_DEFAULT_TOKENS = frozenset(
    {DEVELOPMENT_INTERNAL_API_TOKEN, "changeme", "change-me", "change_me", "secret", "password", "token", "default"}
)
MIN_INTERNAL_API_TOKEN_LENGTH = 32


class InternalApiSettings(CommonSettings):
    """INTERNAL_API_TOKEN: the bearer secret of issuance's internal API (認証キー and PDFs), which the
    application service sends. The same value on both; a SecretStr, so it never shows in a repr or a log."""

    internal_api_token: SecretStr = SecretStr(DEVELOPMENT_INTERNAL_API_TOKEN)


def unsafe_settings(settings: CommonSettings) -> list[str]:
    """What makes these settings unfit outside development (an empty list when they are fine)."""
    if settings.esurety_environment == "development" or not isinstance(settings, InternalApiSettings):
        return []
    token = settings.internal_api_token.get_secret_value()
    if "internal_api_token" not in settings.model_fields_set:
        problem = "INTERNAL_API_TOKEN is not set"
    elif not token.strip():
        problem = "INTERNAL_API_TOKEN is empty"
    elif token.strip().lower() in KNOWN_DEFAULT_TOKENS:
        problem = "INTERNAL_API_TOKEN is a published default value"
    elif len(token) < MIN_INTERNAL_API_TOKEN_LENGTH:
        problem = f"INTERNAL_API_TOKEN is too short ({len(token)} characters, at least {MIN_INTERNAL_API_TOKEN_LENGTH})"
    else:
        return []
    return [
        f"{problem}: it guards issuance's internal API, which hands out every 認証キー. "
        f"Set the same random value of at least {MIN_INTERNAL_API_TOKEN_LENGTH} characters for the application "
        'and issuance services, e.g. INTERNAL_API_TOKEN="$(openssl rand -base64 32)", '
        "or, on a developer's machine only, ESURETY_ENVIRONMENT=development."
    ]


class UnsafeSettings(SystemExit):
    """Raised before anything connects; shared.runtime prints its message (never a secret) and exits 2."""


def refuse_unsafe_settings(settings: CommonSettings) -> None:
    if problems := unsafe_settings(settings):
        raise UnsafeSettings("\n".join(problems))
