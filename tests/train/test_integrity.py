"""One byte changed in a real champion's files, in the MLflow registry or in the BentoML store: refused."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.integrity import STORE_FOLDER
from devkit.project import copy_project, run
from devkit.servers import serve
from devkit.tamper import flip_byte, registry_folder

pytestmark = pytest.mark.slow
MODEL = "ticket-tfidf"
SERVICE = "bentos.tfidf_service:TfidfClassifier"


def import_stage(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`python -m train.import_bento tfidf`, whatever its exit code."""
    command = [sys.executable, "-m", "train.import_bento", "tfidf"]
    return subprocess.run(command, cwd=project, env={**os.environ, **env}, capture_output=True, text=True)


def test_tampered_artifacts_are_refused_by_the_import_stage_and_the_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(tmp_path / "project")
    store = tmp_path / "bentoml"
    env = {"MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path / 'mlflow.db'}", "BENTOML_HOME": str(store)}
    monkeypatch.setenv("MLFLOW_TRACKING_URI", env["MLFLOW_TRACKING_URI"])  # for registry_folder()
    run(["dvc", "repro", "train_tfidf"], project, env=env)
    registered = registry_folder(MODEL, "1") / "model.skops"

    offset = flip_byte(registered)
    refused = import_stage(project, env)
    assert refused.returncode == 1
    assert "changed: model.skops" in refused.stderr and "refusing to load it" in refused.stderr
    assert not (project / "served" / "tfidf.json").exists()
    assert not list(store.glob(f"models/{MODEL}/*/{STORE_FOLDER}")), "a copy that failed its check stays out"

    flip_byte(registered, offset)  # restored: the same bytes the gate hashed
    run(["dvc", "repro", "import_tfidf"], project, env=env)
    record = json.loads((project / "served" / "tfidf.json").read_text())
    assert len(record["sha256"]["model.skops"]) == 64

    stored = store / "models" / MODEL / record["bento_tag"].split(":")[1] / STORE_FOLDER / "model.skops"
    flip_byte(stored)
    with pytest.raises(RuntimeError) as failed, serve(SERVICE, project, env=env, timeout=30):
        pass
    assert "changed: model.skops" in str(failed.value) and record["bento_tag"] in str(failed.value)
    assert "changed: model.skops" in import_stage(project, env).stderr
