"""The champion gate: a new model version takes `champion` only if it beats the current one."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mlflow
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException


@dataclass
class GateDecision:
    """Where a newly registered version landed, and the scores that decided it."""

    model_name: str
    version: str
    alias: str
    metric: str
    new_score: float
    champion_version: str | None
    champion_score: float | None

    def summary(self) -> str:
        """One line for the console and the run's tags."""
        head = f"{self.model_name} v{self.version} -> {self.alias} ({self.metric} {self.new_score:.4f}"
        if self.champion_version is None:
            return head + ", no previous champion)"
        relation = ">" if self.alias == "champion" else "<="
        return head + f" {relation} champion v{self.champion_version} {self.champion_score:.4f} on this test split)"


def current_champion(client: MlflowClient, model_name: str, alias: str) -> str | None:
    """The version holding `alias`, or None when there is none yet."""
    try:
        return str(client.get_model_version_by_alias(model_name, alias).version)
    except MlflowException:
        return None


def gate(
    model_name: str,
    version: str,
    test_metrics: dict[str, float],
    score_version: Callable[[str], float],
    registry_params: dict,
) -> GateDecision:
    """Give `version` the champion alias if it beats the champion re-scored on the same test split.

    The new version's `registry.gate_metric` (from its `test_metrics`) and `score_version(model_uri)`
    are both scored on the current test split, so a champion trained on other data or another split
    is judged on equal terms.
    """
    metric = registry_params["gate_metric"]
    new_score = test_metrics[metric]
    client = MlflowClient()
    champion_alias, challenger_alias = registry_params["champion_alias"], registry_params["challenger_alias"]
    champion_version = current_champion(client, model_name, champion_alias)
    champion_score = None
    if champion_version is not None:
        champion_score = score_version(f"models:/{model_name}/{champion_version}")
    wins = champion_score is None or new_score > champion_score
    alias = champion_alias if wins else challenger_alias
    client.set_registered_model_alias(model_name, alias, version)
    decision = GateDecision(model_name, version, alias, metric, new_score, champion_version, champion_score)
    client.set_model_version_tag(model_name, version, "gate", decision.summary())
    if mlflow.active_run():
        mlflow.set_tag("gate", decision.summary())
    return decision


def write_stage_metrics(
    path: Path, decision: GateDecision, run_id: str, metrics: dict[str, float], **details: Any
) -> None:
    """A training stage's DVC metrics file: what it trained, where the gate put it, its test metrics."""
    summary = {
        **details,
        "run_id": run_id,
        "version": decision.version,
        "alias": decision.alias,
        **{name: round(value, 4) for name, value in metrics.items()},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2) + "\n")
