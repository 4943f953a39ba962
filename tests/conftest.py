"""Session-wide temporary stores, a throwaway copy of the project, and the TF-IDF pipeline run in it."""

import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

from tests.project import copy_project, run, set_params  # noqa: F401  (re-exported for test modules)

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
    return json.loads((project_copy / "models" / "tfidf_bento.json").read_text())
