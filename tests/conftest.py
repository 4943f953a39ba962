"""Session-wide temporary stores, a throwaway copy of the project, and the TF-IDF pipeline run in it."""

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from devkit.postgres import PostgresServer, postgres_server
from devkit.project import copy_project, run, set_params
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
    """`dvc repro train_intents` in the shared project copy: the desk chat's classifier (seconds)."""
    run(["dvc", "repro", "train_intents"], project_copy)
    return project_copy / "served" / "intents.skops"
