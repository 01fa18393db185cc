"""shared.db.pool gives connections back without asyncpg's reset query (one round trip less per checkout).
That is safe only while no code leaves session state on a pooled connection; these tests keep it so, by
looking for the statements that would (session settings, session advisory locks, LISTEN), and check the
release itself."""

import re
from pathlib import Path

from shared.db.pool import PooledConnection

ROOT = Path(__file__).resolve().parents[3]
# Migrations run on a connection of their own (asyncpg.connect), never a pool's.
OWN_CONNECTION = {"shared/db/migrate.py"}
# The one LISTEN: its owner removes it before release (shared/db/notified_loop.py, _drop_listener).
LISTENER_OWNER = "shared/db/notified_loop.py"

SESSION_STATE = {
    "session advisory lock": re.compile(r"pg_(try_)?advisory_lock(_shared)?\s*\(", re.I),
    "session setting through set_config(…, false)": re.compile(r"set_config\s*\([^)]*,\s*false\s*\)", re.I),
    "SET / RESET / DISCARD of a session setting": re.compile(
        r"\b(SET\s+(SESSION\s+)?(search_path|statement_timeout|lock_timeout|idle_in_transaction_session_timeout|role"
        r"|session\s+authorization|time\s+zone|timezone|synchronous_commit|work_mem|application_name|datestyle)\b)"
        r"|(?-i:\bRESET\s+\w+|\bDISCARD\s+\w+)",  # upper case, as the SQL here is written (not the English word)
        re.I,
    ),
    "LISTEN": re.compile(r"[\"']\s*LISTEN\s|add_listener\s*\(", re.I),
}


def sources() -> list[Path]:
    files = []
    for top in ("services", "shared"):
        files += [p for p in (ROOT / top).rglob("*") if p.suffix in {".py", ".sql"} and "migrations" not in p.parts]
    return files


def test_no_code_leaves_session_state_on_a_pooled_connection():
    found = []
    for path in sources():
        name = path.relative_to(ROOT).as_posix()
        if name in OWN_CONNECTION or name == "shared/db/pool.py":
            continue
        text = path.read_text(encoding="utf-8")
        for what, pattern in SESSION_STATE.items():
            if what == "LISTEN" and name == LISTENER_OWNER:
                continue
            found += [f"{name}: {what}: {m.group(0)!r}" for m in pattern.finditer(text)]
    assert found == [], "session state on a pooled connection needs asyncpg's reset back (shared/db/pool.py):\n" + "\n".join(found)


def test_the_scan_sees_what_it_looks_for():
    samples = {
        "session advisory lock": 'await conn.execute("SELECT pg_advisory_lock($1)", 7)',
        "session setting through set_config(…, false)": "SELECT set_config('work_mem', '64MB', false)",
        "SET / RESET / DISCARD of a session setting": 'await conn.execute("SET statement_timeout = 0; RESET ALL")',
        "LISTEN": "await conn.add_listener('jobs', callback)",
    }
    for what, sample in samples.items():
        assert SESSION_STATE[what].search(sample), what
    harmless = ["UPDATE pdf_jobs SET lease_token = $1", "SELECT set_config('synchronous_commit', 'off', true)",
                "SELECT pg_advisory_xact_lock(1)", "SET LOCAL statement_timeout = 0", "a password reset or a new one"]
    for sample in harmless:
        assert not any(p.search(sample) for p in SESSION_STATE.values()), sample


def test_the_pool_sends_no_reset_query():
    assert PooledConnection.get_reset_query(None) == ""  # no state read: the same for every connection
