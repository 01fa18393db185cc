"""The whole system in one process, for end-to-end tests and the benchmark: the four services
against the real RabbitMQ and PostgreSQL, their HTTP edges served by uvicorn on free ports, and the
notifier sending to a real SMTP server (aiosmtpd) that records each message with its arrival time.
"""

import asyncio
import contextlib
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import uvicorn
from aiosmtpd.controller import Controller

from services.application.bootstrap import build as build_application
from services.application.settings import Settings as ApplicationSettings
from services.issuance.bootstrap import build as build_issuance
from services.issuance.settings import Settings as IssuanceSettings
from services.notifier.bootstrap import build as build_notifier
from services.notifier.settings import Settings as NotifierSettings
from services.platform.bootstrap import build as build_platform
from services.platform.settings import Settings as PlatformSettings
from shared.runtime import ServiceContext

BUILDERS = {
    "issuance": build_issuance,
    "platform": build_platform,
    "notifier": build_notifier,
    "application": build_application,
}
# The setting that holds each service's HTTP port (the notifier's serves health and metrics only).
HTTP_PORT_SETTING = {
    "issuance": "issuance_http_port",
    "platform": "platform_http_port",
    "notifier": "notifier_health_port",
    "application": "application_http_port",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ReceivedMail:
    message: EmailMessage
    received_at: float  # time.perf_counter()


class _Recorder:
    def __init__(self) -> None:
        self.mails: list[ReceivedMail] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.mails.append(ReceivedMail(message, time.perf_counter()))
        return "250 OK"


@dataclass
class System:
    common: dict
    contexts: dict[str, ServiceContext] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    internal_token: str = "e2e-internal-token"
    # Called with each service's name just before it is built and started: what it binds in the context
    # (e.g. logging's `service`) is inherited by that service's tasks (tests/observability).
    before_service: Callable[[str], None] | None = None
    # Second (third, …) contexts of a service started by start_replica(), in order, and their edges' URLs.
    replicas: list[ServiceContext] = field(default_factory=list)
    replica_urls: list[str] = field(default_factory=list)
    _settings: dict = field(default_factory=dict)
    _servers: list[tuple[uvicorn.Server, asyncio.Task]] = field(default_factory=list)
    _smtp: Controller | None = None
    _recorder: _Recorder = field(default_factory=_Recorder)

    @property
    def portal(self) -> str:
        """Net Desk's pages (with the trailing slash), e.g. f"{system.portal}login"."""
        return f"{self.urls['application']}/portal/"

    @property
    def mails(self) -> list[ReceivedMail]:
        return self._recorder.mails

    async def start(self) -> "System":
        smtp_port = free_port()
        self._smtp = Controller(self._recorder, hostname="127.0.0.1", port=smtp_port)
        self._smtp.start()
        ports = {name: free_port() for name in ("application", "issuance", "platform", "notifier")}
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        token = {"internal_api_token": self.internal_token}
        settings = {
            "issuance": IssuanceSettings(**self.common, **token, issuance_http_port=ports["issuance"]),
            "platform": PlatformSettings(**self.common, platform_http_port=ports["platform"]),
            # The completion email links to the contractor portal of this very system (Net Desk at /portal/).
            "notifier": NotifierSettings(
                **self.common, smtp_host="127.0.0.1", smtp_port=smtp_port, portal_url=self.portal,
                notifier_health_port=ports["notifier"],
            ),
            "application": ApplicationSettings(
                **self.common, **token, application_http_port=ports["application"], issuance_internal_url=self.urls["issuance"]
            ),
        }
        self._settings = settings
        for name, builder in BUILDERS.items():
            if self.before_service is not None:
                self.before_service(name)
            ctx = await builder(settings[name])
            await ctx.start()
            self.contexts[name] = ctx
            if ctx.http_app is not None:
                await self._serve(ctx.http_app, ports[name])
        return self

    async def start_replica(self, name: str, **overrides) -> ServiceContext:
        """One more context of a started service, with the same settings (database, namespace, queues) but
        an HTTP port of its own (and any `overrides`, e.g. a smaller prefetch): a second process of that
        service, as a second container would be. It consumes from the same queues and claims from the same
        tables; `stop()` stops it with the rest."""
        port = free_port()
        settings = self._settings[name].model_copy(update={**overrides, HTTP_PORT_SETTING[name]: port})
        ctx = await BUILDERS[name](settings)
        await ctx.start()
        self.replicas.append(ctx)
        if ctx.http_app is not None:
            await self._serve(ctx.http_app, port)
            self.replica_urls.append(f"http://127.0.0.1:{port}")
        return ctx

    async def stop_replica(self, ctx: ServiceContext) -> None:
        # Its HTTP server (if any) keeps answering until System.stop(); what matters is that it takes no more work.
        self.replicas.remove(ctx)
        await ctx.stop()

    async def _serve(self, app, port: int) -> None:
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False))
        server.install_signal_handlers = lambda: None
        task = asyncio.create_task(server.serve())
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.02)
        self._servers.append((server, task))

    async def stop(self) -> None:
        for server, task in self._servers:
            server.should_exit = True
            with contextlib.suppress(Exception):
                await task
        for ctx in reversed([*self.contexts.values(), *self.replicas]):
            with contextlib.suppress(Exception):
                await ctx.stop()
        if self._smtp:
            self._smtp.stop()
