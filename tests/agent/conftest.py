"""The real agent: `bentoml serve bentos.agent_service:TicketAgent` with both model services, in the project copy."""

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from devkit.servers import serve
from tests.conftest import SESSION_DIR

AGENT = "bentos.agent_service:TicketAgent"
# Short timeouts so the break-a-worker tests are quick; DEBUG so every scrubbed text is logged;
# thresholds that keep a clear English ticket on TF-IDF (the tiny test transformer is near random).
AGENT_PARAMS = {
    "router.tuned_thresholds": None,  # the thresholds below, whatever a tune_routing run left behind
    "router.transformer_timeout_s": 3.0,
    "router.tfidf_timeout_s": 3.0,
    "router.log_level": "DEBUG",
    "router.min_confidence": 0.5,
    "router.min_margin": 0.2,
    "router.ensemble_weight": 1.0,
}


@dataclass
class AgentServer:
    """A served agent: its client, URL, process and log file."""

    client: object
    url: str
    process: object
    log: Path

    def worker_pid(self, service_name: str) -> int:
        """PID of the worker process running `service_name` (one process per service)."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == self.process.pid and f"{service_name}".encode() in command:
                return int(entry.name)
        raise LookupError(f"no worker for {service_name} under PID {self.process.pid}")

    @contextmanager
    def frozen(self, *service_names: str) -> Iterator[None]:
        """SIGSTOP the named workers (they hang, as a stuck model would), SIGCONT them afterwards."""
        pids = [self.worker_pid(name) for name in service_names]
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        try:
            yield
        finally:
            for pid in pids:
                os.kill(pid, signal.SIGCONT)


def params_file(project: Path, changes: dict[str, object], name: str) -> Path:
    """The project's params.yaml with `section.key` changes, written to the session folder as `name`."""
    params = yaml.safe_load((project / "params.yaml").read_text())
    for dotted, value in changes.items():
        section, key = dotted.split(".")
        params[section][key] = value
    path = SESSION_DIR / name
    path.write_text(yaml.safe_dump(params, sort_keys=False, allow_unicode=True))
    return path


@pytest.fixture(scope="module")
def agent(project_copy: Path, tfidf_pipeline: dict, transformer_in_project: dict) -> Iterator[AgentServer]:
    """The agent served with its two dependencies, on its own params file (short timeouts, DEBUG logs)."""
    params_path = params_file(project_copy, AGENT_PARAMS, "agent-params.yaml")
    with serve(AGENT, project_copy, env={"CALLCENTER_PARAMS": str(params_path)}, timeout=150) as (client, url, process):
        port = url.rsplit(":", 1)[1]
        yield AgentServer(client, url, process, project_copy / f"serve-{port}.log")
