"""What a page behind login does without a live session: redirect to the portal's login page, which
says why (timeout) and comes back afterwards — only to a path of the same portal (no open redirect)."""

from urllib.parse import urlencode

from starlette.requests import Request


class LoginRequired(Exception):
    def __init__(self, login_url: str, next_path: str | None, reason: str | None = None) -> None:
        super().__init__(reason or "login required")
        self.login_url = login_url
        self.next_path = next_path
        self.reason = reason

    def location(self) -> str:
        query = {k: v for k, v in (("next", self.next_path), ("reason", self.reason)) if v}
        return self.login_url + (f"?{urlencode(query)}" if query else "")


def safe_next(prefix: str, candidate: str | None) -> str:
    """Where to go after login: a path of this portal, else its top page."""
    if candidate and candidate.startswith(prefix + "/") and not candidate.startswith("//") and "\\" not in candidate:
        return candidate
    return prefix + "/"


def current_path(request: Request) -> str | None:
    """The page to come back to after login (GET only: a form post is not replayed)."""
    if request.method != "GET":
        return None
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")
