"""What the sender crash tests and tests/bench/email_crash.py share: an aiosmtpd server that can hang at a
chosen step, emails queued straight into the outbox, and the sender as a subprocess to `kill -9`."""

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone
from email import message_from_bytes, policy
from pathlib import Path

from aiosmtpd.controller import Controller

from services.notifier.adapters import repository
from services.notifier.domain.model import ComposedEmail, Publication

SENDER_SCRIPT = Path(__file__).with_name("sender_process.py")
REPO_ROOT = Path(__file__).resolve().parents[3]


class HangingSmtp:
    """aiosmtpd handler. `hang_after_store[rcpt] = n`: the next n messages to rcpt are stored, then the server
    waits `hang_seconds` before answering 250 (the client is killed meanwhile). `hang_at_rcpt[rcpt] = n`: the
    next n sessions to rcpt wait at RCPT, before DATA. `data_delay`: seconds spent before storing (a slow disk)."""

    def __init__(self, hang_seconds: float = 60.0, data_delay: float = 0.0) -> None:
        self.hang_seconds = hang_seconds
        self.data_delay = data_delay
        self.hang_after_store: dict[str, int] = {}
        self.hang_at_rcpt: dict[str, int] = {}
        # (recipient, Message-ID, time.time() when the server had the whole message: it stores it even if the
        # client is gone by then, as an MTA does once it has the final ".")
        self.stored: list[tuple[str, str, float]] = []
        self.waiting_at_rcpt: list[str] = []

    def copies(self, recipient: str) -> list[str]:
        return [message_id for to, message_id, _ in self.stored if to == recipient]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hang_at_rcpt.get(address, 0) > 0:
            self.hang_at_rcpt[address] -= 1
            self.waiting_at_rcpt.append(address)
            await asyncio.sleep(self.hang_seconds)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        received = time.time()  # the whole message is in: from here a disconnect no longer stops it
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        to = envelope.rcpt_tos[0]
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.stored.append((to, message["Message-ID"], received))
        if self.hang_after_store.get(to, 0) > 0:
            self.hang_after_store[to] -= 1
            await asyncio.sleep(self.hang_seconds)
        return "250 2.0.0 OK queued"


def start_smtp(handler, port: int) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


async def queue_email(pool, recipient: str, *, contract_number: str | None = None) -> str:
    """A pending completion email in the outbox, as the events handler writes it; returns its Message-ID."""
    number = contract_number or f"35072-{uuid.uuid4().int % 10**5:05d}{uuid.uuid4().hex[:6]}"
    publication = Publication(
        application_id=uuid.uuid4(), contract_number=number, version=0, version_label="新規",
        product="advance_payment", published_at=datetime(2026, 12, 3, 1, 0, tzinfo=timezone.utc),
        construction_name="市道改良工事", orderer_name="川崎市長", contractor_name="○○建設 株式会社",
    )
    message_id = f"<{uuid.uuid4().hex}@example.jp>"
    mail = ComposedEmail(recipient=recipient, subject="【Net Desk】電子保証（認証キー）発行完了のお知らせ", body="本文",
                         message_id=message_id)
    async with pool.acquire() as conn, conn.transaction():
        await repository.add_pending_email(conn, publication, mail, f"corr-{number}")
        await repository.notify_sender(conn)
    return message_id


class SenderProcess:
    """`python tests/integration/notifier/sender_process.py` with its output in `log_path`."""

    def __init__(self, env: dict[str, str], log_path: Path, *, code_root: Path = REPO_ROOT) -> None:
        # code_root first: the bench's "before" run points it at a copy of the old code.
        self._env = {**os.environ, **env, "PYTHONPATH": f"{code_root}:{os.environ.get('PYTHONPATH', '')}".rstrip(":")}
        self._log_path = log_path
        self.process: subprocess.Popen | None = None

    async def start(self, timeout: float = 30.0) -> None:
        self._log = open(self._log_path, "ab")
        start = self._log_path.stat().st_size
        self.process = subprocess.Popen([sys.executable, str(SENDER_SCRIPT)], env=self._env, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while b"ready" not in self._log_path.read_bytes()[start:]:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"sender did not start: {self._log_path.read_text(errors='replace')[-2000:]}")
            await asyncio.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: nothing in the process runs after this (no finally, no rollback of what it committed)."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._log.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self._log.closed:
            self._log.close()
