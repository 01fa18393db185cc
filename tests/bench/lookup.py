"""Benchmark: orderer lookups (POST /certificates/lookup, 保証契約番号 + 認証キー) under concurrency.

    python -m tests.bench.lookup [--clients 16] [--users 8] [--seconds 10] [--rounds 3] [--slice 2]

Three processes besides this one, as in production: the platform service as `make run` starts it
(deploy/local.py: `python -m services.platform`, its own migrations, pool, broker), the anchor in a
process of its own (tests/bench/lookup_bare.py: a bare FastAPI app with an asyncpg pool of 10 whose POST
route reads one certificate row by number, served by the same uvicorn configuration), and the load: wrk
(Debian's package `wrk`) with `--clients` keep-alive connections, each request the next of `--users`
users in turn (so each user has about clients ÷ users lookups in flight: one user's lookups do overlap),
each with that user's bearer token and certificate and the right key. Database esurety_bench
(recreated), one organisation, one certificate per user, hashed with the benchmark's own
AUTH_KEY_HMAC_SECRETS that the platform is given too.

Each round runs `--seconds` of each endpoint in slices of `--slice` seconds, bare and platform in turn, so
that a drift in the machine's load weighs on both alike; the figures of a round are the medians over its
slices (wrk reports percentiles per run). Prints JSON lines.
"""

import argparse
import asyncio
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import httpx
import psutil

from deploy.local import ServiceSpec, build_env, default_specs, start_system
from services.platform.handlers.accounts import create_organisation, create_user
from services.platform.handlers.certificates import record_arrival
from shared.db.pool import create_pool
from tests.bench.pipeline import AMQP_URL, DATABASE_URL, delete_bus, fresh_database
from tests.bench.pipeline_processes import POSTGRESQL, cpu_seconds, server_processes
from tests.e2e.harness import free_port
from tests.unit.platform.samples import certificate, issued_event

KEY = "Z28YUE4J3Bux"
PASSWORD = "bench-orderer-pass-1"

