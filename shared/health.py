"""Liveness and readiness of a service, for operators and docker-compose's healthchecks (issue 11).

- `GET /healthz`: the process runs and its event loop answers (200, always, while it does).
- `GET /readyz`: it can do its work — its database answers, its broker answers, every consumer is
  attached, and its outbox is not stuck (nothing unsent older than OUTBOX_STUCK_SECONDS). 200 when all
  hold, else 503 with `Retry-After`; the body names each check and, for a failed one, what failed
  (never a URL's password: only the kind of error).

The HTTP edges serve both on their own port (added to their app when the service starts); the notifier,
which has no HTTP edge, serves them alone on NOTIFIER_HEALTH_PORT.
"""

import asyncio
from typing import TYPE_CHECKING, Any

import structlog
from fastapi import APIRouter, FastAPI, Response
from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from shared.runtime import ServiceContext

log = structlog.get_logger()

CHECK_TIMEOUT_SECONDS = 2.0
OUTBOX_STUCK_SECONDS = 60.0
RETRY_AFTER_SECONDS = "10"
PATHS = ("/healthz", "/readyz")


class Liveness(BaseModel):
    status: str = Field(description="ok")
    service: str


class Readiness(BaseModel):
    status: str = Field(description="ready / not_ready")
    service: str
    checks: dict[str, str] = Field(description="database, broker, consumers, outbox: ok, or what failed")


async def _database(ctx: "ServiceContext") -> str:
    try:
        await asyncio.wait_for(ctx.pool.fetchval("SELECT 1"), CHECK_TIMEOUT_SECONDS)
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not answering"
        return f"not answering ({type(exc).__name__})"


async def _broker(ctx: "ServiceContext") -> str:
    try:
        return "ok" if await ctx.broker.ping(timeout=CHECK_TIMEOUT_SECONDS) else "not answering"
    except Exception as exc:  # noqa: BLE001
        return f"not answering ({type(exc).__name__})"


def _consumers(ctx: "ServiceContext") -> str:
    subscribers = list(ctx.broker.subscribers)
    attached = sum(1 for s in subscribers if getattr(s, "running", False))
    return "ok" if attached == len(subscribers) else f"{attached} of {len(subscribers)} attached"


async def _outbox(ctx: "ServiceContext") -> str:
    if ctx.relay is None:
        return "ok"  # this service publishes nothing
    try:
        age = await asyncio.wait_for(
            ctx.pool.fetchval(
                "SELECT extract(epoch FROM now() - min(created_at)) FROM outbox WHERE sent_at IS NULL"
            ),
            CHECK_TIMEOUT_SECONDS,
        )
    except Exception as exc:  # noqa: BLE001
        return f"not readable ({type(exc).__name__})"
    if age is not None and float(age) > OUTBOX_STUCK_SECONDS:
        return f"stuck: oldest unsent event is {float(age):.0f} s old"
    return "ok"


async def readiness(ctx: "ServiceContext") -> Readiness:
    database, broker, outbox = await asyncio.gather(_database(ctx), _broker(ctx), _outbox(ctx))
    checks = {"database": database, "broker": broker, "consumers": _consumers(ctx), "outbox": outbox}
    ready = all(value == "ok" for value in checks.values())
    if not ready:
        log.warning("not ready", checks={k: v for k, v in checks.items() if v != "ok"})
    return Readiness(status="ready" if ready else "not_ready", service=ctx.name, checks=checks)


def health_router(ctx: "ServiceContext") -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", response_model=Liveness, summary="liveness: the process runs")
    async def healthz() -> Liveness:
        return Liveness(status="ok", service=ctx.name)

    @router.get(
        "/readyz",
        response_model=Readiness,
        summary="readiness: database, broker, consumers and outbox",
        responses={503: {"model": Readiness, "description": "not ready: `checks` says what failed"}},
    )
    async def readyz(response: Response) -> Readiness:
        found = await readiness(ctx)
        if found.status != "ready":
            response.status_code = 503
            response.headers["Retry-After"] = RETRY_AFTER_SECONDS
        return found

    return router


def add_health_routes(ctx: "ServiceContext", app: Any) -> None:
    """Add /healthz and /readyz to the service's app (once: a marker, since FastAPI's included routers
    do not always list their paths in app.routes)."""
    if getattr(app.state, "health_routes", False):
        return
    app.include_router(health_router(ctx))
    app.state.health_routes = True
    app.openapi_schema = None  # regenerated with the two routes


def health_app(ctx: "ServiceContext") -> FastAPI:
    """The app of a service without an HTTP edge: only /healthz and /readyz."""
    app = FastAPI(title=f"{ctx.name} health", version="1.0.0", description="liveness and readiness")
    app.include_router(health_router(ctx))
    app.state.health_routes = True
    return app
