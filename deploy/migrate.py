"""Apply every service's schema migrations (shared outbox/inbox first, then the service's own).

    python -m deploy.migrate [--database-url URL]

Used by docker-compose (the `migrate` one-shot service) and by the local runner. Each service also
migrates its own schema at start; running this first just makes a bad migration fail early and once.
"""

import argparse
import asyncio
import sys
from pathlib import Path

from shared.db.migrate import ensure_database, migrate
from shared.settings import CommonSettings

SERVICES = ("application", "issuance", "platform", "notifier")
# Beside deploy/ in a checkout, and in site-packages after `pip install .` (package-data keeps *.sql).
ROOT = Path(__file__).resolve().parent.parent


def migrations_dir(service: str) -> Path:
    return ROOT / "services" / service / "migrations"


async def migrate_all(database_url: str) -> dict[str, list[str]]:
    """Create the database if needed, then migrate each service's schema; returns what was applied."""
    await ensure_database(database_url)
    applied: dict[str, list[str]] = {}
    for service in SERVICES:
        applied[service] = await migrate(database_url, service, migrations_dir(service))
    return applied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.migrate", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: DATABASE_URL from the environment")
    args = parser.parse_args(argv)
    database_url = args.database_url or CommonSettings().database_url
    try:
        applied = asyncio.run(migrate_all(database_url))
    except (OSError, asyncio.TimeoutError) as exc:
        print(f"PostgreSQL is not reachable (DATABASE_URL): {exc!r}", file=sys.stderr)
        return 2
    for service, names in applied.items():
        print(f"{service}: {len(names)} migration(s) applied" + (f" ({', '.join(names)})" if names else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
