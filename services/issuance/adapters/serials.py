"""Serials of 保証契約番号 from PostgreSQL sequences, one per (prefix, letter), created on first use.

A sequence never hands out a value twice, even when the transaction that drew it rolls back, so a
number is never reused (gaps are fine). MAXVALUE makes the 100,000th serial fail loudly instead of wrapping.
"""

import asyncpg

from services.issuance.domain.numbers import MAX_SERIAL, Category, sequence_name

_known: set[str] = set()


async def ensure_sequence(pool: asyncpg.Pool, name: str) -> None:
    """CREATE SEQUENCE in its own short transaction (never inside the issuing one): two creators may race."""
    if name in _known:
        return
    try:
        await pool.execute(f'CREATE SEQUENCE IF NOT EXISTS "{name}" MINVALUE 1 MAXVALUE {MAX_SERIAL} NO CYCLE')
    except (asyncpg.UniqueViolationError, asyncpg.DuplicateTableError):
        pass  # another process created it between the check and the create
    _known.add(name)


async def next_serial(pool: asyncpg.Pool, conn: asyncpg.Connection, prefix: str, category: Category) -> int:
    name = sequence_name(prefix, category)
    await ensure_sequence(pool, name)
    return await conn.fetchval("SELECT nextval($1::regclass)", name)
