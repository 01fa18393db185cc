"""Composition root: the platform's context with its subscriber, HTTP app and PDF renderer (not started)."""

from pathlib import Path

from shared.auth import AuthKeySecrets, use_auth_key_secrets
from shared.runtime import ServiceContext, open_context
from services.platform.adapters.pdf import CertificatePdf
from services.platform.entrypoints import subscribers
from services.platform.entrypoints.http import create_app
from services.platform.settings import Settings

SERVICE = "platform"
MIGRATIONS = Path(__file__).parent / "migrations"


async def build(settings: Settings) -> ServiceContext:
    use_auth_key_secrets(AuthKeySecrets.from_settings(settings))  # to verify 認証キー at lookups
    ctx = await open_context(SERVICE, settings, migrations=MIGRATIONS, publishes=True)
    subscribers.register(ctx)
    pdf = CertificatePdf(processes=settings.pdf_processes, metrics=ctx.metrics)
    ctx.http_app = create_app(pool=ctx.pool, settings=settings, pdf=pdf)
    ctx.on_stop.append(pdf.close)
    return ctx
