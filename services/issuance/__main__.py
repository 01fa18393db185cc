"""`python -m services.issuance`: the issuance service with its internal HTTP API."""

import asyncio
import sys

from services.issuance.bootstrap import NAME, build
from services.issuance.settings import Settings
from shared.logging import configure_logging
from shared.runtime import InfrastructureMissing, require_infrastructure, serve_until_stopped


async def main() -> None:
    settings = Settings()
    configure_logging(NAME, settings.log_level)
    await require_infrastructure(settings)
    ctx = await build(settings)
    await serve_until_stopped(ctx, host=settings.issuance_http_host, port=settings.issuance_http_port)


if __name__ == "__main__":  # required: the PDF pool spawns processes that import this module's package
    try:
        asyncio.run(main())
    except InfrastructureMissing as exc:
        print(exc.code if isinstance(exc.code, str) else str(exc), file=sys.stderr)
        sys.exit(2)
