"""Request count and latency of a FastAPI edge, labelled by the matched route's path template
(`/applications/{app_id}/submit`), never by the raw path: a raw path carries application ids and
保証契約番号, and every distinct value would be a new time series.

A pure ASGI middleware (no BaseHTTPMiddleware: it costs more per request). The router records the matched
route in `scope["route"]`; a mounted sub-app (/portal, /viewer) adds its prefix to `scope["root_path"]`, so
prefix + route.path is the template; what a mount answers itself is `<mount>/{path}`; no match `<unmatched>`.
"""

import time
from typing import Any

from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.metrics.registry import ServiceMetrics

UNMATCHED = "<unmatched>"
# Anything else a client sends is "other": a made-up method must not make a new time series either.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_template(scope: Scope, app_root_path: str = "") -> str:
    """The path template of the route that handled this request (after the app has run on `scope`)."""
    prefix = scope.get("root_path", "") or ""
    if app_root_path and prefix.startswith(app_root_path):
        prefix = prefix[len(app_root_path) :]
    route = scope.get("route")
    path = _included_path(scope) or getattr(route, "path", None)
    if route is None or isinstance(route, Mount) or not isinstance(path, str):
        # A mount answered itself (static files, or a 404 inside a sub-app): its path is in root_path.
        return f"{prefix}/{{path}}" if prefix else UNMATCHED
    return f"{prefix}{path}" or "/"


def _included_path(scope: Scope) -> str | None:
    # FastAPI 0.16x resolves include_router(prefix=...) lazily: scope["route"].path lacks that prefix, and
    # the route's full template is on FastAPI's per-request context (tested in test_http_metrics.py).
    context = (scope.get("fastapi") or {}).get("effective_route_context")
    found = getattr(context, "path_format", None)
    return found if isinstance(found, str) else None


def status_class(status: int) -> str:
    return f"{status // 100}xx"


class HttpMetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self._requests = metrics.http_requests
        self._duration = metrics.http_duration

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        app_root_path = scope.get("root_path", "") or ""
        status: dict[str, Any] = {"code": 500}  # if the app raises before answering, the server answers 500

        async def send_recording(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_recording)
        finally:
            route = route_template(scope, app_root_path)
            method = scope.get("method", "GET") if scope.get("method") in METHODS else "other"
            self._duration.labels(method=method, route=route).observe(time.perf_counter() - started)
            self._requests.labels(method=method, route=route, status_class=status_class(status["code"])).inc()
