"""SIGTERM during a burst: `python -m services.issuance` finishes what it holds, flushes its outbox and exits 0
within SHUTDOWN_TIMEOUT_SECONDS; restarted, it issues the rest. Every application gets exactly one
certificate and one CertificateIssued; nothing is dead-lettered, no handler fails."""

import asyncio
import json
import signal
import subprocess
import sys
import time
from collections import Counter

import aio_pika
import asyncpg
import httpx
import pytest

from shared.events import CertificateIssuedV1
from tests.conftest import TEST_DATABASE_URL, eventually, free_port
from tests.integration.operations.conftest import INTERNAL_TOKEN, ROOT, process_env, queue_depth
from tests.samples import bus_message, sample_submitted, sample_submitted_data

pytestmark = pytest.mark.integration

BURST = 40
SHUTDOWN_TIMEOUT = 20


async def start_issuance(settings, log_path) -> tuple[asyncio.subprocess.Process, str]:
    port = free_port()
    env = process_env(
        settings, ISSUANCE_HTTP_PORT=str(port), INTERNAL_API_TOKEN=INTERNAL_TOKEN, PDF_PROCESSES="2",
        EXPIRY_CHECK_SECONDS="0", SHUTDOWN_TIMEOUT_SECONDS=str(SHUTDOWN_TIMEOUT),
    )
    log = log_path.open("ab")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "services.issuance", cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/readyz"
    async with httpx.AsyncClient(timeout=2) as client:

        async def ready() -> bool:
            if process.returncode is not None:
                raise AssertionError(f"issuance exited {process.returncode}: {log_path.read_text()[-3000:]}")
            try:
                return (await client.get(url)).status_code == 200
            except httpx.TransportError:
                return False

        await eventually(ready, timeout=60, interval=0.2)
    return process, url


async def terminate(process: asyncio.subprocess.Process) -> tuple[int, float]:
    """SIGTERM; returns (exit code, seconds until it exited)."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        code = await asyncio.wait_for(process.wait(), SHUTDOWN_TIMEOUT + 10)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError("issuance did not stop within SHUTDOWN_TIMEOUT_SECONDS + 10 s") from None
    return code, time.monotonic() - started


def log_lines(path) -> list[dict]:
    lines = []
    for raw in path.read_text().splitlines():
        try:
            lines.append(json.loads(raw))
        except ValueError:
            continue
    return lines


async def test_sigterm_mid_burst_finishes_in_flight_work_and_loses_nothing(fresh_database, bus_cleanup, amqp, common_settings, tmp_path):
    ns = common_settings.bus_namespace
    first_log, second_log = tmp_path / "issuance-1.log", tmp_path / "issuance-2.log"
    process, _ = await start_issuance(common_settings, first_log)
    try:
        issued: Counter[str] = Counter()
        channel = await amqp.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(f"{ns}.events")
        tap = await channel.declare_queue(exclusive=True, auto_delete=True)
        await tap.bind(exchange, routing_key=CertificateIssuedV1.event_type)

        async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                issued[json.loads(message.body)["data"]["application_id"]] += 1

        await tap.consume(collect)

        applications = [sample_submitted_data() for _ in range(BURST)]
        ids = [a.application_id for a in applications]
        await asyncio.gather(*(
            exchange.publish(bus_message(sample_submitted(a)), routing_key=sample_submitted(a).type, mandatory=True)
            for a in applications
        ))
        db = await asyncpg.connect(TEST_DATABASE_URL)
        try:
            async def certificates() -> int:
                return await db.fetchval("SELECT count(*) FROM issuance.certificates WHERE application_id = ANY($1)", ids)

            async def some_issued() -> bool:
                return await certificates() >= 5

            await eventually(some_issued, timeout=60, interval=0.05)
            code, seconds = await terminate(process)
            done_at_stop = await certificates()
            print(f"\nshutdown mid-burst: exit {code} after {seconds:.2f} s, {done_at_stop}/{BURST} issued")
            assert code == 0, first_log.read_text()[-3000:]
            assert seconds < SHUTDOWN_TIMEOUT
            assert done_at_stop < BURST, "the burst ended before SIGTERM: the test proved nothing"
            lines = log_lines(first_log)
            events = [line.get("event") for line in lines]
            assert "service stopping" in events and "service stopped" in events
            assert "handler failed; will retry" not in events, "an in-flight message was cut short"
            assert not [line for line in lines if line.get("event", "").startswith("shutdown:")]
            # Everything the stopped process issued was relayed before it exited (the outbox flush).
            await eventually(lambda: sum(issued.values()) == done_at_stop, timeout=10)
            assert await queue_depth(amqp, f"{ns}.issuance.application-submitted") == BURST - done_at_stop

            process, _ = await start_issuance(common_settings, second_log)

            async def all_issued() -> bool:
                return await certificates() == BURST and len(issued) == BURST

            await eventually(all_issued, timeout=120, interval=0.2)
            code, seconds = await terminate(process)
            print(f"idle shutdown: exit {code} after {seconds:.2f} s")
            assert code == 0
            per_application = await db.fetch(
                "SELECT application_id, count(*) AS n FROM issuance.certificates WHERE application_id = ANY($1) GROUP BY 1", ids
            )
            assert {row["application_id"] for row in per_application} == set(ids)
            assert {row["n"] for row in per_application} == {1}
        finally:
            await db.close()
        await asyncio.sleep(1.0)  # a duplicate CertificateIssued would have arrived by now
        assert set(issued) == {str(i) for i in ids} and set(issued.values()) == {1}
        assert await queue_depth(amqp, f"{ns}.issuance.application-submitted.dlq") == 0
        assert "handler failed; will retry" not in [line.get("event") for line in log_lines(second_log)]
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
