"""Settings every service reads from the environment (pydantic-settings), and the check that refuses
to start a production process with a shipped default secret."""

import json
from typing import Annotated, Literal

from pydantic import Field, SecretStr, StringConstraints, field_validator, model_validator
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


# The 認証キー's keyed hash (shared.auth): issuance hashes with it, the platform verifies with it.
DEVELOPMENT_AUTH_KEY_HMAC_KEY_ID = "dev"
DEVELOPMENT_AUTH_KEY_HMAC_SECRET = "dev-auth-key-hmac-secret-not-for-production"
MIN_AUTH_KEY_HMAC_SECRET_LENGTH = 32
# A key id is written into every hash (hmac-sha256$v1$<key id>$<hex>): short, and never a "$".
AuthKeyId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,32}$")]


class AuthKeySettings(CommonSettings):
    """AUTH_KEY_HMAC_SECRETS: a JSON object {key id: secret} (the current one and any older ones still
    verifying), and AUTH_KEY_HMAC_KEY_ID: the id new hashes are made with. Issuance and the platform hold
    the same values and nobody else does; SecretStr, so a secret never shows in a repr or a log."""

    auth_key_hmac_secrets: dict[AuthKeyId, SecretStr] = Field(
        default_factory=lambda: {DEVELOPMENT_AUTH_KEY_HMAC_KEY_ID: SecretStr(DEVELOPMENT_AUTH_KEY_HMAC_SECRET)},
        min_length=1,
        max_length=8,  # rotation keeps a few old ids, not a history
    )
    auth_key_hmac_key_id: AuthKeyId = DEVELOPMENT_AUTH_KEY_HMAC_KEY_ID

    @field_validator("auth_key_hmac_secrets", mode="before")
    @classmethod
    def _json(cls, value: object) -> object:
        # The environment source decodes the JSON itself; a keyword argument (tests, tools) may be the same text.
        return json.loads(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _current_key_is_held(self) -> "AuthKeySettings":
        if self.auth_key_hmac_key_id not in self.auth_key_hmac_secrets:
            # Names the ids only, never a secret.
            raise ValueError(
                f"AUTH_KEY_HMAC_KEY_ID {self.auth_key_hmac_key_id!r} is not a key of AUTH_KEY_HMAC_SECRETS"
                f" (ids: {', '.join(sorted(self.auth_key_hmac_secrets))})"
            )
        return self


def unsafe_settings(settings: CommonSettings) -> list[str]:
    """What makes these settings unfit outside development (an empty list when they are fine)."""
    if settings.esurety_environment == "development":
        return []
    problems = []
    if isinstance(settings, InternalApiSettings):
        problems += _internal_api_token_problems(settings)
    if isinstance(settings, AuthKeySettings):
        problems += _auth_key_secret_problems(settings)
    return problems


def _internal_api_token_problems(settings: InternalApiSettings) -> list[str]:
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


def _auth_key_secret_problems(settings: AuthKeySettings) -> list[str]:
    published = KNOWN_DEFAULT_TOKENS | {DEVELOPMENT_AUTH_KEY_HMAC_SECRET}
    if "auth_key_hmac_secrets" not in settings.model_fields_set:
        problem = "AUTH_KEY_HMAC_SECRETS is not set"
    else:
        problem = None
        # Every id, old ones too: a hash made under a published secret can be checked offline by anyone.
        for key_id, secret in sorted(settings.auth_key_hmac_secrets.items()):
            value = secret.get_secret_value()
            if value.strip().lower() in published:
                problem = f"AUTH_KEY_HMAC_SECRETS[{key_id!r}] is a published default value"
            elif len(value) < MIN_AUTH_KEY_HMAC_SECRET_LENGTH:
                problem = (f"AUTH_KEY_HMAC_SECRETS[{key_id!r}] is too short ({len(value)} characters,"
                           f" at least {MIN_AUTH_KEY_HMAC_SECRET_LENGTH})")
            if problem:
                break
        else:
            return []
    return [
        f"{problem}: it keys the hash of every 認証キー (the hash travels on the bus). Set the same value for "
        "the issuance and platform services, e.g. "
        'AUTH_KEY_HMAC_SECRETS="{\\"k1\\": \\"$(openssl rand -base64 32)\\"}" AUTH_KEY_HMAC_KEY_ID=k1, '
        "or, on a developer's machine only, ESURETY_ENVIRONMENT=development."
    ]


class UnsafeSettings(SystemExit):
    """Raised before anything connects; shared.runtime prints its message (never a secret) and exits 2."""


def refuse_unsafe_settings(settings: CommonSettings) -> None:
    if problems := unsafe_settings(settings):
        raise UnsafeSettings("\n".join(problems))
