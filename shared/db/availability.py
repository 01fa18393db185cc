"""Which exceptions mean "a dependency is not answering" rather than "this request or message is wrong"
(issue 11): the HTTP edges answer those with 503 (shared/unavailable.py) and the consumers hold the
message until the database is back instead of spending its deliveries (shared/bus/hold.py).
"""

import errno
import socket

import asyncpg
from aiormq.exceptions import AMQPError

DATABASE = "database"
BROKER = "broker"

# Server gone, restarting, refusing, or out of connection slots (SQLSTATE classes 08 and 57P0x, 53300).
_DATABASE_ERRORS = (
    asyncpg.exceptions.PostgresConnectionError,  # 08xxx, ConnectionDoesNotExistError included
    asyncpg.exceptions.CannotConnectNowError,  # 57P03: starting up / shutting down
    asyncpg.exceptions.AdminShutdownError,  # 57P01: pg_ctl stop
    asyncpg.exceptions.CrashShutdownError,  # 57P02
    asyncpg.exceptions.TooManyConnectionsError,  # 53300
)
# An OSError from a socket (not e.g. a missing file): refused, reset, unreachable, timed out.
_NETWORK_ERRNOS = frozenset(
    {errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.EHOSTUNREACH, errno.ENETUNREACH,
     errno.ENETDOWN, errno.ETIMEDOUT, errno.EPIPE, errno.ENOTCONN}
)
_MAX_CHAIN = 8


def _network_error(exc: BaseException) -> bool:
    if isinstance(exc, (ConnectionError, TimeoutError, socket.gaierror)):
        return True  # TimeoutError: also asyncpg's pool acquire and connect timeouts
    if isinstance(exc, OSError):
        # asyncio's create_connection to several addresses raises a bare OSError("Multiple exceptions: …").
        return exc.errno in _NETWORK_ERRNOS or (exc.errno is None and "connect call failed" in str(exc).lower())
    return False


def _one(exc: BaseException) -> str | None:
    if isinstance(exc, AMQPError):  # before OSError: AMQPConnectionError is a ConnectionError too
        return BROKER
    if isinstance(exc, _DATABASE_ERRORS):
        return DATABASE
    if isinstance(exc, asyncpg.exceptions.InterfaceError) and "closed" in str(exc):
        return DATABASE  # "connection is closed", "pool is closed"
    if _network_error(exc):
        # The HTTP edges and handlers reach only PostgreSQL directly (RabbitMQ through the outbox, issuance
        # through its own client's IssuanceUnavailable), so a bare socket error is the database's.
        return DATABASE
    return None


def unavailable_dependency(exc: BaseException) -> str | None:
    """"database", "broker", or None when `exc` (or what caused it) is not an outage."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < _MAX_CHAIN:
        if (found := _one(current)) is not None:
            return found
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        seen += 1
    return None


def database_unavailable(exc: BaseException) -> bool:
    return unavailable_dependency(exc) == DATABASE
