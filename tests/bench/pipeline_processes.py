"""Benchmark: the system as operators run it — the four services as their own processes (deploy/local.py,
what `make run` starts) — under a sustained rate: submit → last completion email, and what each process
spent on it: CPU seconds per application by process (service, its PDF workers, PostgreSQL, RabbitMQ,
this benchmark's own client) and every process's RSS after the run (issue 12).

    python -m tests.bench.pipeline_processes [--unloaded 10] [--rate 5] [--seconds 120]

The same run as tests/bench/pipeline_latency.py (its `run(processes=True)`), with the services started here.

Real RabbitMQ and PostgreSQL (database esurety_bench, recreated; a bus namespace of its own), an aiosmtpd
server in this process stamping each email's arrival. Each application is 前払金保証 + 契約保証: 2
certificates, 4 PDFs, 2 emails. CPU is counted from the first sustained submit until the last PDF is
rendered, so the PDFs rendered behind the emails are in it. Prints JSON lines.
"""

import argparse
import asyncio
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import psutil
from aiosmtpd.controller import Controller

from deploy.local import RunningSystem, build_env, start_system
from tests.bench.pipeline import AMQP_URL, DATABASE_URL
from tests.e2e.harness import ReceivedMail, _Recorder, free_port


@dataclass
class ProcessSystem:
    """The four services as child processes (deploy.local.start_system) and an SMTP server stamping arrivals;
    the same surface as tests/e2e/harness.System where the benchmark uses it (urls, mails, stop)."""

    running: RunningSystem
    smtp: Controller
    recorder: _Recorder
    log: TextIO
    urls: dict[str, str] = field(default_factory=dict)

    @classmethod
    async def start(cls, namespace: str, log_path: Path | None) -> "ProcessSystem":
        recorder = _Recorder()
        smtp = Controller(recorder, hostname="127.0.0.1", port=free_port())
        smtp.start()
        base = {k: v for k, v in os.environ.items() if k not in ("SMTP_USERNAME", "SMTP_PASSWORD", "OTEL_EXPORTER_OTLP_ENDPOINT")}
        base.update(
            DATABASE_URL=DATABASE_URL, AMQP_URL=AMQP_URL, BUS_NAMESPACE=namespace, LOG_LEVEL="WARNING",
            SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port),
            APPLICATION_HTTP_PORT=str(free_port()), PLATFORM_HTTP_PORT=str(free_port()),
            ISSUANCE_HTTP_PORT=str(free_port()), NOTIFIER_HEALTH_PORT=str(free_port()),
        )
        env = build_env(base)
        log = (log_path or Path("/tmp/bench-pipeline-processes.log")).open("w", encoding="utf-8")
        try:
            running = await start_system(env, mail_dir=None, out=log)
        except BaseException:
            smtp.stop()
            log.close()
            raise
        urls = {"application": f"http://127.0.0.1:{env['APPLICATION_HTTP_PORT']}"}
        return cls(running, smtp, recorder, log, urls)

    @property
    def mails(self) -> list[ReceivedMail]:
        return self.recorder.mails

    @property
    def children(self) -> dict[str, int]:
        return {name: proc.pid for name, proc in self.running.children.items()}

    def snapshot(self) -> dict:
        """CPU seconds by process group, and every service process's RSS, now."""
        return {"cpu": cpu_seconds(process_groups(self.children)), "rss": rss_report(self.children)}

    async def stop(self) -> None:
        try:
            await self.running.stop()
        finally:
            self.smtp.stop()
            self.log.close()


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
    groups["postgresql"] = [(proc, "all") for proc in server_processes(POSTGRESQL)]
    groups["rabbitmq"] = [(proc, "all") for proc in server_processes(RABBITMQ)]
    groups["benchmark client"] = [(psutil.Process(), "all")]
    return groups


POSTGRESQL = ("postgres",)  # the postmaster and every backend ("postgres: …" where titles are set)
RABBITMQ = ("beam.smp", "erl_child_setup", "inet_gethost", "epmd")


def server_processes(names: tuple[str, ...]) -> list[psutil.Process]:
    """The machine's processes of one server (PostgreSQL, RabbitMQ), by process name."""
    found = []
    for proc in psutil.process_iter(["name"]):
        name = proc.info["name"] or ""
        if name in names or any(name.startswith(f"{n}:") for n in names):
            found.append(proc)
    return found


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


def process_figures(before: dict, after: dict, applications: int, window_s: float) -> dict:
    """CPU per application by process over the window, and RSS before and after it."""
    cpu = {
        name: {
            "ms_per_application": round((after["cpu"][name] - before["cpu"].get(name, 0.0)) / applications * 1000, 1),
            "share_of_one_core": round((after["cpu"][name] - before["cpu"].get(name, 0.0)) / window_s, 3),
        }
        for name in after["cpu"]
    }
    return {
        "machine": {"cpus": psutil.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 2)},
        "cpu_from_first_submit_to_last_pdf": {"window_s": round(window_s, 1), "by_process": cpu},
        "rss_mib_after_unloaded": before["rss"],
        "rss_mib_after_sustained": after["rss"],
    }


async def main() -> None:
    from tests.bench.pipeline_latency import run

    parser = argparse.ArgumentParser()
    parser.add_argument("--unloaded", type=int, default=10)
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--log", type=Path, default=Path("/tmp/bench-pipeline-processes.log"), help="the services' output")
    args = parser.parse_args()
    await run(args.unloaded, args.rate, args.seconds, processes=True, log_path=args.log)


if __name__ == "__main__":
    asyncio.run(main())
