"""A PostgreSQL cluster of the test's own (initdb into a temporary folder, pg_ctl on a free port), so an
outage can be made by stopping it: the shared server on 5432 is never touched."""

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import free_port

_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres(*args: str) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


@dataclass
class PostgresCluster:
    root: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    @classmethod
    def create(cls) -> "PostgresCluster":
        root = Path(tempfile.mkdtemp(prefix="esurety-pg-"))
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
        cluster = cls(root, free_port())
        subprocess.run(
            _as_postgres(str(_BIN / "initdb"), "-D", str(cluster.data), "-U", "postgres", "--auth=trust",
                         "--encoding=UTF8", "--locale=C.UTF-8"),
            check=True, capture_output=True,
        )
        return cluster

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(str(_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                         "-w", "start"),
            check=True, capture_output=True,
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(_as_postgres(str(_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"),
                       check=False, capture_output=True)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
