"""The champion gate: a new model version takes `champion` only if it beats the current one.

The gate also records the sha256 of every artifact file of the new version (model-version tag
`artifact_sha256`), and checks the champion's files against its own record before re-scoring it.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mlflow
import mlflow.artifacts
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from core.integrity import DIGEST_TAG, artifact_digests, decode_digests, encode_digests, verify_artifacts


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
        if self.champion_score is None:
            return head + f", champion v{self.champion_version} has no recorded digests and was not loaded)"
        relation = ">" if self.alias == "champion" else "<="
        return head + f" {relation} champion v{self.champion_version} {self.champion_score:.4f} on this test split)"


def current_champion(client: MlflowClient, model_name: str, alias: str) -> str | None:
    """The version holding `alias`, or None when there is none yet."""
    try:
        return str(client.get_model_version_by_alias(model_name, alias).version)
    except MlflowException:
        return None


def download_version(model_name: str, version: str) -> Path:
    """A registered version's model folder on this machine (the store's own files for a local store)."""
    return Path(mlflow.artifacts.download_artifacts(artifact_uri=f"models:/{model_name}/{version}"))


def record_digests(client: MlflowClient, model_name: str, version: str) -> dict[str, str]:
    """sha256 of each artifact file of `version`, stored as its `artifact_sha256` tag."""
    digests = artifact_digests(download_version(model_name, version))
    client.set_model_version_tag(model_name, version, DIGEST_TAG, encode_digests(digests))
    return digests


def verified_version(client: MlflowClient, model_name: str, version: str) -> Path:
    """The version's model folder, after checking its files against its `artifact_sha256` tag."""
    what = f"{model_name} v{version}"
    expected = decode_digests(client.get_model_version(model_name, version).tags.get(DIGEST_TAG), what)
    folder = download_version(model_name, version)
    verify_artifacts(folder, expected, what)
    return folder


def champion_score_of(
    client: MlflowClient, model_name: str, version: str, score_version: Callable[[Path], float]
) -> float | None:
    """The champion re-scored from its verified files; None for one registered before digests existed.

    Such a champion (e.g. a cloudpickle from before the skops format) is never loaded: the new
    version, which carries digests, replaces it. Files that differ from recorded digests raise.
    """
    if DIGEST_TAG not in client.get_model_version(model_name, version).tags:
        print(f"gate: champion {model_name} v{version} has no {DIGEST_TAG} tag: not loaded, the new version wins")
        return None
    return score_version(verified_version(client, model_name, version))


def gate(
    model_name: str,
    version: str,
    test_metrics: dict[str, float],
    score_version: Callable[[Path], float],
    registry_params: dict,
) -> GateDecision:
    """Give `version` the champion alias if it beats the champion re-scored on the same test split.

    The new version's `registry.gate_metric` (from its `test_metrics`) and `score_version(model_dir)`
    of the champion's verified model folder are both scored on the current test split, so a champion
    trained on other data or another split is judged on equal terms. A champion whose files differ
    from its recorded digests stops the gate (IntegrityError): no alias moves.
    """
    metric = registry_params["gate_metric"]
    new_score = test_metrics[metric]
    client = MlflowClient()
    record_digests(client, model_name, version)
    champion_alias, challenger_alias = registry_params["champion_alias"], registry_params["challenger_alias"]
    champion_version = current_champion(client, model_name, champion_alias)
    champion_score = None
    if champion_version is not None:
        champion_score = champion_score_of(client, model_name, champion_version, score_version)
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
