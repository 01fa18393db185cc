"""`python -m services.notifier`: consumes ApplicationSubmitted + CertificatePublished, sends the completion emails."""

import asyncio
import sys

from services.notifier.bootstrap import NAME, build
from services.notifier.settings import Settings
from shared.logging import configure_logging
from shared.runtime import InfrastructureMissing, require_infrastructure, serve_until_stopped


async def main() -> None:
    settings = Settings()
    configure_logging(NAME, settings.log_level)
    await require_infrastructure(settings)
    ctx = await build(settings)
    await serve_until_stopped(ctx)  # no HTTP edge: ctx.http_app stays None


def run() -> None:
    try:
        asyncio.run(main())
    except InfrastructureMissing as exc:
        print(exc.code, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    run()
