"""The champion gate on a real MLflow sqlite registry: a worse model never takes `champion`."""

import os

import mlflow
import mlflow.sklearn
import numpy as np
import pytest
from mlflow import MlflowClient

from tests.train.test_tfidf import synthetic
from train.params import load_params
from train.registry import gate
from train.tfidf import build_pipeline, macro_f1, pip_requirements


def train_and_register(model_name: str, shuffle_labels: bool) -> tuple[str, object]:
    params = load_params()
    data = synthetic(30, seed=5)
    if shuffle_labels:
        data["label"] = np.random.default_rng(0).permutation(data["label"].to_numpy())
    model = build_pipeline(
        params["tfidf"]["candidates"]["word"], params["tfidf"]["svm"], params["tfidf"]["calibration"], seed=0
    ).fit(data[["text"]], data["label"])
    with mlflow.start_run():
        info = mlflow.sklearn.log_model(
            model,
            name="model",
            serialization_format="cloudpickle",
            pip_requirements=pip_requirements(),
            registered_model_name=model_name,
        )
    return str(info.registered_model_version), model


@pytest.fixture
def private_registry(tmp_path):
    """A registry of this test's own, so the session's store is untouched."""
    mlflow.set_tracking_uri(f"sqlite:///{tmp_path / 'registry.db'}")
    yield
    mlflow.set_tracking_uri(os.environ["MLFLOW_TRACKING_URI"])


@pytest.mark.usefixtures("private_registry")
def test_worse_model_becomes_challenger_and_better_one_takes_champion() -> None:
    registry = load_params()["registry"]
    test = synthetic(10, seed=6)
    name = "gate-test"

    def score(uri: str) -> float:
        return macro_f1(mlflow.sklearn.load_model(uri), test)

    good_version, good = train_and_register(name, shuffle_labels=False)
    first = gate(name, good_version, macro_f1(good, test), score, registry)
    assert first.alias == "champion" and first.champion_version is None

    bad_version, bad = train_and_register(name, shuffle_labels=True)
    second = gate(name, bad_version, macro_f1(bad, test), score, registry)
    client = MlflowClient()
    assert second.alias == "challenger"
    assert client.get_model_version_by_alias(name, "champion").version == int(good_version)
    assert client.get_model_version_by_alias(name, "challenger").version == int(bad_version)
    assert "<= champion v1" in client.get_model_version(name, bad_version).tags["gate"]

    better_version, better = train_and_register(name, shuffle_labels=False)
    # Equal scores do not move the champion: only a strictly better model does.
    third = gate(name, better_version, macro_f1(better, test), score, registry)
    assert third.alias == "challenger"
    assert client.get_model_version_by_alias(name, "champion").version == int(good_version)
