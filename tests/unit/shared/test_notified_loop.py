"""The loop's wake-up: a NOTIFY that arrives while a batch runs starts the next batch at once; with none,
the loop waits for the timed poll."""

import asyncio

from shared.db.notified_loop import NotifiedLoop

POLL = 30.0  # far longer than the test may take: only a wake-up can start the next batch in time


class Recorder(NotifiedLoop):
    def __init__(self, notify_during_batch: bool) -> None:
        super().__init__(None, channel="test", batch_size=10, poll_interval=POLL)  # type: ignore[arg-type]
        self.notify_during_batch = notify_during_batch
        self.batches = 0
        self.second = asyncio.Event()

    async def run_once(self) -> int:
        self.batches += 1
        if self.batches == 1 and self.notify_during_batch:
            self._on_notify()  # a row committed (and NOTIFY sent) after this batch read the table
        if self.batches == 2:
            self.second.set()
        return 1  # a partial batch: the loop then waits for a wake-up or the poll


async def _second_batch_within(loop: Recorder, seconds: float) -> bool:
    task = asyncio.create_task(loop._run())
    try:
        await asyncio.wait_for(loop.second.wait(), timeout=seconds)
        return True
    except TimeoutError:
        return False
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_a_notify_during_the_batch_is_not_lost():
    assert await _second_batch_within(Recorder(notify_during_batch=True), 1.0)


async def test_without_a_notify_the_loop_waits_for_the_poll():
    loop = Recorder(notify_during_batch=False)
    assert not await _second_batch_within(loop, 0.5)
    assert loop.batches == 1


async def test_a_notify_while_waiting_wakes_the_loop():
    loop = Recorder(notify_during_batch=False)
    task = asyncio.create_task(loop._run())
    try:
        await asyncio.sleep(0.05)
        loop._on_notify()
        await asyncio.wait_for(loop.second.wait(), timeout=1.0)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


class Slow(NotifiedLoop):
    """Each batch takes 0.3 s; records how many batches finished."""

    def __init__(self, *, workers: int, drain_seconds: float) -> None:
        super().__init__(None, channel="test", batch_size=1, poll_interval=POLL, workers=workers,  # type: ignore[arg-type]
                         drain_seconds=drain_seconds)
        self.started = 0
        self.finished = 0

    async def run_once(self) -> int:
        self.started += 1
        await asyncio.sleep(0.3)
        self.finished += 1
        return 0


async def _started(loop: Slow) -> None:
    loop._tasks = [asyncio.create_task(loop._run()) for _ in range(loop._workers)]  # start() without LISTEN
    while loop.started < loop._workers:
        await asyncio.sleep(0.01)


async def test_stop_lets_every_worker_finish_the_batch_in_hand():
    loop = Slow(workers=3, drain_seconds=5)
    await _started(loop)
    assert loop.started == 3  # side by side, not one after another
    await loop.stop()
    assert loop.finished == 3
    assert loop.started == 3  # and none took another


async def test_stop_cuts_off_what_outlasts_the_drain():
    loop = Slow(workers=2, drain_seconds=0.05)
    await _started(loop)
    await loop.stop()
    assert loop.finished == 0
