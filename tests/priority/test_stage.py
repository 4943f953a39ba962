"""The priority stages for real (`dvc repro`): with a priority column, and without one (nothing breaks)."""

import json
from pathlib import Path

import bentoml
import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient

from devkit.project import run
from models.priority import load_priority_predictor
from models.transformer import TransformerPredictor, packaged_model_dir

pytestmark = pytest.mark.slow
LEVELS = ["high", "low", "medium"]


def test_candidates_are_compared_and_the_fastest_within_the_f1_drop_is_served(priority_project: dict) -> None:
    metrics, served = priority_project["metrics"], priority_project["served"]
    candidates = metrics["candidates"]
    assert metrics["trained"] is True and set(candidates) == {"tfidf", "encoder_multitask"}
    best = max(summary["val_macro_f1"] for summary in candidates.values())
    eligible = [name for name, summary in candidates.items() if summary["val_macro_f1"] >= best - 1.0]
    assert metrics["served"] == min(eligible, key=lambda name: candidates[name]["latency_ms"])
    for summary in candidates.values():
        assert set(summary["confusion"]["argmax"]) == set(LEVELS)
        assert 0 <= summary["test_threshold"]["recall_high"] <= 1 and summary["latency_ms"] > 0
    assert 0 <= candidates["encoder_multitask"]["category_test_macro_f1"] <= 1  # the multitask model's other head
    totals = {
        name: sum(sum(row.values()) for row in s["confusion"]["threshold"].values()) for name, s in candidates.items()
    }
    assert len(set(totals.values())) == 1 and min(totals.values()) > 0  # one test split for every candidate
    assert served["served"] and served["candidate"] == metrics["served"]
    assert served["rule"] == {"urgent": "high", "threshold": metrics["threshold"], "min_recall": 0.85}
    assert bentoml.models.get(served["bento_tag"]).info.labels["mlflow_model"] == "ticket-priority"


def test_every_candidate_is_logged_to_mlflow_with_both_confusion_matrices(priority_project: dict) -> None:
    client = MlflowClient()
    version = client.get_model_version(
        priority_project["served"]["mlflow_model"], priority_project["served"]["mlflow_version"]
    )
    parent = client.get_run(version.run_id)
    assert parent.data.tags["priority_candidate"] == priority_project["metrics"]["served"]
    assert float(parent.data.tags["priority_threshold"]) == priority_project["metrics"]["threshold"]
    children = client.search_runs([parent.info.experiment_id], f"tags.mlflow.parentRunId = '{parent.info.run_id}'")
    assert {child.info.run_name for child in children} == {"priority-tfidf", "priority-encoder_multitask"}
    for child in children:
        assert {"test_macro_f1", "test_rule_recall_high", "threshold", "latency_ms"} <= set(child.data.metrics)
        logged = {item.path for item in client.list_artifacts(child.info.run_id, "test")}
        assert {"test/confusion.json", "test/confusion_matrix.png", "test/confusion_matrix_threshold.png"} <= logged
    assert "comparison.json" in {item.path for item in client.list_artifacts(parent.info.run_id)}


def test_the_served_priority_model_gives_probabilities_over_the_levels(priority_project: dict) -> None:
    model_dir = bentoml.models.get(priority_project["served"]["bento_tag"]).path_of("mlflow_model")
    predictor = load_priority_predictor(model_dir)
    proba = predictor.predict_proba(["The whole service is down for every customer", "Question about an invoice"])
    assert predictor.labels == LEVELS and proba.shape == (2, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    if priority_project["served"]["candidate"] == "encoder_multitask":  # one encoder, two heads
        category = TransformerPredictor(packaged_model_dir(model_dir), head="category")
        queues = sorted(pd.read_csv(priority_project["data"])["queue"].unique())
        assert category.labels == queues and category.predict_proba(["VPN down"]).shape == (1, len(queues))


def test_without_a_priority_column_nothing_is_trained_or_served(project_copy: Path, tfidf_pipeline: dict) -> None:
    run(["dvc", "repro", "import_priority"], project_copy)
    reason = "the data has no priority column (add `priority` to its layout in data.layouts)"
    assert json.loads((project_copy / "metrics" / "priority.json").read_text()) == {"trained": False, "reason": reason}
    assert json.loads((project_copy / "served" / "priority.json").read_text()) == {"served": False, "reason": reason}
