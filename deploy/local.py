"""The one command that runs the whole system on this machine (`make run`).

Checks that PostgreSQL and RabbitMQ answer (a clear message and exit 2 if not), applies every
service's migrations, starts an SMTP sink that keeps emails as files in var/mail/ (unless SMTP_HOST
is set: then the notifier uses that server), starts the four services as child processes with their
output prefixed (with a random INTERNAL_API_TOKEN unless one is set), waits until the HTTP edges
answer, and prints where everything is. Ctrl-C or SIGTERM stops every child; if one child dies,
everything stops and the exit code is non-zero.

    python -m deploy.local [--mail-dir var/mail] [--ready-timeout 90]

For tests: `system = await start_system(env, ...)`, then `await system.stop()`.
"""

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import signal
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

import httpx

from deploy.mail_sink import MailSink
from deploy.migrate import SERVICES, migrate_all
from shared.runtime import InfrastructureMissing, require_infrastructure
from shared.settings import CommonSettings

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS = {
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/esurety",
    "AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/",
    "APPLICATION_HTTP_PORT": "8001",
    "PLATFORM_HTTP_PORT": "8002",
    "ISSUANCE_HTTP_PORT": "8003",
    "NOTIFIER_HEALTH_PORT": "8004",
}
# Which env variable holds the port of each service (the notifier's serves only /healthz and /readyz).
HTTP_EDGES = {
    "application": "APPLICATION_HTTP_PORT",
    "platform": "PLATFORM_HTTP_PORT",
    "issuance": "ISSUANCE_HTTP_PORT",
    "notifier": "NOTIFIER_HEALTH_PORT",
}
# shared.runtime logs this line once the broker, relay (and HTTP task) are up.
STARTED_LINE = "service started"


class ChildExited(RuntimeError):
    def __init__(self, name: str, returncode: int) -> None:
        super().__init__(f"{name} exited with code {returncode}")
        self.name = name
        self.returncode = returncode


@dataclass(frozen=True)
class ServiceSpec:
    """One child process and how to tell it is ready (an URL that answers 200, and/or a line it prints)."""

    name: str
    argv: list[str]
    ready_url: str | None = None
    ready_line: str | None = None
    port_env: str | None = None


def build_env(base: Mapping[str, str], *, mail_port: int = 2525) -> dict[str, str]:
    """The children's environment: defaults for what is not set, a random INTERNAL_API_TOKEN for this
    run unless one is set (never printed), SMTP pointed at the sink unless SMTP_HOST is set."""
    env = dict(base)
    for key, value in DEFAULTS.items():
        env.setdefault(key, value)
    if not env.get("INTERNAL_API_TOKEN"):
        env["INTERNAL_API_TOKEN"] = secrets.token_urlsafe(32)
    if not env.get("AUTH_KEY_HMAC_SECRETS"):
        # Not per run: certificates in the local database must still open next time.
        env["AUTH_KEY_HMAC_SECRETS"] = local_auth_key_secrets()
        env["AUTH_KEY_HMAC_KEY_ID"] = "local"
    env.setdefault("ISSUANCE_INTERNAL_URL", f"http://127.0.0.1:{env['ISSUANCE_HTTP_PORT']}")
    env.setdefault("PORTAL_URL", f"http://127.0.0.1:{env['APPLICATION_HTTP_PORT']}/portal/")
    if not base.get("SMTP_HOST"):
        env["SMTP_HOST"] = "127.0.0.1"
        env["SMTP_PORT"] = str(mail_port)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def local_auth_key_secrets(path: Path = ROOT / "var" / "auth-key-hmac-secrets.json") -> str:
    """This checkout's 認証キー hash secret (var/, not in git), made on first use; never printed."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(json.dumps({"local": secrets.token_urlsafe(32)}))
    return path.read_text()


def shutdown_timeout(env: Mapping[str, str]) -> float:
    """The children's SHUTDOWN_TIMEOUT_SECONDS, as they read it (shared.settings.CommonSettings)."""
    value = env.get("SHUTDOWN_TIMEOUT_SECONDS")
    settings = CommonSettings(shutdown_timeout_seconds=value) if value else CommonSettings()
    return settings.shutdown_timeout_seconds


def uses_mail_sink(base: Mapping[str, str]) -> bool:
    return not base.get("SMTP_HOST")


