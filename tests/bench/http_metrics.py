"""Benchmark: the cost of the request-metrics middleware (shared/metrics/http.py) on a cheap route.

    python -m tests.bench.http_metrics [--requests 2000] [--rounds 5]

The same FastAPI app (one GET route with a path parameter, as the services have) with and without the
middleware, driven in-process through httpx's ASGI transport (no sockets, so the middleware's share is
not hidden by network noise), and over real HTTP with uvicorn on 127.0.0.1. Rounds alternate; prints the
median per-request time of each as JSON lines.
"""

import argparse
import asyncio
import json
import statistics
import time

import httpx
from fastapi import FastAPI

from shared.metrics.http import HttpMetricsMiddleware
from shared.metrics.registry import ServiceMetrics
from tests.integration.service_thread import serve_http


def make_app(with_metrics: bool) -> FastAPI:
    app = FastAPI()

    @app.get("/items/{item_id}")
    async def item(item_id: str) -> dict:
        return {"id": item_id}

    if with_metrics:
        app.add_middleware(HttpMetricsMiddleware, metrics=ServiceMetrics("bench"))
    return app


async def per_request_us(client: httpx.AsyncClient, requests: int) -> float:
    started = time.perf_counter()
    for i in range(requests):
        response = await client.get(f"/items/{i}")
        assert response.status_code == 200
    return (time.perf_counter() - started) / requests * 1e6


async def isolated_us(calls: int) -> float:
    """The middleware alone around an ASGI app that answers at once: its own cost per request."""

    async def answer(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def nothing(message):
        return None

    route = type("Route", (), {"path": "/items/{item_id}"})()

    async def routed(scope, receive, send):
        scope["route"] = route
        await answer(scope, receive, send)

    results = {}
    for name, app in (("bare", routed), ("middleware", HttpMetricsMiddleware(routed, ServiceMetrics("bench")))):
        started = time.perf_counter()
        for _ in range(calls):
            await app({"type": "http", "method": "GET", "path": "/items/1", "root_path": ""}, None, nothing)
        results[name] = (time.perf_counter() - started) / calls * 1e6
    return results["middleware"] - results["bare"]


async def main(requests: int, rounds: int) -> None:
    print(json.dumps({"transport": "none (middleware alone)", "calls": 20000,
                      "overhead_us": round(statistics.median([await isolated_us(20000) for _ in range(rounds)]), 1)}))
    for transport in ("asgi", "uvicorn"):
        times: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(rounds):
            for with_metrics in (False, True):
                app = make_app(with_metrics)
                if transport == "asgi":
                    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://b") as c:
                        await per_request_us(c, 100)  # warm-up
                        times[with_metrics].append(await per_request_us(c, requests))
                else:
                    async with serve_http(app) as url, httpx.AsyncClient(base_url=url) as c:
                        await per_request_us(c, 100)
                        times[with_metrics].append(await per_request_us(c, requests))
        without, with_ = statistics.median(times[False]), statistics.median(times[True])
        print(json.dumps({
            "transport": transport, "requests": requests, "rounds": rounds,
            "without_us": round(without, 1), "with_us": round(with_, 1),
            "overhead_us": round(with_ - without, 1), "overhead_pct": round((with_ - without) / without * 100, 1),
        }))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.rounds))
