"""Benchmark: orderer lookups (POST /certificates/lookup, 保証契約番号 + 認証キー) under concurrency.

    TEST_DATABASE_URL=postgresql://… python -m tests.bench.lookup [--clients 16] [--users 8] [--seconds 10] [--slice 1]

The platform is built by its real bootstrap (migrations, pool of 10, broker) on the test database with a
bus namespace of its own, one organisation with `--users` users, one certificate per user (hashed as
issuance hashes it today). `--clients` clients, each bound to one user (round robin, so two clients per
user by default: one user's lookups do overlap), post lookups with the right key over real HTTP (uvicorn
on 127.0.0.1) for `--seconds`, in slices of `--slice` seconds alternating with the anchor's. The anchor, in the same run and process: a bare FastAPI app with its own
asyncpg pool of 10 whose POST route reads one certificate row by number. Prints JSON lines: req/s, p50,
p99 of both and the ratio; the machine is shared, so compare the ratio, not the absolute figures.
"""

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import time
import uuid

import asyncpg
import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from services.platform.bootstrap import build
from services.platform.handlers.accounts import create_organisation, create_user
from services.platform.handlers.certificates import record_arrival
from services.platform.settings import Settings
from shared.logging import configure_logging
from tests.conftest import TEST_AMQP_URL, delete_bus_namespace
from tests.integration.service_thread import serve_http
from tests.unit.platform.samples import certificate, issued_event

DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/esurety_test")
KEY = "Z28YUE4J3Bux"
PASSWORD = "bench-orderer-pass-1"


class Lookup(BaseModel):
    contract_number: str
    auth_key: str


def bare_app(pool: asyncpg.Pool) -> FastAPI:
    """The anchor: JSON body in, one indexed row out of the same table, JSON out."""
    app = FastAPI()

    @app.post("/certificates/lookup")
    async def lookup(body: Lookup) -> dict:
        row = await pool.fetchrow(
            "SELECT contract_number, version, obligee_code FROM certificate_versions"
            " WHERE contract_number = $1 ORDER BY version DESC LIMIT 1",
            body.contract_number,
        )
        return dict(row)

    return app


class Run:
    """Latencies and non-200 answers of one endpoint, summed over the slices of a round."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.failures = 0
        self.elapsed = 0.0

    def figures(self) -> dict:
        ordered = sorted(self.latencies)
        return {
            "requests": len(ordered),
            "non_200": self.failures,
            "req_per_s": round(len(ordered) / self.elapsed, 1),
            "p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 2),
        }


async def drive(clients: list[tuple[httpx.AsyncClient, dict]], seconds: float, run: Run | None = None) -> Run:
    """Each client posts its lookup in a loop until the time is up; latencies of every request."""
    run = run or Run()
    deadline = time.perf_counter() + seconds

    async def client(http: httpx.AsyncClient, body: dict) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            response = await http.post("/certificates/lookup", json=body)
            run.latencies.append(time.perf_counter() - started)
            run.failures += response.status_code != 200

    started = time.perf_counter()
    await asyncio.gather(*(client(h, b) for h, b in clients))
    run.elapsed += time.perf_counter() - started
    return run


async def main(clients: int, users: int, seconds: float, rounds: int, slice_seconds: float) -> None:
    configure_logging("bench", "WARNING")
    settings = Settings(
        database_url=DATABASE_URL, amqp_url=TEST_AMQP_URL, bus_namespace=f"bench-{uuid.uuid4().hex[:8]}",
        pdf_processes=1, lookup_max_failures=5,
    )
    ctx = await build(settings)
    await ctx.start()
    anchor_pool = await asyncpg.create_pool(DATABASE_URL, min_size=1, max_size=10, server_settings={"search_path": "platform"})
    try:
        organisation = f"bench-{uuid.uuid4().hex[:6]}"
        await create_organisation(ctx.pool, organisation, "ベンチ市")
        sessions = []
        async with serve_http(ctx.http_app) as url, httpx.AsyncClient(base_url=url) as http:
            for i in range(users):
                login_id = f"bench-{uuid.uuid4().hex[:8]}"
                await create_user(ctx.pool, organisation, login_id, PASSWORD)
                token = (await http.post("/auth/login", json={"login_id": login_id, "password": PASSWORD})).json()
                number = f"35072-{uuid.uuid4().int % 90_000 + 10_000:05d}M"
                await record_arrival(ctx.pool, issued_event(certificate(number, obligee_code=organisation), KEY))
                sessions.append(({"Authorization": f"Bearer {token['access_token']}"}, {"contract_number": number, "auth_key": KEY}))
            load = [sessions[i % users] for i in range(clients)]
            async with serve_http(bare_app(anchor_pool)) as bare_url, contextlib.AsyncExitStack() as stack:
                # One keep-alive client per simulated client and endpoint, kept across the slices.
                def clients_of(base: str) -> list[tuple[httpx.AsyncClient, dict]]:
                    return [(httpx.AsyncClient(base_url=base, headers=h, timeout=30), b) for h, b in load]

                on_bare, on_platform = clients_of(bare_url), clients_of(url)
                for http_client, _ in on_bare + on_platform:
                    await stack.enter_async_context(http_client)
                await drive(on_bare, 1)  # warm-up
                await drive(on_platform, 1)
                for round_ in range(rounds):
                    # Alternate short slices of both, so that the shared machine's load, which drifts within
                    # seconds, weighs on both alike.
                    bare, platform = Run(), Run()
                    for _ in range(max(1, round(seconds / slice_seconds))):
                        await drive(on_bare, slice_seconds, bare)
                        await drive(on_platform, slice_seconds, platform)
                    bare, platform = bare.figures(), platform.figures()
                    print(json.dumps({
                        "round": round_ + 1, "clients": clients, "users": users, "seconds": seconds,
                        "slice_seconds": slice_seconds, "bare": bare, "platform": platform,
                        "ratio_req_per_s": round(platform["req_per_s"] / bare["req_per_s"], 3),
                    }), flush=True)
    finally:
        await anchor_pool.close()
        await ctx.stop()
        await delete_bus_namespace(settings)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--slice", type=float, default=1.0, help="seconds of one endpoint before the other's turn")
    args = parser.parse_args()
    asyncio.run(main(args.clients, args.users, args.seconds, args.rounds, args.slice))
