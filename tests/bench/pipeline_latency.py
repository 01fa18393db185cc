"""Benchmark: submit → last completion email, unloaded and under a sustained rate, with the PDFs rendered
after the certificate commits (issue 12, docs/pdf-rendering.md); and how long the PDF backlog takes to drain.

    python -m tests.bench.pipeline_latency [--unloaded 10] [--rate 5] [--seconds 60]

The four services run in this process (tests/e2e/harness.py, as tests/bench/pipeline.py), or as their own
processes with CPU and RSS by process (`run(processes=True)`: tests/bench/pipeline_processes.py), on the real
RabbitMQ and PostgreSQL (database esurety_bench, recreated) and an aiosmtpd server stamping each email.
Each application is 前払金保証 + 契約保証: 2 certificates, 4 PDFs, 2 emails. The anchor, measured in the
same run: one bare certificate render through the same process pool. Prints JSON lines.
"""

import argparse
import asyncio
import json
import statistics
import time
import uuid
from pathlib import Path

import asyncpg

from shared.logging import configure_logging
from tests.bench.pipeline import (
    AMQP_URL, DATABASE_URL, confirmed_drafts, contractor_client, delete_bus, fresh_database, last_mail_times, pdf_render,
    percentile,
)
from tests.e2e.harness import System


async def backlog(conn: asyncpg.Connection) -> int:
    return await conn.fetchval("SELECT count(*) FROM issuance.pdf_jobs WHERE done_at IS NULL")


async def run(unloaded: int, rate: float, seconds: float, *, processes: bool = False, log_path: Path | None = None) -> dict:
    """With `processes`, the services run as their own processes (tests/bench/pipeline_processes.py) and the
    figures add CPU per application by process and every process's RSS."""
    namespace = f"bench-{uuid.uuid4().hex[:8]}"
    await fresh_database()
    if processes:
        from tests.bench.pipeline_processes import ProcessSystem

        system = await ProcessSystem.start(namespace, log_path)
    else:
        system = await System(common={"database_url": DATABASE_URL, "amqp_url": AMQP_URL, "bus_namespace": namespace}).start()
    db = await asyncpg.connect(DATABASE_URL)
    try:
        async with contractor_client(system.urls["application"]) as client:
            total = unloaded + int(rate * seconds)
            ids, names = await confirmed_drafts(client, total)
            submitted_at: dict[str, float] = {}

            async def submit(app_id: str) -> None:
                submitted_at[app_id] = time.perf_counter()
                (await client.post(f"/applications/{app_id}/submit")).raise_for_status()

            async def wait_mails(count: int, timeout: float = 900) -> None:
                deadline = time.perf_counter() + timeout
                while len(system.mails) < count:
                    if time.perf_counter() > deadline:
                        raise SystemExit(f"only {len(system.mails)} of {count} emails within {timeout} s")
                    await asyncio.sleep(0.02)

            # Unloaded: one application at a time, after the previous one's emails and PDFs.
            for n, app_id in enumerate(ids[:unloaded], start=1):
                await submit(app_id)
                await wait_mails(2 * n)
                while await backlog(db):
                    await asyncio.sleep(0.05)
            last = last_mail_times(system.mails, names)
            alone = [last[a] - submitted_at[a] for a in ids[:unloaded]]
            processes_before = system.snapshot() if processes else None

            # Sustained: `rate` submits per second for `seconds`.
            loaded_ids = ids[unloaded:]
            start = time.perf_counter()
            tasks = []
            for k, app_id in enumerate(loaded_ids):
                await asyncio.sleep(max(0.0, start + k / rate - time.perf_counter()))
                tasks.append(asyncio.create_task(submit(app_id)))
            await asyncio.gather(*tasks)
            submits_done = time.perf_counter()
            backlog_at_end = await backlog(db)
            await wait_mails(2 * total)
            mails_done = time.perf_counter()
            while await backlog(db):
                await asyncio.sleep(0.1)
            drained = time.perf_counter()
            processes_after = system.snapshot() if processes else None
        last = last_mail_times(system.mails, names)
        loaded = [last[a] - submitted_at[a] for a in loaded_ids]
        figures = {
            "unloaded": {"applications": unloaded, "p50_s": round(statistics.median(alone), 3), "max_s": round(max(alone), 3)},
            "sustained": {
                "rate_per_s": rate,
                "seconds": seconds,
                "applications": len(loaded_ids),
                "submit_span_s": round(submits_done - start, 1),
                "p50_s": round(statistics.median(loaded), 3),
                "p99_s": round(percentile(loaded, 0.99), 3),
                "max_s": round(max(loaded), 3),
                "last_email_after_last_submit_s": round(mails_done - submits_done, 1),
                "pdf_backlog_at_last_submit": backlog_at_end,
                "pdf_backlog_drained_after_last_submit_s": round(drained - submits_done, 1),
            },
        }
        if processes:
            from tests.bench.pipeline_processes import process_figures

            figures.update(process_figures(processes_before, processes_after, len(loaded_ids), drained - start))
        print(json.dumps({"pipeline_processes" if processes else "pipeline_latency": figures}, ensure_ascii=False), flush=True)
        return figures
    finally:
        await db.close()
        await system.stop()
        await delete_bus(namespace)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--unloaded", type=int, default=10)
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    configure_logging("bench", "WARNING")
    print(json.dumps({"anchor_pdf": await pdf_render()}, ensure_ascii=False), flush=True)
    await run(args.unloaded, args.rate, args.seconds)


if __name__ == "__main__":
    asyncio.run(main())
