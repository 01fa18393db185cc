"""`python -m services.issuance`: the issuance service with its internal HTTP API."""

from services.issuance.bootstrap import NAME, build
from services.issuance.settings import Settings
from shared.runtime import run_service

if __name__ == "__main__":  # required: the PDF pool spawns processes that import this module's package
    settings = Settings()
    run_service(NAME, settings, build, host=settings.issuance_http_host, port=settings.issuance_http_port)
