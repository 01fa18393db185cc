"""The local runner: a clear message naming what is missing, and children started, watched and stopped."""

import asyncio
import io
import socket
import sys
import textwrap

import pytest

from deploy import local
from deploy.local import ChildExited, ServiceSpec, build_env, start_system
from services.issuance.settings import Settings as IssuanceSettings
from shared.runtime import InfrastructureMissing
from shared.settings import unsafe_settings
from tests.conftest import TEST_DATABASE_URL, free_port


def closed_url(scheme: str) -> str:
    return f"{scheme}://guest:guest@127.0.0.1:{free_port()}/"


async def test_infrastructure_check_names_both_missing_servers_and_their_variables():
    env = build_env({"AMQP_URL": closed_url("amqp"), "DATABASE_URL": closed_url("postgresql") + "esurety"})
    with pytest.raises(InfrastructureMissing) as caught:
        await local.check_infrastructure(env)
    message = str(caught.value.code)
    assert "RabbitMQ is not reachable" in message
    assert "(AMQP_URL)" in message
    assert "rabbitmq-server -detached" in message
    assert "PostgreSQL is not reachable" in message
    assert "(DATABASE_URL)" in message


def test_run_exits_2_and_names_rabbitmq_when_only_the_broker_is_missing(capsys):
    amqp = closed_url("amqp")
    code = local.main([], environ={"AMQP_URL": amqp, "DATABASE_URL": TEST_DATABASE_URL})
    err = capsys.readouterr().err
    assert code == 2
    assert f"RabbitMQ is not reachable at 127.0.0.1:{amqp.rsplit(':', 1)[1].strip('/')} (AMQP_URL)" in err
    assert "PostgreSQL" not in err


def test_environment_defaults_and_smtp_sink_unless_smtp_host_is_set():
    env = build_env({}, mail_port=2600)
    assert env["DATABASE_URL"] == "postgresql://postgres@127.0.0.1:5432/esurety"
    assert env["AMQP_URL"] == "amqp://guest:guest@127.0.0.1:5672/"
    assert (env["SMTP_HOST"], env["SMTP_PORT"]) == ("127.0.0.1", "2600")
    assert env["ISSUANCE_INTERNAL_URL"] == "http://127.0.0.1:8003"
    assert local.uses_mail_sink({}) is True

    real = build_env({"SMTP_HOST": "smtp.example.jp", "SMTP_PORT": "587", "ISSUANCE_HTTP_PORT": "9003"})
    assert (real["SMTP_HOST"], real["SMTP_PORT"]) == ("smtp.example.jp", "587")
    assert real["ISSUANCE_INTERNAL_URL"] == "http://127.0.0.1:9003"
    assert local.uses_mail_sink({"SMTP_HOST": "smtp.example.jp"}) is False


def test_the_children_get_a_random_internal_api_token_unless_one_is_set():
    env, again = build_env({}), build_env({})
    first, second = env["INTERNAL_API_TOKEN"], again["INTERNAL_API_TOKEN"]
    assert first != second and len(first) >= 32
    # The 認証キー hash secret is this checkout's (var/), the same every run: old certificates still open.
    assert env["AUTH_KEY_HMAC_SECRETS"] == again["AUTH_KEY_HMAC_SECRETS"]
    keys = {"auth_key_hmac_secrets": env["AUTH_KEY_HMAC_SECRETS"], "auth_key_hmac_key_id": env["AUTH_KEY_HMAC_KEY_ID"]}
    assert unsafe_settings(IssuanceSettings(internal_api_token=first, **keys)) == []
    assert build_env({"INTERNAL_API_TOKEN": ""})["INTERNAL_API_TOKEN"]  # empty counts as unset
    assert build_env({"INTERNAL_API_TOKEN": "x" * 40})["INTERNAL_API_TOKEN"] == "x" * 40
    running = local.RunningSystem(children={}, mail_sink=None, env=build_env({"INTERNAL_API_TOKEN": first}), specs=[])
    assert first not in local.banner(running)


def test_default_specs_wait_for_every_service_to_be_ready():
    specs = {s.name: s for s in local.default_specs(build_env({}))}
    assert specs["application"].ready_url == "http://127.0.0.1:8001/readyz"
    assert specs["platform"].ready_url == "http://127.0.0.1:8002/readyz"
    assert specs["issuance"].ready_url == "http://127.0.0.1:8003/readyz"
    assert specs["notifier"].ready_url == "http://127.0.0.1:8004/readyz"
    assert specs["notifier"].argv[1:] == ["-m", "services.notifier"]


