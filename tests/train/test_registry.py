"""The champion gate on a real MLflow sqlite registry: only a strictly better version takes `champion`,
and only a champion whose files match the digests the gate recorded is loaded."""

import json
import os
from functools import partial

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient

from core.errors import IntegrityError
from core.integrity import DIGEST_TAG, artifact_digests
from core.names import ModelName
from core.params import load_params
from devkit.tamper import flip_byte, registry_folder
from tests.train.test_tfidf import synthetic
from train.champions import predictor_at, registered_predictor
from train.evaluate import proba_macro_f1
from train.registry import GateDecision, GateSlice, gate, gate_slices
from train.tfidf import build_pipeline, log_pipeline

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


def register_and_gate(data: pd.DataFrame, slices: list[GateSlice]) -> GateDecision:
    version, _ = train_and_register(data)
    return gate(NAME, version, partial(predictor_at, ModelName.TFIDF), slices, load_params()["registry"])


@pytest.mark.usefixtures("private_registry")
def test_gate_promotes_only_a_strictly_better_version() -> None:
    test = synthetic(20, seed=6)
    slices = gate_slices(test, test.iloc[:0])  # no feedback yet
    clean = synthetic(30, seed=5)
    client = MlflowClient()

    weak = register_and_gate(with_class_merged(clean, lost="Storage", into="Access"), slices)
    assert weak.alias == "champion" and weak.champion_version is None and weak.comparisons == []

    worse = register_and_gate(with_shuffled_labels(clean, seed=2), slices)
    (on_test,) = worse.comparisons
    assert worse.alias == "challenger" and on_test.new_score < on_test.champion_score
    assert "<= " in client.get_model_version(NAME, worse.version).tags["gate"]

    better = register_and_gate(clean, slices)
    (on_test,) = better.comparisons
    assert better.alias == "champion" and better.champion_version == weak.version
    weak_model = registered_predictor(ModelName.TFIDF, f"models:/{NAME}/{weak.version}")
    weak_score = proba_macro_f1(test["label"], weak_model.predict_proba(test["text"].tolist()), weak_model.labels)
    assert on_test.champion_score == pytest.approx(weak_score)  # the champion was re-scored, not trusted
    assert on_test.new_score > on_test.champion_score
    assert client.get_model_version_by_alias(NAME, "champion").version == int(better.version)
    assert f"vs champion v{weak.version}" in client.get_model_version(NAME, better.version).tags["gate"]

    same = register_and_gate(clean, slices)  # the same training again: an equal score does not move the champion
    assert same.comparisons[0].new_score == pytest.approx(same.comparisons[0].champion_score)
    assert same.alias == "challenger"
    assert client.get_model_version_by_alias(NAME, "champion").version == int(better.version)


def gate_new_version(data: pd.DataFrame, test: pd.DataFrame) -> GateDecision:
    """Train on `data`, register, and run the gate against the current champion on `test` (no feedback)."""
    return register_and_gate(data, gate_slices(test, test.iloc[:0]))


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
    assert second.alias == "champion" and second.comparisons == []
    assert "has no recorded digests and was not loaded" in second.summary()


@pytest.mark.usefixtures("private_registry")
def test_a_version_worse_on_recent_feedback_stays_challenger_though_better_on_test() -> None:
    """Feedback says Storage tickets now belong to Access (a reorganisation): the champion already agrees."""
    clean = synthetic(30, seed=5)
    test = synthetic(20, seed=6)
    feedback = with_class_merged(synthetic(10, seed=7), lost="Storage", into="Access")
    feedback = feedback[feedback["label"] == "Access"]
    slices = gate_slices(test, feedback)

    champion = register_and_gate(with_class_merged(clean, lost="Storage", into="Access"), slices)
    candidate = register_and_gate(clean, slices)
    on_test, on_feedback = candidate.comparisons
    assert on_test.new_score > on_test.champion_score  # better on the fixed test split...
    assert on_feedback.new_score < on_feedback.champion_score  # ...but worse on what users said lately
    assert candidate.alias == "challenger"
    assert MlflowClient().get_model_version_by_alias(NAME, "champion").version == int(champion.version)
    assert f"on recent feedback ({len(feedback)} tickets)" in candidate.summary()
