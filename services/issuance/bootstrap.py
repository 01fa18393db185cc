"""Composition root: migrations, pool, broker, PDF renderer and its job worker, subscriber and the internal HTTP app."""

from pathlib import Path

from services.issuance.entrypoints import subscribers
from services.issuance.entrypoints.internal_http import create_app
from services.issuance.handlers.expiry import ExpiryJob
from services.issuance.handlers.render_documents import PdfWorker
from services.issuance.settings import Settings
from shared.auth import AuthKeySecrets, use_auth_key_secrets
from shared.documents import DocumentRenderer
from shared.runtime import ServiceContext, open_context

NAME = "issuance"
MIGRATIONS = Path(__file__).parent / "migrations"


async def build(settings: Settings) -> ServiceContext:
    use_auth_key_secrets(AuthKeySecrets.from_settings(settings))  # new certificates' 認証キー hashes
    ctx = await open_context(NAME, settings, migrations=MIGRATIONS, publishes=True)
    renderer = DocumentRenderer(
        processes=settings.pdf_processes, timeout_seconds=settings.pdf_render_timeout_seconds, metrics=ctx.metrics
    )
    subscribers.register(ctx.broker, settings, ctx.pool)
    ctx.http_app = create_app(
        ctx.pool, settings.internal_api_token.get_secret_value(), renderer,
        download_wait_seconds=settings.pdf_download_wait_seconds,
    )
    if settings.pdf_job_workers > 0:  # the PDFs of committed certificates (handlers/render_documents.py)
        worker = PdfWorker(ctx.pool, renderer, workers=settings.pdf_job_workers)
        ctx.on_start.append(worker.start)
        ctx.on_stop.insert(0, worker.stop)
    ctx.on_stop.append(renderer.close)
    if settings.expiry_check_seconds > 0:  # 期間満了 (handlers/expiry.py): at start, then every EXPIRY_CHECK_SECONDS
        expiry = ExpiryJob(ctx.pool, interval=settings.expiry_check_seconds)
        ctx.on_start.append(expiry.start)
        ctx.on_stop.insert(0, expiry.stop)
    return ctx
