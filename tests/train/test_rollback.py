"""Served models are the champions: moving the `champion` alias back (a rollback) is what gets served."""

import json
from pathlib import Path

import pytest
from mlflow import MlflowClient

from devkit.project import copy_project, run, set_params
from devkit.servers import serve

pytestmark = pytest.mark.slow
MODEL = "ticket-tfidf"


def served_tag(project: Path) -> str:
    return json.loads((project / "served" / "tfidf.json").read_text())["bento_tag"]


def served_version(project: Path, env: dict[str, str]) -> str:
    """The tag a freshly started TF-IDF service answers with (services load their champion at start)."""
    with serve("bentos.tfidf_service:TfidfClassifier", project, env=env) as (client_http, _, _):
        (prediction,) = client_http.predict(texts=["my laptop screen is cracked"])
    return f"{prediction['model']['name']}:{prediction['model']['version']}"


def test_rolled_back_champion_is_served_after_dvc_repro(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    tracking_uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    env = {"MLFLOW_TRACKING_URI": tracking_uri, "BENTOML_HOME": str(tmp_path / "bentoml")}
    client = MlflowClient(tracking_uri=tracking_uri)

    run(["dvc", "repro", "import_tfidf"], project, env=env)
    first = served_tag(project)
    set_params(project, {"tfidf.svm.C": 2.0})  # a second version, whatever the gate thinks of it
    run(["dvc", "repro", "import_tfidf"], project, env=env)
    client.set_registered_model_alias(MODEL, "champion", "2")  # promoted by hand, as an operator would
    run(["dvc", "repro", "import_tfidf"], project, env=env)
    second = served_tag(project)
    assert first.startswith(f"{MODEL}:v1-") and second.startswith(f"{MODEL}:v2-")
    assert served_version(project, env) == second  # a restarted server serves the new champion

    client.set_registered_model_alias(MODEL, "champion", "1")  # the rollback: nothing in the project changed
    result = run(["dvc", "repro", "import_tfidf"], project, env=env)
    assert "Running stage 'train_tfidf'" not in result.stdout
    assert served_tag(project) == first

    assert served_version(project, env) == first
