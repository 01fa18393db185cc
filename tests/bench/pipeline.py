"""Benchmark: a burst of applications through the whole pipeline, submit → completion email.

    python -m tests.bench.pipeline [--applications 200]

Runs the four services in this process (tests/e2e/harness.py) against the real RabbitMQ and
PostgreSQL (database esurety_bench, recreated) and an aiosmtpd server that stamps each email's
arrival. Each application carries 前払金保証 + 契約保証, so it yields 2 certificates, 4 PDFs and 2
emails; its latency is submit → its last email. Prints the figures as JSON lines.
"""

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import time
import uuid
from collections.abc import AsyncIterator
from datetime import date

import aio_pika
import asyncpg
import httpx

from deploy.demo import sample_form
from services.application.entrypoints import cli as application_cli
from shared.bus.topology import CONSUMERS
from shared.logging import configure_logging
from shared.settings import CommonSettings
from tests.e2e.harness import System

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/esurety_bench")
AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")


async def fresh_database() -> None:
    base, _, name = DATABASE_URL.rpartition("/")
    admin = await asyncpg.connect(f"{base}/postgres")
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    conn = await asyncpg.connect(DATABASE_URL)
    try:
        for schema in ("application", "issuance", "platform", "notifier"):
            await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await conn.close()


async def delete_bus(namespace: str) -> None:
    settings = CommonSettings(bus_namespace=namespace)
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        for consumer in CONSUMERS:
            name = consumer.queue_name(settings)
            await channel.queue_delete(name)
            await channel.queue_delete(f"{name}.dlq")
        await channel.exchange_delete(f"{namespace}.events")
        await channel.exchange_delete(f"{namespace}.dlx")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@contextlib.asynccontextmanager
async def contractor_client(base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A logged-in contractor API client of a new company."""
    await application_cli.create_company("ベンチ建設 株式会社", "東京都中央区", database_url=DATABASE_URL)
    await application_cli.create_user("ベンチ建設 株式会社", "bench", "bench-password", database_url=DATABASE_URL)
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
        token = (await client.post("/auth/login", json={"login_id": "bench", "password": "bench-password"})).json()
        client.headers["Authorization"] = f"Bearer {token['access_token']}"
        yield client


async def confirmed_drafts(client: httpx.AsyncClient, n: int) -> tuple[list[str], dict[str, str]]:
    """n drafts of 前払金保証 + 契約保証, each confirmed (only the submits are timed): their ids, and the id by
    工事名 (each one's own, so that an email tells its application)."""
    ids, names = [], {}
    for i in range(n):
        form = sample_form(date.today())
        form["contract"]["construction_name"] = f"河川維持（○○）工事 第{i:05d}号"
        draft = (await client.post("/applications", json=form)).json()
        assert (await client.post(f"/applications/{draft['id']}/confirm")).json()["ok"]
        ids.append(draft["id"])
        names[form["contract"]["construction_name"]] = draft["id"]
    return ids, names


def last_mail_times(mails: list, names: dict[str, str]) -> dict[str, float]:
    """Each application's last email's arrival (perf_counter), told by the 工事名 in its body."""
    last: dict[str, float] = {}
    for mail in mails:
        body = mail.message.get_body(preferencelist=("plain",)).get_content()
        app_id = next(app for name, app in names.items() if name in body)
        last[app_id] = max(last.get(app_id, 0.0), mail.received_at)
    return last


async def pipeline(n: int) -> dict:
    namespace = f"bench-{uuid.uuid4().hex[:8]}"
    await fresh_database()
    system = await System(common={"database_url": DATABASE_URL, "amqp_url": AMQP_URL, "bus_namespace": namespace}).start()
    try:
        async with contractor_client(system.urls["application"]) as client:
            ids, names = await confirmed_drafts(client, n)
            submitted_at: dict[str, float] = {}

            async def submit(app_id: str) -> None:
                submitted_at[app_id] = time.perf_counter()
                (await client.post(f"/applications/{app_id}/submit")).raise_for_status()

            start = time.perf_counter()
            await asyncio.gather(*(submit(app_id) for app_id in ids))
            submit_done = time.perf_counter()
            deadline = start + 900
            while len(system.mails) < 2 * n and time.perf_counter() < deadline:
                await asyncio.sleep(0.2)
        if len(system.mails) < 2 * n:
            raise SystemExit(f"only {len(system.mails)} of {2 * n} emails arrived within 900 s")
        last_mail = last_mail_times(system.mails, names)
        latencies = [last_mail[app] - submitted_at[app] for app in ids]
        elapsed = max(last_mail.values()) - start
        return {
            "applications": n,
            "certificates": 2 * n,
            "emails": len(system.mails),
            "submit_burst_s": round(submit_done - start, 2),
            "elapsed_s": round(elapsed, 2),
            "applications_per_s": round(n / elapsed, 2),
            "latency_p50_s": round(statistics.median(latencies), 2),
            "latency_p99_s": round(percentile(latencies, 0.99), 2),
            "latency_max_s": round(max(latencies), 2),
        }
    finally:
        await system.stop()
        await delete_bus(namespace)


async def pdf_render(samples: int = 20) -> dict:
    """Time per document, one at a time, through the same process pool the services use."""
    from shared.documents import DocumentRenderer, KeyNotice
    from tests.samples import sample_certificate_content

    renderer = DocumentRenderer(processes=2)
    try:
        content = sample_certificate_content()
        notice = KeyNotice(
            construction_name=content.construction_name,
            contractor_name=content.contractor.name,
            product=content.product,
            contract_number=content.contract_number,
            auth_key="Z28YUE4J3Bux",
        )
        await renderer.certificate_pdf(content)  # warm both workers' fonts
        await renderer.key_notice_pdf(notice)
        figures = {}
        for name, render in (("certificate", lambda: renderer.certificate_pdf(content)), ("key_notice", lambda: renderer.key_notice_pdf(notice))):
            times = []
            for _ in range(samples):
                t = time.perf_counter()
                pdf = await render()
                times.append(time.perf_counter() - t)
            figures[f"{name}_ms_median"] = round(statistics.median(times) * 1000, 1)
            figures[f"{name}_bytes"] = len(pdf)
        t = time.perf_counter()
        await asyncio.gather(*(renderer.certificate_pdf(content) for _ in range(samples)))
        figures["parallel_certificates_per_s"] = round(samples / (time.perf_counter() - t), 1)
        return figures
    finally:
        await renderer.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=200)
    args = parser.parse_args()
    configure_logging("bench", "WARNING")
    print(json.dumps({"pdf": await pdf_render()}, ensure_ascii=False))
    print(json.dumps({"pipeline": await pipeline(args.applications)}, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
