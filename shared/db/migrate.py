"""Applies ordered SQL migrations to one service's schema: first the shared ones (outbox, inbox),
then the service's own. Each file runs once, in a transaction, under an advisory lock so that
several replicas starting together do not race.
"""

import hashlib
from pathlib import Path

import asyncpg
import structlog

log = structlog.get_logger()

SHARED_MIGRATIONS = Path(__file__).parent / "migrations"


async def migrate(database_url: str, schema: str, service_migrations: Path) -> list[str]:
    conn = await asyncpg.connect(database_url)
    applied: list[str] = []
    try:
        lock = int.from_bytes(hashlib.sha256(schema.encode()).digest()[:8], "big", signed=True)
        await conn.execute("SELECT pg_advisory_lock($1)", lock)
        try:
            await conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            await conn.execute(f'SET search_path TO "{schema}"')
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = {r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")}
            files = [("shared/" + p.name, p) for p in sorted(SHARED_MIGRATIONS.glob("*.sql"))]
            files += [(p.name, p) for p in sorted(service_migrations.glob("*.sql"))]
            for name, path in files:
                if name in done:
                    continue
                async with conn.transaction():
                    await conn.execute(path.read_text(encoding="utf-8"))
                    await conn.execute("INSERT INTO schema_migrations (name) VALUES ($1)", name)
                applied.append(name)
                log.info("migration applied", schema=schema, migration=name)
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", lock)
    finally:
        await conn.close()
    return applied


async def ensure_database(database_url: str) -> None:
    """Create the database named in DATABASE_URL if the server does not have it yet."""
    try:
        conn = await asyncpg.connect(database_url)
    except asyncpg.InvalidCatalogNameError:
        base, _, name = database_url.rpartition("/")
        name = name.split("?")[0]
        admin = await asyncpg.connect(f"{base}/postgres")
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
    else:
        await conn.close()
