"""Composition root: the service context with its subscribers, the issuance client (and the orderer
registry cached from it) and the HTTP app.
Starts nothing: the caller runs `await ctx.start()` (or shared.runtime.serve_until_stopped)."""

from pathlib import Path

from shared.runtime import ServiceContext, open_context
from services.application.adapters.issuance_client import IssuanceClient
from services.application.adapters.orderer_registry import OrdererRegistry
from services.application.entrypoints import subscribers
from services.application.entrypoints.http import create_app
from services.application.settings import Settings

NAME = "application"
MIGRATIONS = Path(__file__).parent / "migrations"


async def build(settings: Settings) -> ServiceContext:
    ctx = await open_context(NAME, settings, migrations=MIGRATIONS, publishes=True)
    issuance = IssuanceClient(
        settings.issuance_internal_url,
        settings.internal_api_token.get_secret_value(),
        timeout=settings.issuance_timeout_seconds,
    )
    ctx.on_stop.append(issuance.aclose)
    subscribers.register(ctx.broker, settings, ctx.pool)
    ctx.http_app = create_app(ctx.pool, issuance, settings, OrdererRegistry(issuance))
    return ctx
