"""Surety staff's issuance CLI (services/issuance/entrypoints/cli.py), run from the end-to-end and browser tests."""

import asyncio
import os
import subprocess
import sys


async def staff_cli(database_url: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The issuance CLI as surety staff run it, in a process of its own, without blocking the event loop.
    The services under test run on this same loop: a blocking subprocess.run froze them while the command
    waited for a row lock one of them held (a PDF being stored), and both sat until the timeout."""
    argv = [sys.executable, "-m", "services.issuance.entrypoints.cli", *args]
    proc = await asyncio.create_subprocess_exec(
        *argv, env={**os.environ, "DATABASE_URL": database_url},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    return subprocess.CompletedProcess(argv, proc.returncode, out.decode(), err.decode())
