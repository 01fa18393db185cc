"""The notifier's email sender alone in a process of its own, for tests that `kill -9` it mid-send
(tests/integration/notifier/test_sender_crash.py, tests/bench/email_crash.py).

    PYTHONPATH=<code root> python tests/integration/notifier/sender_process.py

Run by file path, so the bench can point PYTHONPATH at another copy of the code (the "before" run).
Settings come from the environment as in production (DATABASE_URL, SMTP_*, EMAIL_*). Prints `ready` once
the sender loop runs; SIGTERM stops it as the service would.
"""

import asyncio
import signal

from services.notifier import bootstrap
from services.notifier.handlers.email_sender import EmailSender
from services.notifier.settings import Settings
from shared.db.migrate import migrate
from shared.db.pool import create_pool


async def main() -> None:
    settings = Settings()
    await migrate(settings.database_url, bootstrap.NAME, bootstrap.MIGRATIONS)
    pool = await create_pool(settings.database_url, bootstrap.NAME)
    sender = EmailSender(pool, bootstrap.mailer_for(settings), bootstrap.sender_policy(settings))
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await sender.start()
    print("ready", flush=True)
    await stop.wait()
    await sender.stop()
    await pool.close()


if __name__ == "__main__":
    asyncio.run(main())
