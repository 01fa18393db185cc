"""The LISTEN/NOTIFY loops (outbox relay, email sender) across a PostgreSQL restart: they keep polling while
it is down, and LISTEN again once it is back, so a NOTIFY wakes them at once instead of the timed poll
(issue 11, defect 3)."""

import asyncio

import asyncpg
import pytest

from shared.db.notified_loop import NotifiedLoop
from shared.db.pool import create_pool
from tests.conftest import eventually

pytestmark = pytest.mark.integration

POLL = 30.0  # longer than the test waits for a wake-up: only a NOTIFY can start a batch in time


class Counter(NotifiedLoop):
    name = "test-loop"

    def __init__(self, pool: asyncpg.Pool) -> None:
        super().__init__(pool, channel="outage_test", batch_size=10, poll_interval=POLL)
        self.batches = 0
        self.failures = 0

    async def run_once(self) -> int:
        try:
            await self._pool.fetchval("SELECT 1")
        except Exception:
            self.failures += 1
            raise
        self.batches += 1
        return 0


async def test_the_loop_listens_again_after_a_restart(postgres, own_database):
    async with asyncio.timeout(60):
        await _listens_again(postgres, own_database)


async def _listens_again(postgres, own_database):
    pool = await create_pool(own_database, "public", max_size=3)
    loop = Counter(pool)
    await loop.start()
    try:
        await eventually(lambda: loop.batches >= 1)
        postgres.stop()
        loop._on_notify()  # a poll while it is down: the batch fails, the loop goes on
        await eventually(lambda: loop.failures >= 1)
        assert not any(task.done() for task in loop._tasks)
        postgres.start()
        # Woken by the next poll (here, one more nudge) it finds the database and LISTENs again…
        loop._on_notify()
        await eventually(loop._listener_open, timeout=10)
        before = loop.batches
        # …so a NOTIFY from another connection starts a batch at once.
        conn = await asyncpg.connect(own_database)
        try:
            await conn.execute("NOTIFY outage_test")
        finally:
            await conn.close()
        await eventually(lambda: loop.batches > before, timeout=5)
    finally:
        await loop.stop()
        await pool.close()
