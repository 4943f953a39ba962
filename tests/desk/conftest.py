"""A served agent (with its desk): one on SQLite for the package, one on PostgreSQL where a test needs it."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from devkit.servers import serve
from devkit.stores import fresh_database_url
from store.database import DATABASE_URL_ENV
from tests.agent.conftest import AGENT, AGENT_PARAMS, params_file

# The agent's test settings, and every answer flagged for review, so the review queue fills up.
# Retraining is recommended after a few served tickets (every one flagged: the review share rises) and 3 corrections.
DESK_PARAMS = {
    **AGENT_PARAMS,
    "router.review_threshold": 0.99,
    "router.log_level": "INFO",
    "drift.min_tickets": 5,
    "loop.retrain_after_corrections": 3,
}
TICKETS = {
    "hardware": "Hi, this is John Smith (john.smith@example.com): my laptop screen is cracked and the dock "
    "no longer charges it.",
    "access": "I cannot log in to my account since my password expired, please reset it.",
    "french": "Bonjour, je suis Marie Dubois, mon imprimante ne fonctionne plus depuis ce matin, merci de m'aider.",
}


@dataclass
class Desk:
    """A served agent's base URL, an HTTP client on it, the database it stores into, its log and server PID."""

    url: str
    http: httpx.Client
    database_url: str
    log: Path
    pid: int

    def create(self, text: str, **fields: object) -> dict:
        response = self.http.post("/tickets", json={"text": text, **fields})
        assert response.status_code in (200, 201), response.text
        return response.json()


@contextmanager
def served_desk(
    project: Path, database_url: str, name: str = "desk", env: dict[str, str] | None = None, timeout: float = 150
) -> Iterator[Desk]:
    """`bentoml serve` of the agent (and its desk) storing into `database_url`; `name` names its params file."""
    params = params_file(project, DESK_PARAMS, f"{name}-params.yaml")
    env = {**(env or {}), "CALLCENTER_PARAMS": str(params), DATABASE_URL_ENV: database_url}
    with serve(AGENT, project, env=env, timeout=timeout) as (_client, url, process):
        port = url.rsplit(":", 1)[1]
        with httpx.Client(base_url=url, timeout=60) as http:
            yield Desk(url, http, database_url, project / f"serve-{port}.log", process.pid)


@pytest.fixture(scope="package")
def desk(
    project_copy: Path,
    tfidf_pipeline: dict,
    transformer_in_project: dict,
    intents_in_project: Path,
    routing_in_project: dict,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Desk]:
    """One served desk on its own SQLite file, shared by the package's modules (tests never assume it empty)."""
    url = fresh_database_url("sqlite", tmp_path_factory.mktemp("desk"))
    with served_desk(project_copy, url) as served:
        yield served
