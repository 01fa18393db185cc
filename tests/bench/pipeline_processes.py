"""Benchmark: the system as operators run it — the four services as their own processes (deploy/local.py,
what `make run` starts) — under a sustained rate: submit → last completion email, and what each process
spent on it: CPU seconds per application by process (service, its PDF workers, PostgreSQL, RabbitMQ,
this benchmark's own client) and every process's RSS after the run (issue 12).

    python -m tests.bench.pipeline_processes [--unloaded 10] [--rate 5] [--seconds 120]

Real RabbitMQ and PostgreSQL (database esurety_bench, recreated; a bus namespace of its own), an aiosmtpd
server in this process stamping each email's arrival. Each application is 前払金保証 + 契約保証: 2
certificates, 4 PDFs, 2 emails. CPU is counted from the first sustained submit until the last PDF is
rendered, so the PDFs rendered behind the emails are in it. Prints JSON lines.
"""

import argparse
import asyncio
import json
import os
import statistics
import time
import uuid
from datetime import date
from pathlib import Path

import asyncpg
import httpx
import psutil
from aiosmtpd.controller import Controller

from deploy.demo import sample_form
from deploy.local import build_env, start_system
from services.application.entrypoints import cli as application_cli
from tests.bench.pipeline import AMQP_URL, DATABASE_URL, delete_bus, fresh_database, percentile
from tests.e2e.harness import _Recorder, free_port

SERVICES = ("application", "issuance", "platform", "notifier")


def process_groups(children: dict[str, int]) -> dict[str, list[tuple[psutil.Process, str]]]:
    """Each service's process with its descendants, the PostgreSQL server's processes, RabbitMQ's, and this
    benchmark (the HTTP client and the SMTP sink), each process with what of its CPU counts: "all" (its own
    and its reaped children's), "own", or "reaped". Issuance is split in two: the service's own CPU, and its
    PDF workers' (live ones, and recycled ones, which its children_* times hold once reaped)."""
    groups: dict[str, list[tuple[psutil.Process, str]]] = {}
    for name, pid in children.items():
        root = psutil.Process(pid)
        descendants = [(child, "all") for child in root.children(recursive=True)]
        if name == "issuance":
            groups["issuance"] = [(root, "own")]
            groups["issuance PDF workers"] = [(root, "reaped"), *descendants]
        else:
            groups[name] = [(root, "all"), *descendants]
    groups["postgresql"] = []
    groups["rabbitmq"] = []
    for proc in psutil.process_iter(["name"]):
        name = proc.info["name"] or ""
        if name == "postgres" or name.startswith("postgres:"):
            groups["postgresql"].append((proc, "all"))
        elif name in ("beam.smp", "erl_child_setup", "inet_gethost", "epmd"):
            groups["rabbitmq"].append((proc, "all"))
    groups["benchmark client"] = [(psutil.Process(), "all")]
    return groups


def cpu_seconds(groups: dict[str, list[tuple[psutil.Process, str]]]) -> dict[str, float]:
    """CPU of each group's live processes plus what they reaped: a PDF worker recycled after its
    max_tasks_per_child, or a PostgreSQL backend that ended, counts into its parent's children_* times."""
    totals = {}
    for name, procs in groups.items():
        total = 0.0
        for proc, part in procs:
            try:
                t = proc.cpu_times()
            except psutil.NoSuchProcess:
                continue
            if part in ("all", "own"):
                total += t.user + t.system
            if part in ("all", "reaped"):
                total += t.children_user + t.children_system
        totals[name] = total
    return totals


def rss_report(children: dict[str, int]) -> dict[str, list[dict]]:
    """Every process of every service, by its role, with its RSS in MiB."""
    report = {}
    for name, pid in children.items():
        root = psutil.Process(pid)
        rows = [{"process": "service", "rss_mib": round(root.memory_info().rss / 2**20, 1)}]
        for child in root.children(recursive=True):
            try:
                cmd = " ".join(child.cmdline())
                role = "pdf worker" if "spawn_main" in cmd else ("resource tracker" if "resource_tracker" in cmd else child.name())
                rows.append({"process": role, "rss_mib": round(child.memory_info().rss / 2**20, 1)})
            except psutil.NoSuchProcess:
                continue
        report[name] = rows
    return report


