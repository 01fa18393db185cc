"""Holding a message while PostgreSQL is down (issue 11): a database outage is not a poison message.

A handler that failed because the database is unavailable does not hand its message back (that would
spend one of the quorum queue's deliveries, and an outage longer than the retry budget would dead-letter
messages that were only waiting for the database). The consumer keeps it unacknowledged, probes
`SELECT 1` with backoff until the database answers, then runs the handler again. One probe loop per pool
is shared by every message waiting on it.
"""

import asyncio
import time

import asyncpg
import structlog

from shared.settings import CommonSettings

log = structlog.get_logger()

PROBE_TIMEOUT_SECONDS = 5.0


class DatabaseHold:
    def __init__(self, pool: asyncpg.Pool, settings: CommonSettings) -> None:
        self._pool = pool
        self._settings = settings
        self._probe: asyncio.Task[bool] | None = None

    async def _answers(self) -> bool:
        try:
            await asyncio.wait_for(self._pool.fetchval("SELECT 1"), PROBE_TIMEOUT_SECONDS)
            return True
        except Exception:  # noqa: BLE001 - any failure means "not answering yet"
            return False

    async def _probe_until_back(self) -> bool:
        s = self._settings
        deadline = time.monotonic() + s.database_hold_seconds
        attempt = 0
        while time.monotonic() < deadline:
            delay = min(s.retry_backoff_base_seconds * 2**attempt, s.retry_backoff_max_seconds)
            await asyncio.sleep(min(delay, max(0.0, deadline - time.monotonic())))
            attempt += 1
            if await self._answers():
                log.info("database answers again; resuming held messages", probes=attempt)
                return True
        return False

    async def wait_for_database(self) -> bool | None:
        """None: the database answers now (the failure was not an outage, or it is already over);
        True: it was down and is back; False: still down after DATABASE_HOLD_SECONDS."""
        if self._probe is None or self._probe.done():
            if await self._answers():
                return None
            if self._probe is None or self._probe.done():
                log.warning("dependency unavailable", dependency="database",
                            hold_seconds=self._settings.database_hold_seconds)
                self._probe = asyncio.create_task(self._probe_until_back(), name="database-probe")
        # shield: one waiter cancelled (e.g. at shutdown) must not cancel the probe the others wait on.
        return await asyncio.shield(self._probe)
