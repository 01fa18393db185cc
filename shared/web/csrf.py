"""CSRF protection of every form (asgi-csrf: a signed double-submit cookie, the token in each form's
hidden field or the x-csrftoken header) and the security headers of every page.

asgi-csrf lets a POST without any cookie through (nothing to forge without a session); we protect every
POST anyway, so that even the login form needs the token its page carried.
"""

from collections.abc import Awaitable, Callable

from asgi_csrf import Errors, asgi_csrf
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

FORM_FIELD = "csrftoken"

# No inline script or style, nothing from another origin (closed networks: no CDN either).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self';"
    " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
_PAGE_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class BodyTooLarge(Exception):
    pass


async def _answer(send: Send, _: int, body: bytes, *, status: int) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"connection", b"close"), *_PAGE_HEADERS],
        }
    )
    await send({"type": "http.response.body", "body": body})


class _EveryPath:
    """asgi-csrf's `always_protect`: every path, so a POST without cookies is checked too."""

    def __contains__(self, _: object) -> bool:
        return True


def csrf_token(request: Request) -> str:
    """The token for the page's forms (sets the cookie when the browser has none yet)."""
    return request.scope["csrftoken"]()


FailurePage = Callable[[Scope], Awaitable[tuple[int, bytes]]]


# The largest form a page posts is the application form (a few KB); anything far larger is refused
# before it is read (asgi-csrf would otherwise read a whole urlencoded body into memory).
MAX_BODY_BYTES = 256 * 1024


def protect(
    app: ASGIApp,
    *,
    signing_secret: str,
    cookie_secure: bool,
    failure_page: FailurePage,
    too_large_page: FailurePage | None = None,
) -> ASGIApp:
    """`app` behind CSRF checks and the security headers. `failure_page(scope)` gives the 403 page
    (in Japanese) for a form sent without its token, e.g. after the browser dropped the cookie;
    `too_large_page(scope)` the 413 page for a body over MAX_BODY_BYTES (declared, or as it arrives)."""

    async def send_csrf_failed(scope: Scope, send: Send, _: Errors) -> None:
        status, body = await failure_page(scope)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), *_PAGE_HEADERS],
            }
        )
        await send({"type": "http.response.body", "body": body})

    guarded = asgi_csrf(
        app,
        signing_secret=signing_secret,
        always_protect=_EveryPath(),
        cookie_secure=cookie_secure,
        cookie_samesite="Lax",
        send_csrf_failed=send_csrf_failed,
    )

    async def with_headers(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await guarded(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in _PAGE_HEADERS if n not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
            await _answer(send, *(await (too_large_page or failure_page)(scope)), status=413)
            return
        received = 0

        async def bounded_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:  # a chunked body that keeps coming
                raise BodyTooLarge()
            return message

        try:
            await guarded(scope, bounded_receive, send_with_headers)
        except BodyTooLarge:
            await _answer(send, *(await (too_large_page or failure_page)(scope)), status=413)

    return with_headers
