"""The champion gate on a real MLflow sqlite registry: only a strictly better version takes `champion`,
and only a champion whose files match the digests the gate recorded is loaded."""

import json
import os

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient

from core.errors import IntegrityError
from core.integrity import DIGEST_TAG, artifact_digests
from core.params import load_params
from devkit.tamper import flip_byte, registry_folder
from tests.train.test_tfidf import synthetic
from train.evaluate import gate_metric
from train.registry import gate
from train.tfidf import build_pipeline, log_pipeline, registered_score

NAME = "gate-test"


def with_class_merged(data: pd.DataFrame, lost: str, into: str) -> pd.DataFrame:
    """Every `lost` ticket labelled `into`: a model that never predicts one class (a weaker champion)."""
    return data.assign(label=data["label"].replace(lost, into))


def with_shuffled_labels(data: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Labels unrelated to the texts: a model near chance."""
    return data.assign(label=np.random.default_rng(seed).permutation(data["label"].to_numpy()))


def train_and_register(data: pd.DataFrame) -> tuple[str, object]:
    params = load_params()
    model = build_pipeline(
        params["tfidf"]["candidates"]["word"], params["tfidf"]["svm"], params["tfidf"]["calibration"], seed=0
    ).fit(data[["text"]], data["label"])
    with mlflow.start_run():
        info = log_pipeline(model, NAME, data[["text"]].head(5))
    return str(info.registered_model_version), model


@pytest.fixture
def private_registry(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """A registry of this test's own, so the session's store is untouched.

    mlflow.set_tracking_uri also sets $MLFLOW_TRACKING_URI (for subprocesses): both are restored.
    """
    session_uri = os.environ["MLFLOW_TRACKING_URI"]
    monkeypatch.setenv("MLFLOW_TRACKING_URI", session_uri)
    mlflow.set_tracking_uri(f"sqlite:///{tmp_path / 'registry.db'}")
    yield
    mlflow.set_tracking_uri(session_uri)


@pytest.mark.usefixtures("private_registry")
def test_gate_promotes_only_a_strictly_better_version() -> None:
    registry = load_params()["registry"]
    score = gate_metric(registry["gate_metric"])
    test = synthetic(20, seed=6)
    clean = synthetic(30, seed=5)
    client = MlflowClient()

    def register_and_gate(data: pd.DataFrame):
        version, model = train_and_register(data)
        new_score = score(test["label"], model.predict_proba(test[["text"]]), list(model.classes_))
        metrics = {registry["gate_metric"]: new_score}
        return gate(NAME, version, metrics, lambda model_dir: registered_score(model_dir, test, score), registry)

    weak = register_and_gate(with_class_merged(clean, lost="Storage", into="Access"))
    assert weak.alias == "champion" and weak.champion_version is None

    worse = register_and_gate(with_shuffled_labels(clean, seed=2))
    assert worse.alias == "challenger" and worse.new_score < weak.new_score
    assert "<= champion v1" in client.get_model_version(NAME, worse.version).tags["gate"]

    better = register_and_gate(clean)
    assert better.new_score > weak.new_score
    assert better.alias == "champion" and better.champion_version == weak.version
    assert better.champion_score == pytest.approx(weak.new_score)  # the champion was re-scored, not trusted
    assert client.get_model_version_by_alias(NAME, "champion").version == int(better.version)
    assert "> champion v1" in client.get_model_version(NAME, better.version).tags["gate"]

    same = register_and_gate(clean)  # the same training again: an equal score does not move the champion
    assert same.new_score == pytest.approx(better.new_score)
    assert same.alias == "challenger"
    assert client.get_model_version_by_alias(NAME, "champion").version == int(better.version)


def gate_new_version(data: pd.DataFrame, test: pd.DataFrame):
    """Train on `data`, register, and run the gate against the current champion on `test`."""
    registry = load_params()["registry"]
    score = gate_metric(registry["gate_metric"])
    version, model = train_and_register(data)
    metrics = {registry["gate_metric"]: score(test["label"], model.predict_proba(test[["text"]]), list(model.classes_))}
    return gate(NAME, version, metrics, lambda model_dir: registered_score(model_dir, test, score), registry)


@pytest.mark.usefixtures("private_registry")
def test_gate_records_digests_and_refuses_a_champion_with_one_byte_changed() -> None:
    client = MlflowClient()
    test = synthetic(20, seed=6)
    first = gate_new_version(with_class_merged(synthetic(30, seed=5), lost="Storage", into="Access"), test)
    digests = json.loads(client.get_model_version(NAME, first.version).tags[DIGEST_TAG])
    folder = registry_folder(NAME, first.version)
    assert digests == artifact_digests(folder) and "model.skops" in digests
    flip_byte(folder / "model.skops")
    with pytest.raises(IntegrityError, match=r"changed: model\.skops"):
        gate_new_version(synthetic(30, seed=5), test)
    assert client.get_model_version_by_alias(NAME, "champion").version == int(first.version)


@pytest.mark.usefixtures("private_registry")
def test_a_champion_without_digests_is_never_loaded_and_gives_way() -> None:
    client = MlflowClient()
    test = synthetic(20, seed=6)
    first = gate_new_version(synthetic(30, seed=5), test)
    client.delete_model_version_tag(NAME, first.version, DIGEST_TAG)  # as registered before digests existed
    flip_byte(registry_folder(NAME, first.version) / "model.skops")  # loading it would fail loudly
    second = gate_new_version(with_shuffled_labels(synthetic(30, seed=5), seed=2), test)
    assert second.alias == "champion" and second.champion_score is None
    assert "has no recorded digests and was not loaded" in second.summary()
