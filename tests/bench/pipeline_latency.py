"""Benchmark: submit → last completion email, unloaded and under a sustained rate, with the PDFs rendered
after the certificate commits (issue 12, docs/pdf-rendering.md); and how long the PDF backlog takes to drain.

    python -m tests.bench.pipeline_latency [--unloaded 10] [--rate 5] [--seconds 60]

The four services run in this process (tests/e2e/harness.py, as tests/bench/pipeline.py) on the real
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
from datetime import date

import asyncpg
import httpx

from deploy.demo import sample_form
from services.application.entrypoints import cli as application_cli
from shared.logging import configure_logging
from tests.bench.pipeline import DATABASE_URL, AMQP_URL, delete_bus, fresh_database, pdf_render, percentile
from tests.e2e.harness import System


async def backlog(conn: asyncpg.Connection) -> int:
    return await conn.fetchval("SELECT count(*) FROM issuance.pdf_jobs WHERE done_at IS NULL")


async def run(unloaded: int, rate: float, seconds: float) -> dict:
    namespace = f"bench-{uuid.uuid4().hex[:8]}"
    await fresh_database()
    system = await System(common={"database_url": DATABASE_URL, "amqp_url": AMQP_URL, "bus_namespace": namespace}).start()
    db = await asyncpg.connect(DATABASE_URL)
    try:
        await application_cli.create_company("ベンチ建設 株式会社", "東京都中央区", database_url=DATABASE_URL)
        await application_cli.create_user("ベンチ建設 株式会社", "bench", "bench-password", database_url=DATABASE_URL)
        async with httpx.AsyncClient(base_url=system.urls["application"], timeout=120) as client:
            token = (await client.post("/auth/login", json={"login_id": "bench", "password": "bench-password"})).json()
            client.headers["Authorization"] = f"Bearer {token['access_token']}"
            total = unloaded + int(rate * seconds)
            names: dict[str, str] = {}
            ids: list[str] = []
            for i in range(total):  # drafts first: only the submits are timed
                form = sample_form(date.today())
                form["contract"]["construction_name"] = f"河川維持（○○）工事 第{i:05d}号"
                draft = (await client.post("/applications", json=form)).json()
                assert (await client.post(f"/applications/{draft['id']}/confirm")).json()["ok"]
                ids.append(draft["id"])
                names[form["contract"]["construction_name"]] = draft["id"]
            submitted_at: dict[str, float] = {}

            async def submit(app_id: str) -> None:
                submitted_at[app_id] = time.perf_counter()
                (await client.post(f"/applications/{app_id}/submit")).raise_for_status()

            def last_mails() -> dict[str, float]:
                last: dict[str, float] = {}
                for mail in system.mails:
                    body = mail.message.get_body(preferencelist=("plain",)).get_content()
                    app_id = next(app for name, app in names.items() if name in body)
                    last[app_id] = max(last.get(app_id, 0.0), mail.received_at)
                return last

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
            last = last_mails()
            alone = [last[a] - submitted_at[a] for a in ids[:unloaded]]

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
        last = last_mails()
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
        print(json.dumps({"pipeline_latency": figures}, ensure_ascii=False), flush=True)  # before the shutdown
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
