"""The champion gate: a new model version takes `champion` only if it beats the current one on the
test split and is not worse on the recent-feedback slice.

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
import pandas as pd
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from core.columns import LABEL, TEXT
from core.integrity import DIGEST_TAG, artifact_digests, decode_digests, encode_digests, verify_artifacts
from train.champions import Predictor
from train.evaluate import ProbaScore, gate_metric


@dataclass(frozen=True)
class GateSlice:
    """Tickets both versions are scored on: the test split (must be beaten) or recent feedback (not worse)."""

    name: str
    frame: pd.DataFrame
    must_beat: bool


@dataclass(frozen=True)
class Comparison:
    """The new version and the champion on one slice, scored by the same function."""

    name: str
    rows: int
    new_score: float
    champion_score: float
    must_beat: bool

    @property
    def passed(self) -> bool:
        """Strictly better where it must beat, at least as good elsewhere."""
        return self.new_score > self.champion_score if self.must_beat else self.new_score >= self.champion_score

    def describe(self) -> str:
        relation = (">" if self.passed else "<=") if self.must_beat else (">=" if self.passed else "<")
        return f"{self.new_score:.4f} {relation} {self.champion_score:.4f} on {self.name} ({self.rows} tickets)"


@dataclass
class GateDecision:
    """Where a newly registered version landed, and the comparisons that decided it."""

    model_name: str
    version: str
    alias: str
    metric: str
    champion_version: str | None
    comparisons: list[Comparison]

    def summary(self) -> str:
        """One line for the console and the run's tags."""
        head = f"{self.model_name} v{self.version} -> {self.alias} ({self.metric}"
        if self.champion_version is None:
            return head + ": no previous champion)"
        if not self.comparisons:
            return head + f": champion v{self.champion_version} has no recorded digests and was not loaded)"
        return (
            head + f" vs champion v{self.champion_version}: " + "; ".join(c.describe() for c in self.comparisons) + ")"
        )


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


def has_digests(client: MlflowClient, model_name: str, version: str) -> bool:
    """Whether `version` carries digests; one registered before them (e.g. a cloudpickle) is never loaded."""
    if DIGEST_TAG in client.get_model_version(model_name, version).tags:
        return True
    print(f"gate: champion {model_name} v{version} has no {DIGEST_TAG} tag: not loaded, the new version wins")
    return False


def compare(new: Predictor, champion: Predictor, score: ProbaScore, slices: list[GateSlice]) -> list[Comparison]:
    """Both versions scored on every non-empty slice with the same function."""

    def rate(model: Predictor, frame: pd.DataFrame) -> float:
        return score(frame[LABEL], model.predict_proba(frame[TEXT].tolist()), model.labels)

    return [
        Comparison(item.name, len(item.frame), rate(new, item.frame), rate(champion, item.frame), item.must_beat)
        for item in slices
        if len(item.frame)
    ]


def gate(
    model_name: str,
    version: str,
    load: Callable[[Path], Predictor],
    slices: list[GateSlice],
    registry_params: dict,
) -> GateDecision:
    """Give `version` the champion alias if it beats the champion re-scored on the same test split and is
    not worse on the recent-feedback slice; otherwise the challenger alias.

    `load(model_dir)` runs a version's model folder with its serving runtime; both versions are read
    from the registry (their files checked against their `artifact_sha256` tags: a mismatch stops the
    gate, no alias moves) and scored with `registry.gate_metric` alike, so a champion trained on other
    data, another split or fewer classes is judged on equal terms (macro-F1 counts the classes in the
    slice). A champion registered before digests existed is not loaded: the new version replaces it.
    """
    client = MlflowClient()
    record_digests(client, model_name, version)
    champion_alias, challenger_alias = registry_params["champion_alias"], registry_params["challenger_alias"]
    champion = current_champion(client, model_name, champion_alias)
    comparisons = []
    if champion is not None and has_digests(client, model_name, champion):
        new = load(verified_version(client, model_name, version))
        old = load(verified_version(client, model_name, champion))
        comparisons = compare(new, old, gate_metric(registry_params["gate_metric"]), slices)
    alias = champion_alias if all(item.passed for item in comparisons) else challenger_alias
    client.set_registered_model_alias(model_name, alias, version)
    decision = GateDecision(model_name, version, alias, registry_params["gate_metric"], champion, comparisons)
    client.set_model_version_tag(model_name, version, "gate", decision.summary())
    if mlflow.active_run():
        mlflow.set_tag("gate", decision.summary())
        for item in comparisons:
            key = item.name.replace(" ", "_")
            mlflow.log_metrics({f"gate_{key}_new": item.new_score, f"gate_{key}_champion": item.champion_score})
    return decision


def gate_slices(test: pd.DataFrame, feedback_slice: pd.DataFrame) -> list[GateSlice]:
    """What every training stage gates on: the fixed test split, then the recent-feedback slice."""
    return [
        GateSlice("this test split", test, must_beat=True),
        GateSlice("recent feedback", feedback_slice, must_beat=False),
    ]


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