# wrk's script: the requests prepared once, sent in turn; the figures as one JSON line at the end.
WRK_SCRIPT = """
local requests = {}
local next_request = 0
%(requests)s
function request()
  next_request = next_request %% #requests + 1
  return requests[next_request]
end
function done(summary, latency, _)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%.3f, "non_2xx": %%d, "socket_errors": %%d, "p50_ms": %%.2f, "p90_ms": %%.2f, "p99_ms": %%.2f, "max_ms": %%.2f}\\n',
    summary.requests, summary.duration / 1e6, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


def wrk_script(sessions: list[tuple[str, dict]]) -> str:
    lines = []
    for token, body in sessions:
        # Host by hand: the script's top level runs before wrk knows the URL's host.
        headers = f'{{["Host"] = "127.0.0.1", ["Authorization"] = "Bearer {token}", ["Content-Type"] = "application/json"}}'
        lines.append(
            f'requests[#requests + 1] = wrk.format("POST", "/certificates/lookup", {headers}, {json.dumps(json.dumps(body))})'
        )
    return WRK_SCRIPT % {"requests": "\n".join(lines)}


async def run_wrk(url: str, script: Path, clients: int, seconds: float) -> dict:
    proc = await asyncio.create_subprocess_exec(
        "wrk", "-t1", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "30s", "-s", str(script), url,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    out, err = await proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"wrk failed: {err.decode()}")
    figures = json.loads(out.decode().strip().splitlines()[-1])
    figures["req_per_s"] = figures["requests"] / figures["seconds"]
    return figures


async def measured_slice(url: str, script: Path, clients: int, seconds: float, server: psutil.Process) -> dict:
    """One wrk run, with the CPU its server process and PostgreSQL spent per request meanwhile."""
    groups = {"server": [(server, "all")], "postgresql": [(p, "all") for p in server_processes(POSTGRESQL)]}
    before = cpu_seconds(groups)
    figures = await run_wrk(url, script, clients, seconds)
    after = cpu_seconds(groups)
    for name in groups:
        figures[f"{name}_cpu_ms_per_request"] = (after[name] - before[name]) * 1000 / figures["requests"]
    return figures


def summary(slices: list[dict]) -> dict:
    return {
        "server_cpu_ms_per_request": round(statistics.median(s["server_cpu_ms_per_request"] for s in slices), 3),
        "postgresql_cpu_ms_per_request": round(statistics.median(s["postgresql_cpu_ms_per_request"] for s in slices), 3),
        "requests": sum(s["requests"] for s in slices),
        "non_2xx": sum(s["non_2xx"] for s in slices),
        "socket_errors": sum(s["socket_errors"] for s in slices),
        "req_per_s": round(statistics.median(s["req_per_s"] for s in slices), 1),
        "p50_ms": round(statistics.median(s["p50_ms"] for s in slices), 2),
        "p99_ms": round(statistics.median(s["p99_ms"] for s in slices), 2),
        "p99_ms_range": [min(s["p99_ms"] for s in slices), max(s["p99_ms"] for s in slices)],
    }


async def main(clients: int, users: int, seconds: float, rounds: int, slice_seconds: float) -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    key_secrets = json.dumps({"bench": secrets.token_urlsafe(32)})
    os.environ.update(AUTH_KEY_HMAC_SECRETS=key_secrets, AUTH_KEY_HMAC_KEY_ID="bench")  # this process hashes the keys
    await fresh_database()
    namespace = f"bench-{uuid.uuid4().hex[:8]}"
    base = dict(os.environ)
    base.update(
        DATABASE_URL=DATABASE_URL, AMQP_URL=AMQP_URL, BUS_NAMESPACE=namespace, LOG_LEVEL="WARNING",
        PLATFORM_HTTP_PORT=str(free_port()), LOOKUP_MAX_FAILURES="5",
    )
    env = build_env(base)
    bare_port = free_port()
    specs = [spec for spec in default_specs(env) if spec.name == "platform"] + [
        ServiceSpec(
            "bare", [sys.executable, "-m", "tests.bench.lookup_bare", str(bare_port)],
            ready_url=f"http://127.0.0.1:{bare_port}/readyz",
        )
    ]
    platform_url = f"http://127.0.0.1:{env['PLATFORM_HTTP_PORT']}"
    bare_url = f"http://127.0.0.1:{bare_port}"
    with open("/tmp/bench-lookup-services.log", "w", encoding="utf-8") as log, tempfile.TemporaryDirectory() as tmp:
        system = await start_system(env, specs=specs, mail_dir=None, out=log)
        pool = await create_pool(DATABASE_URL, "platform", max_size=2)
        try:
            organisation = f"bench-{uuid.uuid4().hex[:6]}"
            await create_organisation(pool, organisation, "ベンチ市")
            sessions = []
            async with httpx.AsyncClient(base_url=platform_url) as http:
                for i in range(users):
                    login_id = f"bench-{uuid.uuid4().hex[:8]}"
                    await create_user(pool, organisation, login_id, PASSWORD)
                    token = (await http.post("/auth/login", json={"login_id": login_id, "password": PASSWORD})).json()
                    number = f"35072-{10_000 + i:05d}M"
                    await record_arrival(pool, issued_event(certificate(number, obligee_code=organisation), KEY))
                    sessions.append((token["access_token"], {"contract_number": number, "auth_key": KEY}))
                check = await http.post(
                    "/certificates/lookup", json=sessions[0][1], headers={"Authorization": f"Bearer {sessions[0][0]}"}
                )
                check.raise_for_status()  # the right key opens the certificate
            script = Path(tmp) / "lookup.lua"
            script.write_text(wrk_script(sessions))
            bare_process = psutil.Process(system.children["bare"].pid)
            platform_process = psutil.Process(system.children["platform"].pid)
            await run_wrk(bare_url, script, clients, 2)  # warm-up
            await run_wrk(platform_url, script, clients, 2)
            for round_ in range(rounds):
                bare, platform = [], []
                for _ in range(max(1, round(seconds / slice_seconds))):
                    bare.append(await measured_slice(bare_url, script, clients, slice_seconds, bare_process))
                    platform.append(await measured_slice(platform_url, script, clients, slice_seconds, platform_process))
                bare_figures, platform_figures = summary(bare), summary(platform)
                print(json.dumps({
                    "round": round_ + 1, "clients": clients, "users": users, "seconds": seconds,
                    "slice_seconds": slice_seconds, "load_average_1m": round(os.getloadavg()[0], 2),
                    "bare": bare_figures, "platform": platform_figures,
                    "ratio_req_per_s": round(platform_figures["req_per_s"] / bare_figures["req_per_s"], 3),
                }), flush=True)
        finally:
            await pool.close()
            await system.stop()
            await delete_bus(namespace)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--slice", type=float, default=2.0, help="seconds of one endpoint before the other's turn")
    args = parser.parse_args()
    asyncio.run(main(args.clients, args.users, args.seconds, args.rounds, args.slice))
