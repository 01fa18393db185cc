"""Benchmark: the email sender `kill -9`ed at random moments while it sends; duplicates and lost emails.

    python -m tests.bench.email_crash [--crashes 100] [--code-root PATH] [--database-url URL]

Runs an aiosmtpd server in this process (storing takes --server-delay seconds, like a relay that scans
before it queues) and the sender as a subprocess (tests/integration/notifier/sender_process.py) with the
code under --code-root, so a copy of the old code gives the "before" figures. Each round tops the outbox up to
--pending emails, starts a sender, kills it after a random 0–--kill-within seconds; then one last sender
finishes everything. Timers are short (lease 1 s, quiet period 1 s) so that every email's final outcome is
seen within the run. The database's `notifier` schema is dropped first: use a database of your own.

Prints one JSON line: crashes, emails, duplicates (extra copies stored), lost (never stored), and the in-doubt
window, i.e. from the server having the whole message (the final ".") to the sender's mark 'sent' (median,
p99, mean; a crash inside it cannot know whether the server has the message).
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import asyncpg

from shared.db.migrate import ensure_database, migrate
from shared.db.pool import create_pool
from tests.conftest import free_port
from tests.integration.notifier.crash_rig import REPO_ROOT, HangingSmtp, SenderProcess, queue_email, start_smtp


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--crashes", type=int, default=100)
    parser.add_argument("--code-root", type=Path, default=REPO_ROOT)
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/esurety_test"))
    parser.add_argument("--pending", type=int, default=100)
    parser.add_argument("--kill-within", type=float, default=0.5)
    parser.add_argument("--server-delay", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    await ensure_database(args.database_url)
    conn = await asyncpg.connect(args.database_url)
    await conn.execute('DROP SCHEMA IF EXISTS "notifier" CASCADE')
    await conn.close()
    await migrate(args.database_url, "notifier", args.code_root / "services/notifier/migrations")
    pool = await create_pool(args.database_url, "notifier")

    server, port = HangingSmtp(data_delay=args.server_delay), free_port()
    controller = start_smtp(server, port)
    env = {
        "DATABASE_URL": args.database_url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "EMAIL_POLL_INTERVAL": "0.2",
        "EMAIL_LEASE_SECONDS": "1",
        "EMAIL_UNKNOWN_RESEND_AFTER_SECONDS": "1",
        "EMAIL_RETRY_BASE_SECONDS": "0.5",
        "EMAIL_RETRY_MAX_SECONDS": "1",
        "ESURETY_ENVIRONMENT": "development",
        "LOG_LEVEL": "WARNING",
    }
    log_path = Path(tempfile.mkdtemp(prefix="email-crash-")) / "sender.log"
    queued: list[str] = []
    try:
        for _ in range(args.crashes):
            unsent = await pool.fetchval("SELECT count(*) FROM email_outbox WHERE status <> 'sent'")
            for _ in range(max(0, args.pending - unsent)):
                queued.append(await queue_email(pool, f"r{len(queued)}@bench.example.jp"))
            sender = SenderProcess(env, log_path, code_root=args.code_root)
            await sender.start()
            await asyncio.sleep(rng.uniform(0, args.kill_within))
            sender.kill()
        sender = SenderProcess(env, log_path, code_root=args.code_root)
        await sender.start()
        deadline = time.monotonic() + 120
        while await pool.fetchval("SELECT count(*) FROM email_outbox WHERE status <> 'sent'") and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
        await asyncio.sleep(2)  # a late copy would show up here
        sender.stop()

        copies = Counter(message_id for _, message_id, _ in server.stored)
        first_stored = {}
        for _, message_id, at in server.stored:
            first_stored.setdefault(message_id, at)
        rows = await pool.fetch("SELECT message_id, status, extract(epoch FROM sent_at) AS sent FROM email_outbox")
        windows = sorted(
            float(r["sent"]) - first_stored[r["message_id"]]
            for r in rows
            if r["sent"] is not None and copies[r["message_id"]] == 1
        )
        summary = {
            "code": str(args.code_root),
            "crashes": args.crashes,
            "emails": len(queued),
            "stored": sum(copies.values()),
            "duplicates": sum(n - 1 for n in copies.values() if n > 1),
            "emails_duplicated": sum(1 for n in copies.values() if n > 1),
            "lost": sum(1 for m in queued if copies[m] == 0),
            "unsettled": sum(1 for r in rows if r["status"] != "sent"),
            "in_doubt_window_ms": {
                "median": round(statistics.median(windows) * 1000, 2),
                "p99": round(windows[int(len(windows) * 0.99) - 1] * 1000, 2),
                "mean": round(statistics.fmean(windows) * 1000, 2),
            },
        }
        print(json.dumps(summary), flush=True)
    finally:
        controller.stop()
        await pool.close()


if __name__ == "__main__":
    asyncio.run(main())
