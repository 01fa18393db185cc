"""Composition root of the notifier: schema, subscribers, templates, SMTP and the email sender loop."""

from pathlib import Path

from services.notifier.adapters.smtp import SmtpConfig, SmtpMailer
from services.notifier.adapters.status_templates import StatusEmailComposer
from services.notifier.adapters.templates import CompletionEmailComposer
from services.notifier.entrypoints import subscribers
from services.notifier.handlers.email_sender import EmailSender, SenderPolicy
from services.notifier.handlers.events import Composer
from services.notifier.settings import Settings
from shared.health import health_app
from shared.runtime import ServiceContext, open_context

NAME = "notifier"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def mailer_for(settings: Settings) -> SmtpMailer:
    return SmtpMailer(
        SmtpConfig(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout,
        )
    )


def sender_policy(settings: Settings) -> SenderPolicy:
    return SenderPolicy(
        mail_from=settings.mail_from,
        envelope_from=settings.mail_from_address,
        poll_interval=settings.email_poll_interval,
        concurrency=settings.email_concurrency,
        lease_seconds=settings.email_lease_seconds,
        unknown_resend_after_seconds=settings.email_unknown_resend_after_seconds,
        stop_drain_seconds=settings.email_stop_drain_seconds,
        retry_base_seconds=settings.email_retry_base_seconds,
        retry_max_seconds=settings.email_retry_max_seconds,
        max_attempts=settings.email_max_attempts,
    )


async def build(settings: Settings, *, composer: Composer | None = None, mailer=None) -> ServiceContext:
    # Each sending worker holds a connection at times (marks, lease renewal) besides the consumers and LISTEN.
    pool_size = max(10, 2 * settings.email_concurrency + 4)
    ctx = await open_context(NAME, settings, migrations=MIGRATIONS, publishes=False, pool_size=pool_size)
    composer = composer or CompletionEmailComposer(
        portal_url=settings.portal_url, message_id_domain=settings.message_id_domain
    )
    status_composer = StatusEmailComposer(portal_url=settings.portal_url, message_id_domain=settings.message_id_domain)
    subscribers.register(ctx.broker, settings, ctx.pool, composer, status_composer)
    sender = EmailSender(ctx.pool, mailer or mailer_for(settings), sender_policy(settings))
    ctx.on_start.append(sender.start)
    ctx.on_stop.append(sender.stop)
    ctx.http_app = health_app(ctx)  # no HTTP edge: its port serves /healthz and /readyz only
    return ctx
