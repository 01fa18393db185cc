"""A background loop that works through a table in batches, woken by LISTEN/NOTIFY with a timed
poll behind it (a NOTIFY is lost when nobody listens). The outbox relay and the notifier's email
sender are both one of these.
"""

import asyncio

import asyncpg
import structlog

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

    async def run_once(self) -> int:
        raise NotImplementedError

    async def start(self) -> None:
        self._listener = await self._pool.acquire()
        await self._listener.add_listener(self._channel, self._on_notify)
        self._stopping = False
        self._tasks = [asyncio.create_task(self._run(), name=f"{self.name}-{i}") for i in range(self._workers)]

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
        if self._listener:
            await self._listener.remove_listener(self._channel, self._on_notify)
            await self._pool.release(self._listener)
            self._listener = None

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while not self._stopping:
            # Cleared before the batch, not after: a NOTIFY that arrives while the batch runs (a row committed
            # after the batch's SELECT) keeps the event set, so the next batch starts at once instead of
            # waiting for the timed poll (issue 12: 1–5 s added to an idle system's latency).
            self._wake.clear()
            try:
                handled = await self.run_once()
            except Exception:
                log.exception("batch failed", loop=self.name)
                handled = 0
            if self._stopping:
                return
            if handled >= self._batch_size:
                continue  # a full batch: there may be more waiting
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)
            except TimeoutError:
                pass
