"""Settings every service reads from the environment (pydantic-settings)."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class CommonSettings(BaseSettings):
    """AMQP_URL, DATABASE_URL, EVENT_EXCHANGE, LOG_LEVEL; each service subclasses this with its own."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    database_url: str = "postgresql://postgres@127.0.0.1:5432/esurety"
    # Names the exchanges (<ns>.events, <ns>.dlx) and queues (<ns>.<service>.<event>); tests use their own.
    bus_namespace: str = "esurety"
    # Bounded redelivery: after this many failed deliveries a message goes to its DLQ.
    delivery_limit: int = 8
    consumer_prefetch: int = 8
    log_level: str = "INFO"