def default_specs(env: Mapping[str, str]) -> list[ServiceSpec]:
    specs = []
    for name in SERVICES:
        port_env = HTTP_EDGES.get(name)
        url = f"http://127.0.0.1:{env[port_env]}/readyz" if port_env else None  # shared.health
        specs.append(
            ServiceSpec(
                name,
                [sys.executable, "-m", f"services.{name}"],
                ready_url=url,
                ready_line=None if url else STARTED_LINE,
                port_env=port_env,
            )
        )
    return specs


async def check_infrastructure(env: Mapping[str, str]) -> None:
    """Raises InfrastructureMissing whose message names what is missing (RabbitMQ/AMQP_URL, PostgreSQL/DATABASE_URL)."""
    await require_infrastructure(CommonSettings(database_url=env["DATABASE_URL"], amqp_url=env["AMQP_URL"]))


def busy_ports(specs: list[ServiceSpec], env: Mapping[str, str]) -> list[str]:
    """Ports of the HTTP edges something already listens on (we would poll someone else's server)."""
    problems = []
    for spec in specs:
        if spec.ready_url is None:
            continue
        parts = urlsplit(spec.ready_url)
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex((parts.hostname, parts.port)) == 0:
                hint = f" ({spec.port_env})" if spec.port_env else ""
                problems.append(f"port {parts.port}{hint} for {spec.name} is already in use: is the system already running?")
    return problems


@dataclass
class RunningSystem:
    """Handles on what start_system started; `stop()` ends all of it."""

    children: dict[str, asyncio.subprocess.Process]
    mail_sink: MailSink | None
    env: dict[str, str]
    specs: list[ServiceSpec]
    _forwarders: list[asyncio.Task] = field(default_factory=list)
    _seen_lines: dict[str, set[str]] = field(default_factory=dict)

    async def wait_for_exit(self) -> tuple[str, int]:
        """Returns (name, return code) of the first child that exits."""
        waits = {asyncio.ensure_future(proc.wait()): name for name, proc in self.children.items()}
        done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        first = next(iter(done))
        return waits[first], first.result()

    def exited(self) -> tuple[str, int] | None:
        for name, proc in self.children.items():
            if proc.returncode is not None:
                return name, proc.returncode
        return None

    async def stop(self, timeout: float | None = None) -> None:
        """SIGTERM every child (each finishes its messages and requests, flushes its outbox and closes within
        SHUTDOWN_TIMEOUT_SECONDS), SIGKILL what is left after `timeout` (by default that timeout + 10 s)."""
        if timeout is None:
            timeout = shutdown_timeout(self.env) + 10.0
        for proc in self.children.values():
            if proc.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGTERM)
        for proc in self.children.values():
            try:
                await asyncio.wait_for(proc.wait(), timeout)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)  # the child and any PDF workers it forked
                await proc.wait()
        for task in self._forwarders:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 2)
        if self.mail_sink is not None:
            self.mail_sink.stop()


async def _forward(name: str, stream: asyncio.StreamReader, out: TextIO, seen: set[str], markers: set[str]) -> None:
    width = max(len(s) for s in SERVICES)
    while line := await stream.readline():
        text = line.decode("utf-8", errors="replace").rstrip("\n")
        for marker in markers:
            if marker in text:
                seen.add(marker)
        out.write(f"{name:<{width}} | {text}\n")
        out.flush()


