"""The renderer's time limit: a render past it fails alone (RenderTimeout), its worker is stopped and
replaced, and the renders queued or running beside it are neither lost nor held up.

The slow document is a real one: a 120,000-character 工事名 takes about 17 s to lay out on the development
machines, against a 1-second limit here. (Before the templates' tables got a fixed layout, issue 12,
3,000 characters took as long; now they take 0.2–0.4 s.)
"""

import asyncio
import multiprocessing
import os
import time

import pytest

from shared.documents import DocumentRenderer, RenderTimeout
from tests.unit.documents.conftest import sample_content

LIMIT = 1.0
SLOW = sample_content(construction_name="河川維持工事" * 20_000)


def workers() -> set[int]:
    return {p.pid for p in multiprocessing.active_children()}


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def test_a_render_past_the_limit_stops_its_worker_and_the_next_render_succeeds():
    before = workers()
    renderer = DocumentRenderer(processes=1, timeout_seconds=LIMIT)
    try:
        assert (await renderer.certificate_pdf(sample_content())).startswith(b"%PDF-")
        (stuck,) = workers() - before

        started = time.monotonic()
        with pytest.raises(RenderTimeout) as raised:
            await renderer.certificate_pdf(SLOW)
        elapsed = time.monotonic() - started
        assert LIMIT <= elapsed < LIMIT + 6  # the limit, plus pebble's wait for SIGTERM (3 s at most) and slack
        assert raised.value.document == "certificate" and raised.value.seconds == LIMIT
        assert str(raised.value) == "certificate PDF not rendered within 1 s"
        assert gone(stuck)  # really stopped, not left running in the background

        # The pool's only worker was replaced: the next render works.
        assert (await renderer.certificate_pdf(sample_content())).startswith(b"%PDF-")
        assert (workers() - before) and stuck not in workers()
    finally:
        await renderer.close()


async def test_a_render_queued_behind_a_stuck_one_is_not_lost():
    renderer = DocumentRenderer(processes=1, timeout_seconds=LIMIT)
    try:
        started = time.monotonic()
        slow, queued = await asyncio.gather(
            renderer.certificate_pdf(SLOW), renderer.certificate_pdf(sample_content()), return_exceptions=True
        )
        assert isinstance(slow, RenderTimeout)
        assert isinstance(queued, bytes) and queued.startswith(b"%PDF-")
        # The queued render waited for the limit and a new worker, not for the slow document (~17 s);
        # its own limit counted from its start, not while it waited.
        assert time.monotonic() - started < LIMIT + 8
    finally:
        await renderer.close()


async def test_while_one_worker_is_stuck_the_other_keeps_rendering():
    renderer = DocumentRenderer(processes=2, timeout_seconds=3 * LIMIT)
    try:
        await asyncio.gather(*(renderer.certificate_pdf(sample_content()) for _ in range(2)))  # both workers warm
        stuck = asyncio.ensure_future(renderer.certificate_pdf(SLOW))
        for _ in range(3):
            assert (await renderer.certificate_pdf(sample_content())).startswith(b"%PDF-")
        assert not stuck.done()  # three certificates while the slow one still held its worker
        with pytest.raises(RenderTimeout):
            await stuck
    finally:
        await renderer.close()


def test_the_limit_must_be_positive():
    with pytest.raises(ValueError):
        DocumentRenderer(timeout_seconds=0)
