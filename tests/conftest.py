"""Session-wide temporary stores, a throwaway copy of the project, and the TF-IDF pipeline run in it."""

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from devkit.postgres import PostgresServer, postgres_server
from devkit.project import REPO, copy_project, run, set_params
from tests.transformer.tiny_backbone import TINY_TRAINING, build_tiny_backbone, starter_texts

SESSION_DIR = Path(tempfile.mkdtemp(prefix="callcenterai-tests-"))
# Set before anything imports bentoml or mlflow, so no test touches a real store.
os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{SESSION_DIR / 'mlflow.db'}"
os.environ["BENTOML_HOME"] = str(SESSION_DIR / "bentoml")
os.environ["DVC_NO_ANALYTICS"] = "1"
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"


@pytest.fixture(scope="session")
def project_copy() -> Path:
    """One copy of the project for the session's pipeline runs and servers."""
    return copy_project(SESSION_DIR / "project")


@pytest.fixture(scope="session")
def tfidf_pipeline(project_copy: Path) -> dict[str, str]:
    """`dvc repro import_tfidf` on the starter data; what was imported into the BentoML store."""
    run(["dvc", "repro", "import_tfidf"], project_copy)
    return json.loads((project_copy / "served" / "tfidf.json").read_text())


@pytest.fixture(scope="session")
def tiny_backbone() -> Path:
    """A local, randomly initialised checkpoint with a tokenizer built from the starter data: seconds, no download."""
    return build_tiny_backbone(starter_texts(), SESSION_DIR / "tiny-backbone")


@pytest.fixture(scope="session")
def transformer_in_project(project_copy: Path, tfidf_pipeline: dict, tiny_backbone: Path) -> dict:
    """`dvc repro import_transformer` in the shared project copy on the tiny backbone (via the fallback path).

    The agent, monitoring and Bento tests need a real served transformer, not a good one: seconds of training.
    """
    set_params(project_copy, {**TINY_TRAINING, "transformer.fallback_backbone": str(tiny_backbone)})
    run(["dvc", "repro", "import_transformer"], project_copy, env={"HF_HUB_OFFLINE": "1"})
    return json.loads((project_copy / "served" / "transformer.json").read_text())


@pytest.fixture(scope="session")
def routing_in_project(project_copy: Path, transformer_in_project: dict) -> dict:
    """`dvc repro tune_routing` in the shared project copy: served/routing.json, the agent's drift baseline."""
    run(["dvc", "repro", "tune_routing"], project_copy, env={"HF_HUB_OFFLINE": "1"})
    return json.loads((project_copy / "served" / "routing.json").read_text())


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One real PostgreSQL server (Debian's package, `make desk-tools`) for the session; a database per test."""
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def intents_in_project(project_copy: Path) -> Path:
    """`dvc repro train_intents` in the shared project copy: the desk chat's classifier (under a minute)."""
    run(["dvc", "repro", "train_intents"], project_copy)
    return project_copy / "served" / "intents.skops"


# The multilingual tickets (queue + priority) beside the checkout, as CI has them (../shared/data).
MULTILINGUAL = REPO.parent / "shared" / "data" / "multilingual_support_tickets.csv"
PRIORITY_QUEUES, PRIORITY_ROWS_PER_QUEUE = 4, 80
# Own registered names (one MLflow store per session); the priority comparison kept to seconds: TF-IDF
# and the multitask encoder on the tiny backbone, one short epoch. Any F1 drop is accepted, so the
# fastest candidate is served (the tiny encoder, in practice): serving a multitask priority head is exercised.
PRIORITY_PROJECT_PARAMS = {
    "registry.tfidf_model": "ticket-tfidf-priority-tests",
    "registry.transformer_model": "ticket-transformer-priority-tests",
    "priority.candidates": ["tfidf", "encoder_multitask"],
    "priority.max_f1_drop": 1.0,
    "priority.encoder.max_train_samples": 120,
    "priority.encoder.epochs": 1,
    "priority.encoder.max_length": 32,
    "priority.latency_samples": 4,
}


def priority_sample(destination: Path) -> Path:
    """A seeded sample of the multilingual tickets: their most common queues, every priority level."""
    if not MULTILINGUAL.is_file():
        pytest.skip(f"{MULTILINGUAL} not found: the priority tests need ../shared/data beside the checkout")
    tickets = pd.read_csv(MULTILINGUAL)
    queues = tickets["queue"].value_counts().index[:PRIORITY_QUEUES]
    sample = tickets[tickets["queue"].isin(queues)].groupby("queue").sample(PRIORITY_ROWS_PER_QUEUE, random_state=0)
    sample.to_csv(destination, index=False)
    return destination


@pytest.fixture(scope="session")
def priority_project(tiny_backbone: Path) -> dict:
    """A project copy trained on data with a priority column: both category models and the priority comparison."""
    project = copy_project(SESSION_DIR / "priority-project")
    data = priority_sample(SESSION_DIR / "priority-tickets.csv")
    set_params(
        project,
        {
            **TINY_TRAINING,
            **PRIORITY_PROJECT_PARAMS,
            "transformer.fallback_backbone": str(tiny_backbone),
            "data.path": str(data),
        },
    )
    run(["dvc", "repro", "import_tfidf", "import_transformer", "import_priority"], project, env={"HF_HUB_OFFLINE": "1"})
    return {
        "project": project,
        "data": data,
        "metrics": json.loads((project / "metrics" / "priority.json").read_text()),
        "served": json.loads((project / "served" / "priority.json").read_text()),
    }