FAKE_SERVICE = textwrap.dedent(
    """
    import http.server, signal, sys, threading, time
    port, die_after = int(sys.argv[1]), float(sys.argv[2])

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/openapi.json" else 404)
            self.end_headers()
            self.wfile.write(b"{}")
        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", port), Handler) if port else None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print('{"event": "service started"}', flush=True)
    if die_after >= 0:
        time.sleep(die_after)
        print("fatal: giving up", flush=True)
        sys.exit(3)
    stop.wait()
    print("stopped cleanly", flush=True)
    """
)


@pytest.fixture
def fake(tmp_path):
    script = tmp_path / "fake_service.py"
    script.write_text(FAKE_SERVICE)

    def spec(name: str, *, http: bool = True, die_after: float = -1) -> ServiceSpec:
        port = free_port() if http else 0
        return ServiceSpec(
            name,
            [sys.executable, str(script), str(port), str(die_after)],
            ready_url=f"http://127.0.0.1:{port}/openapi.json" if http else None,
            ready_line=None if http else "service started",
        )

    return spec


async def test_start_system_returns_handles_when_ready_and_stops_every_child(fake, tmp_path):
    out = io.StringIO()
    mail_port = free_port()
    specs = [fake("application"), fake("notifier", http=False)]
    system = await start_system(
        build_env({}, mail_port=mail_port), specs=specs, mail_dir=tmp_path / "mail",
        mail_port=mail_port, run_migrations=False, ready_timeout=20, out=out,
    )
    assert set(system.children) == {"application", "notifier"}
    assert all(proc.returncode is None for proc in system.children.values())
    assert system.mail_sink is not None and system.mail_sink.running
    assert "http://127.0.0.1:8001/docs" in local.banner(system)
    assert local.banner(system).index("http://127.0.0.1:8001/portal/") < local.banner(system).index("/docs")
    assert str((tmp_path / "mail").resolve()) in local.banner(system)

    await system.stop()
    assert [proc.returncode for proc in system.children.values()] == [0, 0]
    assert not system.mail_sink.running
    lines = out.getvalue().splitlines()
    assert "application | stopped cleanly" in lines
    assert "notifier    | stopped cleanly" in lines


async def test_a_child_dying_during_start_stops_the_others(fake, tmp_path):
    keeps_running = fake("platform")
    dies = fake("issuance", http=False, die_after=0)
    # Never ready (nobody serves this URL), so start_system is still waiting when issuance dies.
    waits = ServiceSpec("notifier", keeps_running.argv[:2] + ["0", "-1"], ready_url=f"http://127.0.0.1:{free_port()}/x")
    with pytest.raises(ChildExited) as caught:
        await start_system(
            build_env({}), specs=[keeps_running, dies, waits], mail_dir=None,
            run_migrations=False, ready_timeout=20, out=io.StringIO(),
        )
    assert (caught.value.name, caught.value.returncode) == ("issuance", 3)
    with socket.socket() as s:  # platform's HTTP edge is gone: it was stopped, not left behind
        assert s.connect_ex(("127.0.0.1", int(keeps_running.ready_url.split(":")[2].split("/")[0]))) != 0


async def test_wait_for_exit_reports_the_child_that_died_after_start(fake):
    specs = [fake("application"), fake("notifier", http=False, die_after=0.5)]
    out = io.StringIO()
    system = await start_system(build_env({}), specs=specs, mail_dir=None, run_migrations=False, ready_timeout=20, out=out)
    try:
        name, code = await asyncio.wait_for(system.wait_for_exit(), 10)
    finally:
        await system.stop()
    assert (name, code) == ("notifier", 3)
    assert "notifier    | fatal: giving up" in out.getvalue().splitlines()
    assert system.children["application"].returncode == 0


def test_children_are_killed_only_after_their_own_shutdown_timeout():
    assert local.shutdown_timeout({}) == 20.0
    assert local.shutdown_timeout({"SHUTDOWN_TIMEOUT_SECONDS": "5"}) == 5.0
    with pytest.raises(ValueError):
        local.shutdown_timeout({"SHUTDOWN_TIMEOUT_SECONDS": "0"})
