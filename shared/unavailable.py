"""503 instead of a bare 500 while a dependency is down (issue 11): PostgreSQL (any route), RabbitMQ,
or issuance's internal API (the routes that need it). Both HTTP edges install it on their JSON API
(`{"detail": …}`, the shape of shared/request_errors.py) and on their web pages (the portal's error
page, shared/web/templates/error.html), with `Retry-After` and one Japanese message; the log line
names the dependency (`dependency unavailable`, dependency=database|broker|issuance).
"""

from collections.abc import Callable, Mapping

import asyncpg
import structlog
from aiormq.exceptions import AMQPError
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from shared.db.availability import unavailable_dependency

log = structlog.get_logger()

MESSAGE = "ただいま混み合っているか、保守中です。しばらくしてから再度お試しください。"
TITLE = "ただいまご利用いただけません"
RETRY_AFTER_SECONDS = 30
HEADERS = {"Retry-After": str(RETRY_AFTER_SECONDS)}

# The classes a handler is registered for; shared.db.availability decides whether one really is an
# outage (an OSError for a missing file is not), and anything else is re-raised to the usual 500.
_CANDIDATES: tuple[type[BaseException], ...] = (
    OSError,  # ConnectionRefusedError, TimeoutError (pool acquire), AMQPConnectionError
    AMQPError,
    asyncpg.exceptions.PostgresError,
    asyncpg.exceptions.InterfaceError,
)

Render = Callable[[Request], Response]


def json_answer(_: Request) -> Response:
    return JSONResponse(status_code=503, content={"detail": MESSAGE}, headers=HEADERS)


def install_unavailable(app: FastAPI, render: Render = json_answer, *, extra: Mapping[type[Exception], str] = {}) -> None:
    """503 answers on `app` (a JSON API by default; a portal passes a `render` giving its error page).
    `extra`: a service's own "unavailable" exceptions and the dependency each names, e.g. issuance."""

    async def unavailable(request: Request, exc: Exception) -> Response:
        dependency = extra.get(type(exc)) or unavailable_dependency(exc)
        if dependency is None:
            raise exc  # not an outage: the ordinary 500 (and its stack trace in the log)
        log.error("dependency unavailable", dependency=dependency, path=request.url.path, method=request.method,
                  error=type(exc).__name__)
        return render(request)

    for error in (*_CANDIDATES, *extra):
        app.add_exception_handler(error, unavailable)


def page_answer(pages) -> Render:
    """The portal's own error page (shared.web.pages.Pages), 503 with Retry-After."""
    return lambda request: pages.error(request, 503, TITLE, MESSAGE, headers=HEADERS)
