"""`python -m services.application`: the contractor API (Net Desk) and the application service's consumers."""

import asyncio
import sys

from shared.logging import configure_logging
from shared.runtime import InfrastructureMissing, require_infrastructure, serve_until_stopped
from services.application.bootstrap import NAME, build
from services.application.settings import Settings


async def main() -> None:
    settings = Settings()
    configure_logging(NAME, settings.log_level)
    await require_infrastructure(settings)
    ctx = await build(settings)
    await serve_until_stopped(ctx, host=settings.application_http_host, port=settings.application_http_port)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except InfrastructureMissing as exc:
        print(exc.code if isinstance(exc.code, str) else exc, file=sys.stderr)
        sys.exit(2)
