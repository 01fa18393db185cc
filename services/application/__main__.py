"""`python -m services.application`: the contractor API (Net Desk) and the application service's consumers."""

from services.application.bootstrap import NAME, build
from services.application.settings import Settings
from shared.runtime import run_service

if __name__ == "__main__":
    settings = Settings()
    run_service(NAME, settings, build, host=settings.application_http_host, port=settings.application_http_port)
