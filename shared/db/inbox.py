"""The idempotent consumer: record the event id in the same transaction as the handler's effects."""

import asyncpg

from shared.metrics import record_inbox_duplicate


async def first_delivery(conn: asyncpg.Connection, consumer: str, event_id: str) -> bool:
    """True the first time this consumer sees this event; False for a redelivery (do nothing then)."""
    row = await conn.fetchrow(
        "INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1", consumer, event_id
    )
    if row is None:
        record_inbox_duplicate(consumer)  # esurety_inbox_duplicates_total: a redelivery, or an event published twice
        return False
    return True
