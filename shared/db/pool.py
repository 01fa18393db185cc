"""An asyncpg pool bound to one service's schema (search_path), with JSON codecs."""

import json

import asyncpg


class PooledConnection(asyncpg.Connection):
    """Goes back to the pool without asyncpg's reset query (`pg_advisory_unlock_all(); CLOSE ALL;
    UNLISTEN *; RESET ALL`): one round trip less per checkout, which was a fifth of an orderer lookup's
    (docs/benchmarks.md). Safe because no pooled connection carries session state: settings are
    transaction-local (`set_config(…, true)`), advisory locks are taken by migrations on a connection of
    their own, cursors live inside transactions, and the one LISTEN (shared/db/notified_loop.py) is
    removed by its owner before release (tests/unit/shared/test_pool_session_state.py keeps it so). asyncpg still
    rolls back a transaction left open and drops the Python-side listeners on release."""

    def get_reset_query(self) -> str:
        return ""


async def _init_connection(conn: asyncpg.Connection) -> None:
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(
            type_name, encoder=lambda v: json.dumps(v, ensure_ascii=False), decoder=json.loads, schema="pg_catalog"
        )


async def create_pool(database_url: str, schema: str, *, min_size: int = 1, max_size: int = 10) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        database_url,
        min_size=min_size,
        max_size=max_size,
        server_settings={"search_path": schema},
        init=_init_connection,
        connection_class=PooledConnection,
    )
