"""Small facts about a request that both the JSON API and the pages need."""

from starlette.requests import Request


def client_address(request: Request) -> str:
    """The client's address as the server saw it (the login throttle counts per address)."""
    return request.client.host if request.client else "unknown"
