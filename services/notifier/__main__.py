"""`python -m services.notifier`: consumes ApplicationSubmitted + CertificatePublished, sends the completion emails; HTTP only for /healthz and /readyz."""

from services.notifier.bootstrap import NAME, build
from services.notifier.settings import Settings
from shared.runtime import run_service

if __name__ == "__main__":
    settings = Settings()
    run_service(NAME, settings, build, host=settings.notifier_health_host, port=settings.notifier_health_port)