async def _wait_ready(system: RunningSystem, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    pending = list(system.specs)
    async with httpx.AsyncClient(timeout=2.0) as client:
        while pending:
            if dead := system.exited():
                raise ChildExited(*dead)
            still = []
            for spec in pending:
                ready = True
                if spec.ready_line and spec.ready_line not in system._seen_lines[spec.name]:
                    ready = False
                if ready and spec.ready_url:
                    try:
                        ready = (await client.get(spec.ready_url)).status_code == 200
                    except httpx.HTTPError:
                        ready = False
                if not ready:
                    still.append(spec)
            pending = still
            if pending:
                if asyncio.get_running_loop().time() > deadline:
                    names = ", ".join(s.name for s in pending)
                    raise TimeoutError(f"not ready within {timeout:.0f}s: {names}")
                await asyncio.sleep(0.2)


async def start_system(
    env: Mapping[str, str],
    *,
    specs: list[ServiceSpec] | None = None,
    mail_dir: Path | None = Path("var/mail"),
    mail_port: int = 2525,
    run_migrations: bool = True,
    ready_timeout: float = 90.0,
    out: TextIO = sys.stdout,
) -> RunningSystem:
    """Start the mail sink (if mail_dir), migrations, the children; return once every child is ready.

    `env` is the children's full environment (see build_env). On any failure (a child exits, a
    timeout, cancellation) everything started so far is stopped before the exception propagates.
    """
    env = dict(env)
    specs = specs if specs is not None else default_specs(env)
    sink = MailSink(mail_dir, host="127.0.0.1", port=mail_port).start() if mail_dir is not None else None
    system = RunningSystem(children={}, mail_sink=sink, env=env, specs=specs)
    try:
        if run_migrations:
            await migrate_all(env["DATABASE_URL"])
        for spec in specs:
            proc = await asyncio.create_subprocess_exec(
                *spec.argv,
                cwd=ROOT,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches only us; we stop the children in order
            )
            system.children[spec.name] = proc
            seen = system._seen_lines.setdefault(spec.name, set())
            markers = {spec.ready_line} if spec.ready_line else set()
            system._forwarders.append(asyncio.create_task(_forward(spec.name, proc.stdout, out, seen, markers)))
        await _wait_ready(system, ready_timeout)
    except BaseException:
        await system.stop(timeout=5.0)
        raise
    return system


def banner(system: RunningSystem) -> str:
    env = system.env
    lines = [
        "",
        "電子保証 system is running:",
        f"  Net Desk web portal (contractors, in the browser): {env['PORTAL_URL']}",
        f"  contractor API (Net Desk):   http://127.0.0.1:{env['APPLICATION_HTTP_PORT']}/docs",
        f"  orderer API (platform):      http://127.0.0.1:{env['PLATFORM_HTTP_PORT']}/docs",
        f"  issuance internal API:       http://127.0.0.1:{env['ISSUANCE_HTTP_PORT']}/docs "
        "(bearer INTERNAL_API_TOKEN: random for this run unless set)",
    ]
    if system.mail_sink is not None:
        lines.append(
            f"  emails: SMTP sink on 127.0.0.1:{system.mail_sink.port}, saved as .eml files in "
            f"{system.mail_sink.directory.resolve()}/"
        )
    else:
        lines.append(f"  emails: sent through {env['SMTP_HOST']}:{env.get('SMTP_PORT', '25')} (SMTP_HOST)")
    lines.append("Ctrl-C stops everything.")
    return "\n".join(lines) + "\n"


async def run(args: argparse.Namespace, base_env: Mapping[str, str]) -> int:
    env = build_env(base_env, mail_port=args.mail_port)
    try:
        await check_infrastructure(env)
    except InfrastructureMissing as exc:
        print(exc.code, file=sys.stderr)
        return 2
    specs = default_specs(env)
    if problems := busy_ports(specs, env):
        print("\n".join(problems), file=sys.stderr)
        return 2

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    mail_dir = args.mail_dir if uses_mail_sink(base_env) else None
    starting = asyncio.create_task(
        start_system(env, specs=specs, mail_dir=mail_dir, mail_port=args.mail_port, ready_timeout=args.ready_timeout)
    )
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if not starting.done():  # Ctrl-C while starting: start_system cleans up on cancellation
        starting.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await starting
        print("stopped before the system was ready", file=sys.stderr)
        return 130
    try:
        system = starting.result()
    except ChildExited as exc:
        print(f"{exc}: see its output above; everything was stopped", file=sys.stderr)
        return exc.returncode if exc.returncode > 0 else 1
    except Exception as exc:  # noqa: BLE001 - timeout, sink port taken, migration failure
        print(f"could not start the system: {exc}", file=sys.stderr)
        return 1
    finally:
        stopping.cancel()
    print(banner(system), flush=True)

    exited = asyncio.create_task(system.wait_for_exit())
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait({exited, stopping}, return_when=asyncio.FIRST_COMPLETED)
    if exited.done():
        name, code = exited.result()
        print(f"{name} exited with code {code}; stopping everything", file=sys.stderr)
        await system.stop()
        return code if code > 0 else 1
    exited.cancel()
    stopping.cancel()
    print("stopping…", flush=True)
    await system.stop()
    print("all services stopped", flush=True)
    return 0


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.local", description="Run the whole system locally.")
    parser.add_argument("--mail-dir", type=Path, default=Path(os.environ.get("MAIL_SINK_DIR", "var/mail")))
    parser.add_argument("--mail-port", type=int, default=int(os.environ.get("MAIL_SINK_PORT", "2525")))
    parser.add_argument("--ready-timeout", type=float, default=90.0)
    args = parser.parse_args(argv)
    return asyncio.run(run(args, os.environ if environ is None else environ))


if __name__ == "__main__":
    raise SystemExit(main())
