"""`python -m services.platform`: the 保証確認サービス process (CertificateIssued consumer, outbox relay, orderer HTTP API)."""

from services.platform.bootstrap import SERVICE, build
from services.platform.settings import Settings
from shared.runtime import run_service

if __name__ == "__main__":
    settings = Settings()
    run_service(SERVICE, settings, build, host=settings.platform_http_host, port=settings.platform_http_port)
