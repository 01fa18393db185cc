"""Serials of 保証契約番号 from PostgreSQL sequences, one per (prefix, letter), created on first use.

A sequence never hands out a value twice, even when the transaction that drew it rolls back, so a
number is never reused (gaps are fine). MAXVALUE makes the 100,000th serial fail loudly instead of wrapping.
"""

import asyncpg

from services.issuance.domain.numbers import MAX_SERIAL, Category, sequence_name


async def ensure_sequence(conn: asyncpg.Connection, name: str) -> None:
    """Create the sequence on the issuing connection, inside a savepoint.

    Never on a second pool connection: a handler holding one connection while waiting for another
    deadlocks the pool under load. A concurrent creator makes CREATE wait for its commit and then
    fail with a duplicate; the savepoint absorbs that and the sequence is there to use.
    """
    if await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", name):
        return
    try:
        async with conn.transaction():
            await conn.execute(f'CREATE SEQUENCE IF NOT EXISTS "{name}" MINVALUE 1 MAXVALUE {MAX_SERIAL} NO CYCLE')
    except (asyncpg.UniqueViolationError, asyncpg.DuplicateTableError):
        pass


async def next_serial(conn: asyncpg.Connection, prefix: str, category: Category) -> int:
    name = sequence_name(prefix, category)
    await ensure_sequence(conn, name)
    return await conn.fetchval("SELECT nextval($1::regclass)", name)
