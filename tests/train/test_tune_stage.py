"""`dvc repro tune_routing`: thresholds chosen on validation go to a DVC output the agent reads."""

import json
from pathlib import Path

import mlflow.artifacts
import pandas as pd
import pytest
import yaml
from mlflow import MlflowClient

from devkit.project import run
from router.policy import TUNED_KEYS, load_routing_config

pytestmark = pytest.mark.slow


def test_tune_stage_writes_thresholds_from_the_grid_and_leaves_params_alone(
    project_copy: Path, tfidf_pipeline: dict, transformer_in_project: dict
) -> None:
    params_before = (project_copy / "params.yaml").read_text()
    # Forced, this stage alone: the routing_in_project fixture may have run it already.
    result = run(["dvc", "repro", "-f", "-s", "tune_routing"], project_copy, env={"HF_HUB_OFFLINE": "1"})
    assert "cost/accuracy frontier" in result.stdout
    assert (project_copy / "params.yaml").read_text() == params_before
    report = json.loads((project_copy / "served" / "routing.json").read_text())
    grid = yaml.safe_load(params_before)["router"]["sweep"]
    assert set(report["thresholds"]) == set(TUNED_KEYS)
    for key, value in report["thresholds"].items():
        assert value in grid[key]
    assert 0.0 <= report["share_to_transformer"] <= 1.0 and 0.0 <= report["agent_macro_f1"] <= 1.0
    assert report["share_en_to_transformer"] <= grid["budget"]["max_transformer_share"]
    # The tune run in MLflow: the frontier plot, the frontier and sweep tables, the choice.
    tune_run = MlflowClient().get_run(report["mlflow_run_id"])
    assert tune_run.data.metrics["agent_macro_f1"] == pytest.approx(report["agent_macro_f1"])
    logged = {artifact.path for artifact in MlflowClient().list_artifacts(tune_run.info.run_id, "routing")}
    assert logged == {"routing/frontier.png", "routing/frontier.csv", "routing/sweep.csv"}
    frontier = pd.read_csv(
        mlflow.artifacts.download_artifacts(run_id=tune_run.info.run_id, artifact_path="routing/frontier.csv")
    )
    assert frontier["share_all"].is_monotonic_increasing and frontier["macro_f1"].is_monotonic_increasing
    assert len(frontier) <= tune_run.data.metrics["settings"]
    baseline = report["baseline"]  # what the agent's drift gauges compare served tickets with
    assert sum(baseline["languages"].values()) == pytest.approx(1.0) and {"en", "fr", "ar"} <= set(
        baseline["languages"]
    )
    assert sum(baseline["categories"].values()) == pytest.approx(1.0)
    assert 0.0 < baseline["mean_confidence"] <= 1.0 and 0.0 <= baseline["oov_share"] <= 1.0


def test_the_agent_routes_with_the_tuned_thresholds_over_the_defaults(tmp_path: Path) -> None:
    router = yaml.safe_load((Path(__file__).resolve().parents[2] / "params.yaml").read_text())["router"]
    tuned = {"min_confidence": 0.9, "min_margin": 0.05, "max_words": 50, "ensemble_weight": 0.7}
    (tmp_path / "routing.json").write_text(json.dumps({"thresholds": tuned}))
    assert (
        load_routing_config({**router, "tuned_thresholds": str(tmp_path / "missing.json")}).min_confidence
        == (router["min_confidence"])
    )
    config = load_routing_config({**router, "tuned_thresholds": str(tmp_path / "routing.json")})
    assert {key: getattr(config, key) for key in TUNED_KEYS} == tuned
    assert config.max_chars == router["max_chars"]
