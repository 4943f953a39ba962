"""Session-wide temporary stores, a throwaway copy of the project, and the TF-IDF pipeline run in it."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SESSION_DIR = Path(tempfile.mkdtemp(prefix="callcenterai-tests-"))
# Set before anything imports bentoml or mlflow, so no test touches a real store.
os.environ["MLFLOW_TRACKING_URI"] = f"sqlite:///{SESSION_DIR / 'mlflow.db'}"
os.environ["BENTOML_HOME"] = str(SESSION_DIR / "bentoml")
os.environ["DVC_NO_ANALYTICS"] = "1"
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"

PROJECT_FILES = ("train", "router", "bentos", "monitoring", "params.yaml", "dvc.yaml", "bentofile.yaml", "data/starter")


def copy_project(destination: Path) -> Path:
    """Copy the code, params, pipeline and starter data (no stores, no outputs) and `dvc init` it."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        elif source.exists():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    run(["dvc", "init", "--no-scm", "-q"], destination)
    return destination


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run a command, failing the test with its output when it fails."""
    result = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def set_params(project: Path, changes: dict[str, Any]) -> None:
    """Set dotted keys (`"tfidf.svm.C": 1.0`) in the project copy's params.yaml."""
    path = project / "params.yaml"
    params = yaml.safe_load(path.read_text())
    for dotted, value in changes.items():
        *parents, leaf = dotted.split(".")
        node = params
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    path.write_text(yaml.safe_dump(params, sort_keys=False, allow_unicode=True))


@pytest.fixture(scope="session")
def project_copy() -> Path:
    """One copy of the project for the session's pipeline runs and servers."""
    return copy_project(SESSION_DIR / "project")


@pytest.fixture(scope="session")
def tfidf_pipeline(project_copy: Path) -> dict[str, str]:
    """`dvc repro import_tfidf` on the starter data; what was imported into the BentoML store."""
    run(["dvc", "repro", "import_tfidf"], project_copy)
    return json.loads((project_copy / "models" / "tfidf_bento.json").read_text())
