"""A service under test on a thread of its own: its event loop, its pool, uvicorn serving its HTTP app.

Why: schemathesis runs each example synchronously, while a service's asyncpg pool belongs to the loop it
was opened on (and pytest-asyncio's session loop does not run during a synchronous test). So the service
is built by its real bootstrap (real PostgreSQL and RabbitMQ) on a background thread's loop and served
over real HTTP by uvicorn for as long as the test module runs; the examples reach it from the test
thread through `requests`, and fixtures run coroutines on its loop with ServiceThread.run.
"""

import asyncio
import contextlib
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from typing import Any, Self

import uvicorn

from shared.runtime import http_config
from tests.conftest import free_port


@contextlib.asynccontextmanager
async def serve_http(app: Any) -> AsyncIterator[str]:
    """Serve an ASGI app with uvicorn on a free port of 127.0.0.1 (as the services run: lifespan, no access
    log); yields its base URL."""
    port = free_port()
    server = uvicorn.Server(http_config(app, "127.0.0.1", port))
    server.install_signal_handlers = lambda: None
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # raises what stopped it
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


class ServiceThread:
    """Enters an async context manager on a new thread's event loop and keeps the loop running until exit.

        with ServiceThread(lambda: serve_my_service()) as thread:
            thread.value                 # what the context manager yielded
            thread.run(some_coroutine()) # run a coroutine on that loop (e.g. on the service's pool)
    """

    def __init__(
        self, lifecycle: Callable[[], AbstractAsyncContextManager[Any]], *, start_timeout: float = 120
    ) -> None:
        self._lifecycle = lifecycle
        self._start_timeout = start_timeout
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._main, name="openapi-conformance-service", daemon=True)
        self.value: Any = None

    def _main(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            self._error = exc
        finally:
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with self._lifecycle() as value:
            self.value = value
            self._ready.set()
            await self._stop.wait()

    def run(self, coroutine: Coroutine, timeout: float = 60) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def __enter__(self) -> Self:
        self._thread.start()
        if not self._ready.wait(self._start_timeout):
            raise TimeoutError(f"the service did not start within {self._start_timeout} s")
        if self._error is not None:
            raise self._error
        return self

    def __exit__(self, *exc_info) -> None:
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(60)
        if self._error is not None and exc_info[0] is None:
            raise self._error


def own_bus_namespace(common_env: dict[str, str]) -> dict[str, str]:
    """The package's settings with a bus namespace of this module's own: the service under test must not
    compete for messages with the package's other service instance."""
    return {**common_env, "bus_namespace": f"test-oas-{uuid.uuid4().hex[:8]}"}


