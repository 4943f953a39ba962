"""The real agent: `bentoml serve bentos.agent_service:TicketAgent` with both model services, in the project copy."""

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml

from devkit.servers import frozen, poll_until, serve, worker_pid
from devkit.stores import fresh_database_url
from store.database import DATABASE_URL_ENV
from tests.conftest import SESSION_DIR

AGENT = "bentos.agent_service:TicketAgent"
# Short timeouts, cool-downs and probe intervals so the break-a-worker tests are quick; DEBUG so every
# scrubbed text is logged; thresholds that keep a clear English ticket on TF-IDF (the tiny test
# transformer is near random); a small request size limit.
AGENT_PARAMS = {
    "router.tuned_thresholds": None,  # the thresholds below, whatever a tune_routing run left behind
    "router.transformer_timeout_s": 3.0,
    "router.tfidf_timeout_s": 3.0,
    "router.log_level": "DEBUG",
    "router.min_confidence": 0.5,
    "router.min_margin": 0.2,
    "router.ensemble_weight": 1.0,
    "router.breaker.cooldown_s": 2.0,
    "serving.dependency.probe_interval_s": 0.5,
    "serving.max_request_chars": 30000,
}
# The agent under test only: a flat scrub budget the costly text overruns (~0.36 CPU-s) and a ticket
# does not (5-50 ms), with a wide wall-time cap: on a busy 2-core CI machine a ticket waits for the CPU.
SCRUB_BUDGET_PARAMS = {
    "serving.scrub_pool.budget_base_s": 0.15,
    "serving.scrub_pool.budget_per_kchar_s": 0.0,
    "serving.scrub_pool.max_wall_factor": 40,
}
HEALTHY_WITHIN_S = 120


@dataclass
class AgentServer:
    """A served agent: its client, URL, process and log file."""

    client: object
    url: str
    process: object
    log: Path

    def health(self) -> dict:
        """GET /health: status (ok | degraded | unavailable) and each model's state."""
        return httpx.get(f"{self.url}/health", timeout=10).json()

    def wait_healthy(self, timeout: float = HEALTHY_WITHIN_S) -> None:
        """Until both models answer (/readyz waits for TF-IDF only)."""
        poll_until(lambda: self.health()["status"] == "ok", timeout, "agent healthy")

    def metric(self, series: str) -> float:
        """The value of one exported series (exact name and labels) on /metrics."""
        for line in httpx.get(f"{self.url}/metrics", timeout=30).text.splitlines():
            if line.startswith(series + " "):
                return float(line.split()[-1])
        raise LookupError(series)

    def worker_pid(self, service_name: str) -> int:
        """PID of the worker process running `service_name` (one process per service)."""
        return worker_pid(self.process.pid, service_name)

    def frozen(self, *service_names: str) -> AbstractContextManager[None]:
        """SIGSTOP the named workers (they hang, as a stuck model would), SIGCONT them afterwards."""
        return frozen([self.worker_pid(name) for name in service_names])


def params_file(project: Path, changes: dict[str, object], name: str) -> Path:
    """The project's params.yaml with `section.key` changes, written to the session folder as `name`."""
    params = yaml.safe_load((project / "params.yaml").read_text())
    for dotted, value in changes.items():
        *parents, key = dotted.split(".")
        node = params
        for parent in parents:
            node = node[parent]
        node[key] = value
    path = SESSION_DIR / name
    path.write_text(yaml.safe_dump(params, sort_keys=False, allow_unicode=True))
    return path


@pytest.fixture(scope="module")
def agent(
    project_copy: Path,
    tfidf_pipeline: dict,
    transformer_in_project: dict,
    intents_in_project: Path,
    routing_in_project: dict,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[AgentServer]:
    """The whole agent (its two models, the desk and its chat) on its own params file (short timeouts, DEBUG logs)
    and its own ticket store: what its tests (schemathesis' reviews included) store never reaches the
    project's desk.db, which `export_feedback` would hand to the next `dvc repro`."""
    params_path = params_file(project_copy, AGENT_PARAMS | SCRUB_BUDGET_PARAMS, "agent-params.yaml")
    store = fresh_database_url("sqlite", tmp_path_factory.mktemp("agent-store"))
    env = {"CALLCENTER_PARAMS": str(params_path), DATABASE_URL_ENV: store}
    with serve(AGENT, project_copy, env=env, timeout=150) as (client, url, process):
        port = url.rsplit(":", 1)[1]
        server = AgentServer(client, url, process, project_copy / f"serve-{port}.log")
        server.wait_healthy()
        yield server