async def run(unloaded: int, rate: float, seconds: float, log_path: Path) -> dict:
    namespace = f"bench-{uuid.uuid4().hex[:8]}"
    await fresh_database()
    recorder = _Recorder()
    smtp = Controller(recorder, hostname="127.0.0.1", port=free_port())
    smtp.start()
    base = dict(os.environ)
    for key in ("SMTP_USERNAME", "SMTP_PASSWORD", "OTEL_EXPORTER_OTLP_ENDPOINT"):
        base.pop(key, None)
    base.update(
        DATABASE_URL=DATABASE_URL,
        AMQP_URL=AMQP_URL,
        BUS_NAMESPACE=namespace,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp.port),
        LOG_LEVEL="WARNING",
        APPLICATION_HTTP_PORT=str(free_port()),
        PLATFORM_HTTP_PORT=str(free_port()),
        ISSUANCE_HTTP_PORT=str(free_port()),
        NOTIFIER_HEALTH_PORT=str(free_port()),
    )
    env = build_env(base)
    log = log_path.open("w", encoding="utf-8")
    system = await start_system(env, mail_dir=None, out=log)
    children = {name: proc.pid for name, proc in system.children.items()}
    db = await asyncpg.connect(DATABASE_URL)
    try:
        await application_cli.create_company("ベンチ建設 株式会社", "東京都中央区", database_url=DATABASE_URL)
        await application_cli.create_user("ベンチ建設 株式会社", "bench", "bench-password", database_url=DATABASE_URL)
        portal = f"http://127.0.0.1:{env['APPLICATION_HTTP_PORT']}"
        async with httpx.AsyncClient(base_url=portal, timeout=120) as client:
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
                for mail in recorder.mails:
                    body = mail.message.get_body(preferencelist=("plain",)).get_content()
                    app_id = next(app for name, app in names.items() if name in body)
                    last[app_id] = max(last.get(app_id, 0.0), mail.received_at)
                return last

            async def wait_mails(count: int, timeout: float = 900) -> None:
                deadline = time.perf_counter() + timeout
                while len(recorder.mails) < count:
                    if time.perf_counter() > deadline:
                        raise SystemExit(f"only {len(recorder.mails)} of {count} emails within {timeout} s")
                    await asyncio.sleep(0.02)

            async def backlog() -> int:
                return await db.fetchval("SELECT count(*) FROM issuance.pdf_jobs WHERE done_at IS NULL")

            for n, app_id in enumerate(ids[:unloaded], start=1):  # unloaded, one at a time
                await submit(app_id)
                await wait_mails(2 * n)
                while await backlog():
                    await asyncio.sleep(0.05)
            last = last_mails()
            alone = [last[a] - submitted_at[a] for a in ids[:unloaded]]
            rss_before = rss_report(children)

            loaded_ids = ids[unloaded:]
            groups = process_groups(children)
            cpu_start = cpu_seconds(groups)
            start = time.perf_counter()
            tasks = []
            for k, app_id in enumerate(loaded_ids):
                await asyncio.sleep(max(0.0, start + k / rate - time.perf_counter()))
                tasks.append(asyncio.create_task(submit(app_id)))
            await asyncio.gather(*tasks)
            submits_done = time.perf_counter()
            backlog_at_end = await backlog()
            await wait_mails(2 * total)
            mails_done = time.perf_counter()
            while await backlog():
                await asyncio.sleep(0.1)
            drained = time.perf_counter()
            groups = process_groups(children)  # recycled PDF workers are new processes
            cpu_end = cpu_seconds(groups)
            rss_after = rss_report(children)
        last = last_mails()
        loaded = [last[a] - submitted_at[a] for a in loaded_ids]
        window = drained - start
        cpu = {
            name: {
                "ms_per_application": round((cpu_end[name] - cpu_start.get(name, 0.0)) / len(loaded_ids) * 1000, 1),
                "share_of_one_core": round((cpu_end[name] - cpu_start.get(name, 0.0)) / window, 3),
            }
            for name in cpu_end
        }
        figures = {
            "machine": {"cpus": psutil.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 2)},
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
            "cpu_from_first_submit_to_last_pdf": {"window_s": round(window, 1), "by_process": cpu},
            "rss_mib_after_unloaded": rss_before,
            "rss_mib_after_sustained": rss_after,
        }
        print(json.dumps({"pipeline_processes": figures}, ensure_ascii=False), flush=True)
        return figures
    finally:
        await db.close()
        await system.stop()
        smtp.stop()
        log.close()
        await delete_bus(namespace)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--unloaded", type=int, default=10)
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--log", type=Path, default=Path("/tmp/bench-pipeline-processes.log"), help="the services' output")
    args = parser.parse_args()
    await run(args.unloaded, args.rate, args.seconds, args.log)


if __name__ == "__main__":
    asyncio.run(main())
