"""Benchmark: what tracing costs, off (no OTEL_EXPORTER_OTLP_ENDPOINT) and on.

    python -m tests.bench.tracing_overhead [--requests 2000]

Anchor in the same run: a bare FastAPI endpoint doing one asyncpg query (SELECT 1), called in-process
(httpx ASGITransport), against the same endpoint with tracing on (FastAPI + asyncpg instrumentation, every
span sampled and handed to a batch processor whose exporter drops it). Off, the services install no
instrumentation at all; what remains per request / message / log line is timed one by one. Prints JSON lines.
"""

import argparse
import asyncio
import json
import os
import statistics
import time

import asyncpg
import httpx
from fastapi import FastAPI

from shared import tracing
from shared.logging import add_trace_ids
from shared.settings import CommonSettings
from tests.samples import sample_submitted

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _app(pool: asyncpg.Pool) -> FastAPI:
    app = FastAPI()

    @app.get("/one")
    async def one():
        async with pool.acquire() as conn:
            return {"one": await conn.fetchval("SELECT 1")}

    return app


async def _rate(app: FastAPI, requests: int) -> float:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        for _ in range(50):
            await client.get("/one")
        started = time.perf_counter()
        for _ in range(requests):
            (await client.get("/one")).raise_for_status()
        return requests / (time.perf_counter() - started)


def _per_call_ns(fn, n: int = 200_000) -> float:
    started = time.perf_counter_ns()
    for _ in range(n):
        fn()
    return (time.perf_counter_ns() - started) / n


def off_path() -> dict[str, float]:
    event = sample_submitted()
    body = event.model_dump_json().encode()

    def continued():
        with tracing.continued(event):
            pass

    def publishing():
        with tracing.publishing(body):
            pass

    return {
        "log_line_trace_ids_ns": _per_call_ns(lambda: add_trace_ids(None, "info", {"event": "x"})),
        "enqueue_trace_fields_ns": _per_call_ns(tracing.current_trace_fields),
        "consumer_continued_ns": _per_call_ns(continued),
        "relay_publishing_ns": _per_call_ns(publishing),
    }


async def main(requests: int) -> None:
    pool = await asyncpg.create_pool(DATABASE_URL, min_size=1, max_size=2)
    try:
        bare = [await _rate(_app(pool), requests) for _ in range(3)]
        print(json.dumps({"what": "tracing off, per call (no provider)", **off_path()}))
        # On: a provider with every span sampled, exported to nowhere (the cost of making spans, not of a network).
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

        class Drop(SpanExporter):
            def export(self, spans):
                return SpanExportResult.SUCCESS

        tracing.extra_span_processors.append(BatchSpanProcessor(Drop()))
        provider = tracing.tracer_provider_for("bench", CommonSettings())
        traced_app = _app(pool)
        tracing.instrument_http(traced_app, provider)
        traced = [await _rate(traced_app, requests) for _ in range(3)]
        provider.shutdown()
        tracing.reset()
        b, t = statistics.median(bare), statistics.median(traced)
        print(json.dumps({
            "what": "FastAPI + asyncpg SELECT 1, in-process, requests/s (median of 3)",
            "bare_off": round(b), "traced_on": round(t), "on_over_off": round(t / b, 3),
            "on_cost_per_request_us": round((1 / t - 1 / b) * 1e6, 1),
        }))
    finally:
        await pool.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    asyncio.run(main(parser.parse_args().requests))
