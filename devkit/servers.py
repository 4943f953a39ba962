"""Start the real `bentoml serve` in a subprocess, for integration tests and benchmarks."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import bentoml
import httpx

from core.params import load_params

BENTOML = str(Path(sys.executable).with_name("bentoml"))
METRICS_DIR = "prometheus_multiproc_dir"  # BentoML empties BENTOML_HOME/<this> whenever a server starts


def home_of_its_own(shared_home: Path, folder: Path) -> Path:
    """A BENTOML_HOME for one server: the shared store (models, bentos) linked in, its own metrics folder.

    Every `bentoml serve` empties `BENTOML_HOME/prometheus_multiproc_dir` at start, so two servers on
    one home (a package's server and a test's own) would wipe each other's /metrics.
    """
    folder.mkdir(parents=True, exist_ok=True)
    shared_home.mkdir(parents=True, exist_ok=True)
    for entry in shared_home.iterdir():
        if entry.name != METRICS_DIR and not (folder / entry.name).exists():
            (folder / entry.name).symlink_to(entry.resolve())
    return folder


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def poll_until(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.5) -> None:
    """Call `check` until it returns true (HTTP errors count as not yet); TimeoutError naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except httpx.HTTPError:
            pass
        time.sleep(interval)
    raise TimeoutError(f"{what}: not after {timeout} s")


def wait_ready(base_url: str, process: subprocess.Popen, timeout: float, path: str = "/readyz") -> None:
    """Poll `path` (BentoML's /readyz) until the server answers 200, or fail with its output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            if httpx.get(f"{base_url}{path}", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{base_url} not ready after {timeout} s")


def keep_alive_args() -> list[str]:
    """How long idle client connections stay open, as `make serve` and the containers set it."""
    return ["--timeout-keep-alive", str(load_params()["serving"]["keep_alive_s"])]


@contextmanager
def serve(
    target: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 90
) -> Iterator[tuple[bentoml.SyncHTTPClient, str, subprocess.Popen]]:
    """Run `bentoml serve TARGET` on a free port; yield (client, base URL, process); stop it all after.

    The server's combined output goes to `<cwd>/serve-<port>.log`, so tests can read what it logged;
    it runs on a BENTOML_HOME of its own that shares the model store (`home_of_its_own`).
    """
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = Path(cwd) / f"serve-{port}.log"
    env = {**os.environ, **(env or {})}
    shared_home = Path(env.get("BENTOML_HOME") or Path.home() / "bentoml")
    own_home = Path(tempfile.mkdtemp(prefix=f"bentoml-home-{port}-"))
    env["BENTOML_HOME"] = str(home_of_its_own(shared_home, own_home))
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [BENTOML, "serve", target, "--host", "127.0.0.1", "--port", str(port), *keep_alive_args()],
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_ready(base_url, process, timeout)
            with bentoml.SyncHTTPClient(base_url, timeout=60) as client:
                yield client, base_url, process
        except (RuntimeError, TimeoutError) as error:
            raise RuntimeError(f"{error}; server log:\n{log_path.read_text()[-4000:]}") from error
        finally:
            stop(process)
            shutil.rmtree(own_home, ignore_errors=True)  # the links only: the shared store stays


def stop(process: subprocess.Popen) -> None:
    """Terminate the server's whole process group (it forks one worker per service)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def worker_pid(server_pid: int, service_name: str) -> int:
    """PID of the worker process running `service_name` under a `bentoml serve` process."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == server_pid and service_name.encode() in command:
            return int(entry.name)
    raise LookupError(f"no worker for {service_name} under PID {server_pid}")


@contextmanager
def frozen(pids: list[int]) -> Iterator[None]:
    """SIGSTOP the processes (they hang, as a stuck model would), SIGCONT them afterwards."""
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)
