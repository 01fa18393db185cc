"""Which exceptions mean "the database (or broker) is not answering" (shared/db/availability.py)."""

import asyncio
import errno

import asyncpg
import pytest
from aiormq.exceptions import AMQPConnectionError

from shared.db.availability import database_unavailable, unavailable_dependency


def _caused_by(cause: BaseException) -> Exception:
    try:
        try:
            raise cause
        except BaseException as exc:
            raise RuntimeError("while saving") from exc
    except RuntimeError as wrapped:
        return wrapped


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError(errno.ECONNREFUSED, "Connect call failed ('127.0.0.1', 5432)"),
        OSError("Multiple exceptions: [Errno 111] Connect call failed ('::1', 5432), [Errno 111] Connect call failed"),
        asyncio.TimeoutError(),  # a pool acquire or connect timeout
        asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
        asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already"),
        asyncpg.exceptions.InterfaceError("cannot call Connection.fetch(): connection is closed"),
    ],
    ids=type,
)
def test_database_outages(exc):
    assert unavailable_dependency(exc) == "database"
    assert database_unavailable(_caused_by(exc))  # also when wrapped


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("bad input"),
        KeyError("x"),
        FileNotFoundError(errno.ENOENT, "template.html"),
        asyncpg.exceptions.UniqueViolationError("duplicate key"),
        asyncpg.exceptions.QueryCanceledError("canceling statement due to statement timeout"),
        asyncpg.exceptions.InterfaceError("cannot perform operation: another operation is in progress"),
    ],
    ids=type,
)
def test_not_outages(exc):
    assert unavailable_dependency(exc) is None


def test_the_broker_is_not_the_database():
    assert unavailable_dependency(AMQPConnectionError("connection refused")) == "broker"


def test_a_suppressed_context_is_not_followed():
    try:
        try:
            raise ConnectionRefusedError()
        except ConnectionRefusedError:
            raise ValueError("unrelated") from None
    except ValueError as exc:
        assert unavailable_dependency(exc) is None
