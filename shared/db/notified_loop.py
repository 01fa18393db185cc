"""A background loop that works through a table in batches, woken by LISTEN/NOTIFY with a timed
poll behind it (a NOTIFY is lost when nobody listens). The outbox relay and the notifier's email
sender are both one of these.

A PostgreSQL outage or restart does not stop the loop (issue 11): batches keep being tried on the timed
poll (logged once per outage, without a stack trace each second), and the LISTEN connection, which a
restart closes, is re-established as soon as the database answers.
"""

import asyncio

import asyncpg
import structlog

from shared.db.availability import database_unavailable

log = structlog.get_logger()


class NotifiedLoop:
    """Subclasses implement `run_once()`: handle one batch, return how many rows it handled.

    `workers` copies of the loop run side by side (run_once must claim with SKIP LOCKED); on stop each may
    finish the batch in hand for up to `drain_seconds` before it is cancelled."""

    name = "notified-loop"

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        channel: str,
        batch_size: int,
        poll_interval: float,
        workers: int = 1,
        drain_seconds: float = 0.0,
    ) -> None:
        self._pool = pool
        self._channel = channel
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._workers = workers
        self._drain_seconds = drain_seconds
        self._wake = asyncio.Event()
        self._stopping = False
        self._tasks: list[asyncio.Task] = []
        self._listener: asyncpg.Connection | None = None
        self._listening = False  # set by start(): from then on the loop keeps a LISTEN connection
        # The workers share one LISTEN connection; only one of them may (re)open or drop it at a time
        # (two operations at once on one asyncpg connection fail with "another operation is in progress").
        self._listen_lock = asyncio.Lock()

    async def run_once(self) -> int:
        raise NotImplementedError

    async def start(self) -> None:
        self._listening = True
        try:
            await self._listen()
        except Exception as exc:
            if not database_unavailable(exc):
                raise
            log.warning("dependency unavailable", dependency="database", loop=self.name, error=type(exc).__name__)
        self._stopping = False
        self._tasks = [asyncio.create_task(self._run(), name=f"{self.name}-{i}") for i in range(self._workers)]

    async def _listen(self) -> None:
        """LISTEN on a connection of its own, unless the one held still is open."""
        if self._listener_open():
            return
        async with self._listen_lock:
            if self._listener_open():
                return
            await self._drop_listener()
            listener = await self._pool.acquire()
            try:
                await listener.add_listener(self._channel, self._on_notify)
            except BaseException:
                await self._pool.release(listener)
                raise
            self._listener = listener
            self._wake.set()  # rows may have been written while nobody listened: look at once

    def _listener_open(self) -> bool:
        try:
            return self._listener is not None and not self._listener.is_closed()
        except asyncpg.InterfaceError:  # the pool took the connection back when the server closed it
            return False

    async def _drop_listener(self) -> None:
        is_open = self._listener_open()
        listener, self._listener = self._listener, None
        if listener is None:
            return
        try:
            if is_open:
                await listener.remove_listener(self._channel, self._on_notify)
            await self._pool.release(listener)
        except asyncpg.InterfaceError:
            pass  # already back in the pool

    async def stop(self) -> None:
        if self._tasks:
            self._stopping = True
            self._wake.set()  # idle workers return at once
            unfinished = set(self._tasks)
            if self._drain_seconds > 0:
                _, unfinished = await asyncio.wait(self._tasks, timeout=self._drain_seconds)
            for task in unfinished:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            self._tasks = []
        self._listening = False
        async with self._listen_lock:
            await self._drop_listener()

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def _run(self) -> None:
        outage = False
        while not self._stopping:
            # Cleared before the batch, not after: a NOTIFY that arrives while the batch runs (a row committed
            # after the batch's SELECT) keeps the event set, so the next batch starts at once instead of
            # waiting for the timed poll (issue 12: 1–5 s added to an idle system's latency).
            self._wake.clear()
            try:
                if self._listening:
                    await self._listen()
                handled = await self.run_once()
            except Exception as exc:
                handled = 0
                if not database_unavailable(exc):
                    log.exception("batch failed", loop=self.name)
                elif not outage:
                    log.warning("dependency unavailable", dependency="database", loop=self.name,
                                error=f"{type(exc).__name__}: {str(exc)[:200]}")
                outage = outage or database_unavailable(exc)
            else:
                if outage:
                    log.info("database answers again", loop=self.name)
                outage = False
            if self._stopping:
                return
            if handled >= self._batch_size:
                continue  # a full batch: there may be more waiting
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)
            except TimeoutError:
                pass
