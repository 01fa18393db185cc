"""`python -m services.platform`: the 保証確認サービス process (CertificateIssued consumer, outbox relay, orderer HTTP API)."""

import asyncio
import sys

from shared.logging import configure_logging
from shared.runtime import InfrastructureMissing, require_infrastructure, serve_until_stopped
from services.platform.bootstrap import SERVICE, build
from services.platform.settings import Settings


async def main() -> None:
    settings = Settings()
    configure_logging(SERVICE, settings.log_level)
    try:
        await require_infrastructure(settings)
    except InfrastructureMissing as exc:
        print(str(exc), file=sys.stderr)
        sys.exit(2)
    ctx = await build(settings)
    await serve_until_stopped(ctx, host=settings.platform_http_host, port=settings.platform_http_port)


if __name__ == "__main__":
    asyncio.run(main())
