"""An embedded SMTP sink: every message it receives is kept as an .eml file in a folder.

For the local runner (no real mail server needed) and for anyone who wants to read the emails the
system sends. File names start with the UTC receive time, so `ls` sorts them in arrival order:
`20250101T120000.123456Z-000001.eml`. Each file is written under a temporary name and renamed, so a
reader never sees half a message.

    python -m deploy.mail_sink --port 2525 --dir var/mail

In-process: `with MailSink(Path("var/mail"), port=2525) as sink: ...` or `start_mail_sink(...)`.
"""

import argparse
import itertools
import os
import signal
import threading
from datetime import datetime, timezone
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session, SMTP

DEFAULT_DIR = Path("var/mail")


class _SaveToFolder:
    """aiosmtpd handler: DATA → one .eml file (envelope sender and recipients as X-Envelope-* headers)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._sequence = itertools.count(1)
        self._lock = threading.Lock()

    def _next_name(self) -> str:
        with self._lock:
            number = next(self._sequence)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        return f"{stamp}-{number:06d}.eml"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8")
        headers = (
            f"X-Envelope-From: {envelope.mail_from}\r\n"
            f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode("utf-8")
        self.directory.mkdir(parents=True, exist_ok=True)
        final = self.directory / self._next_name()
        partial = final.with_name(final.name + ".part")
        partial.write_bytes(headers + content)
        os.replace(partial, final)
        return "250 Message accepted for delivery"


class MailSink:
    """Start/stop an SMTP server on host:port (in its own thread) that writes messages to `directory`."""

    def __init__(self, directory: Path = DEFAULT_DIR, *, host: str = "127.0.0.1", port: int = 2525) -> None:
        self.directory = Path(directory)
        self.host = host
        self.port = port
        self._controller: Controller | None = None

    def start(self) -> "MailSink":
        self.directory.mkdir(parents=True, exist_ok=True)
        controller = Controller(
            _SaveToFolder(self.directory),
            hostname=self.host,
            port=self.port,
            enable_SMTPUTF8=True,
            # The notifier sends UTF-8 MIME; keep the bytes exactly as received.
            decode_data=False,
        )
        controller.start()  # raises if the port cannot be bound
        self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def messages(self) -> list[Path]:
        """The .eml files received so far, oldest first."""
        return sorted(self.directory.glob("*.eml"))

    def __enter__(self) -> "MailSink":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_mail_sink(directory: Path = DEFAULT_DIR, *, host: str = "127.0.0.1", port: int = 2525) -> MailSink:
    return MailSink(directory, host=host, port=port).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.mail_sink", description="SMTP sink writing .eml files")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("MAIL_SINK_DIR", DEFAULT_DIR)))
    args = parser.parse_args(argv)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        sink = start_mail_sink(args.dir, host=args.host, port=args.port)
    except Exception as exc:  # noqa: BLE001 - typically the port is taken
        print(f"mail sink: cannot listen on {args.host}:{args.port}: {exc}", flush=True)
        return 1
    print(f"mail sink: SMTP on {args.host}:{args.port}, messages saved in {args.dir.resolve()}/", flush=True)
    try:
        stop.wait()
    finally:
        sink.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
