"""A retrain killed mid-way leaves the champion, the served record and the running server untouched."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mlflow import MlflowClient

from devkit.project import copy_project, run, set_params
from devkit.servers import serve

pytestmark = pytest.mark.slow
MODEL = "ticket-tfidf"


def wait_for_running_training(tracking_uri: str, process: subprocess.Popen, timeout: float = 120) -> None:
    """Until MLflow shows the new training run in progress (the model is being fitted)."""
    client = MlflowClient(tracking_uri=tracking_uri)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        experiment = client.get_experiment_by_name("callcenterai")
        runs = client.search_runs([experiment.experiment_id], "attributes.status = 'RUNNING'") if experiment else []
        if runs:
            return
        time.sleep(0.1)
    raise AssertionError(f"no training run seen in progress (exit code {process.poll()})")


def test_killing_a_retrain_changes_nothing_that_is_served(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    tracking_uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    env = {"MLFLOW_TRACKING_URI": tracking_uri, "BENTOML_HOME": str(tmp_path / "bentoml")}
    run(["dvc", "repro", "import_tfidf"], project, env=env)
    record = (project / "served" / "tfidf.json").read_text()
    client = MlflowClient(tracking_uri=tracking_uri)

    with serve("bentos.tfidf_service:TfidfClassifier", project, env=env) as (http, _, _):
        served_before = http.predict(texts=["my laptop screen is cracked"])[0]
        set_params(project, {"tfidf.svm.C": 2.0})
        retrain = subprocess.Popen(
            ["dvc", "repro", "import_tfidf"],
            cwd=project,
            env={**os.environ, **env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for_running_training(tracking_uri, retrain)
        os.killpg(retrain.pid, signal.SIGKILL)  # a crash, not a polite stop
        retrain.wait()
        served_after = http.predict(texts=["my laptop screen is cracked"])[0]

    assert served_after == served_before
    assert (project / "served" / "tfidf.json").read_text() == record
    versions = client.search_model_versions(f"name='{MODEL}'")
    assert [int(version.version) for version in versions] == [1]
    assert client.get_model_version_by_alias(MODEL, "champion").version == 1
    assert json.loads(record)["bento_tag"].startswith(f"{MODEL}:v1-")

    result = run(["dvc", "repro", "import_tfidf"], project, env=env)  # the next retrain simply runs
    assert "Running stage 'train_tfidf'" in result.stdout
