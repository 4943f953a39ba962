"""A throwaway PostgreSQL server from Debian's package (initdb + pg_ctl), for tests and benchmarks.

No Docker, no mock: the real server on loopback, its data in a temporary folder, stopped after.
PostgreSQL refuses to run as root, so as root it runs as the package's `postgres` user.
"""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from devkit.servers import free_port

SUPERUSER = "callcenter"
PACKAGE_BINARIES = Path("/usr/lib/postgresql")


def postgres_bin() -> Path | None:
    """The newest installed server's bin folder (Debian: /usr/lib/postgresql/<major>/bin), or None."""
    found = [path.parent for path in PACKAGE_BINARIES.glob("*/bin/initdb")]
    return max(found, key=lambda path: int(path.parent.name), default=None)


@dataclass
class PostgresServer:
    """A running server: where its binaries and data are, its port, and who runs it."""

    bin_dir: Path
    data_dir: Path
    port: int
    user: str | None

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL (psycopg 3) of one database on this server."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def ctl(self, *args: str) -> None:
        """pg_ctl on this cluster (start, stop, ...), waiting until it is done."""
        log = self.data_dir.parent / "postgres.log"
        command = [str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(log), "-w", *args]
        result = subprocess.run(command, user=self.user, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {result.stderr}{log.read_text()[-2000:]}")

    def start(self) -> None:
        options = f"-p {self.port} -h 127.0.0.1 -k {self.data_dir} -c fsync=off -c full_page_writes=off"
        self.ctl("start", "-o", options)

    def stop(self) -> None:
        self.ctl("stop", "-m", "fast")

    @property
    def running(self) -> bool:
        return (self.data_dir / "postmaster.pid").exists()

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URL."""
        command = [str(self.bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, name]
        subprocess.run(command, user=self.user, check=True, capture_output=True, timeout=60)
        return self.url(name)


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """initdb a fresh cluster in a temporary folder, start it on a free loopback port, remove it all after."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed: run `make desk-tools` (apt-get install postgresql)")
    user = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="callcenter-pg-"))
    if user:
        shutil.chown(root, user)
    server = PostgresServer(bin_dir, root / "data", free_port(), user)
    initdb = [str(bin_dir / "initdb"), "-D", str(server.data_dir), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8"]
    subprocess.run([*initdb, "--no-sync", "--locale=C"], user=user, check=True, capture_output=True, timeout=120)
    server.start()
    try:
        yield server
    finally:
        try:
            if server.running:
                server.stop()
        finally:
            shutil.rmtree(root, ignore_errors=True)
