"""DVC stage `train_priority`: compare priority models on one split, tune the urgent threshold, register the best.

Without a priority column in the data the stage records why in its metrics file and trains nothing;
the import stage then records that no priority model is served and the agent answers without one.
"""

import json
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import mlflow
import pandas as pd

from core.columns import LABEL, PRIORITY, TEXT
from core.errors import ConfigError, one_line_errors
from core.params import load_params
from models.priority import load_priority_predictor
from router.priority import PriorityRule, priority_labels
from train.evaluate import confusion_figure, evaluate, proba_macro_f1, top_labels
from train.prepare import SPLITS
from train.priority.candidates import CANDIDATES, TFIDF, Candidate, train_candidate
from train.priority.threshold import confusion, rule_metrics, tune_threshold
from train.registry import GateSlice, gate, write_stage_metrics
from train.tfidf import log_pipeline
from train.tracking import begin_training, log_evaluation
from train.transformer.stage import log_packaged_model

METRICS_PATH = Path("metrics/priority.json")


def missing_priority(splits: dict[str, pd.DataFrame], priority: dict) -> str:
    """Why no priority model can be trained on these splits ('' when one can); a ConfigError when the
    data's levels are not the helpdesk's (`priority.levels`, which the desk filters by) or lack `urgent`."""
    train, urgent = splits["train"], priority["urgent"]
    if PRIORITY not in train or train[PRIORITY].isna().all():
        return "the data has no priority column (add `priority` to its layout in data.layouts)"
    levels = sorted(train[PRIORITY].dropna().unique())
    if len(levels) < 2:
        return f"the priority column has a single level {levels}"
    unknown = sorted(
        {str(level) for frame in splits.values() for level in frame[PRIORITY].dropna()} - set(priority["levels"])
    )
    if unknown:
        raise ConfigError(f"priority.levels {priority['levels']} lacks the data's priority levels {unknown}")
    if urgent not in levels:
        raise ConfigError(f"priority.urgent: {urgent!r} is not a level of the data's priority column {levels}")
    return ""


def log_priority_scores(candidate: Candidate, splits: dict[str, pd.DataFrame], params: dict) -> dict:
    """Tune the urgent threshold on validation; log test metrics at the argmax and at the threshold, both matrices."""
    priority, labels = params["priority"], candidate.labels
    val, test = splits["val"][PRIORITY].to_numpy(), splits["test"][PRIORITY].to_numpy()
    urgent_proba = candidate.val_proba[:, labels.index(priority["urgent"])]
    tuned = tune_threshold(val, urgent_proba, priority["urgent"], priority["min_urgent_recall"])
    rule = PriorityRule(priority["urgent"], tuned.value, priority["min_urgent_recall"])
    evaluation = evaluate(test, candidate.test_proba, labels, params["tracking"]["calibration_bins"])
    log_evaluation(evaluation, "test")
    thresholded = rule_metrics(test, candidate.test_proba, labels, rule)
    decided = priority_labels(candidate.test_proba, labels, rule.urgent, rule.threshold)
    val_f1 = proba_macro_f1(val, candidate.val_proba, labels)
    mlflow.log_metrics({"val_macro_f1": val_f1, "threshold": tuned.value, "val_threshold_precision": tuned.precision})
    mlflow.log_metrics({"val_threshold_recall": tuned.recall, **{f"test_rule_{k}": v for k, v in thresholded.items()}})
    figure = confusion_figure(test, decided, labels)
    mlflow.log_figure(figure, "test/confusion_matrix_threshold.png")
    plt.close(figure)
    argmax = top_labels(candidate.test_proba, labels)
    matrices = {"argmax": confusion(test, argmax, labels), "threshold": confusion(test, decided, labels)}
    mlflow.log_dict(matrices, "test/confusion.json")
    return {
        "val_macro_f1": val_f1,
        "test": {k: evaluation.metrics[k] for k in ("macro_f1", "accuracy", f"recall_{rule.urgent}")},
        "threshold": tuned.value,
        "test_threshold": thresholded,
        "confusion": matrices,
    }


def log_candidate(candidate: Candidate, splits: dict[str, pd.DataFrame], params: dict) -> dict:
    """One nested MLflow run per candidate: its costs and, with a priority head, its priority scores."""
    with mlflow.start_run(run_name=f"priority-{candidate.name}", nested=True):
        mlflow.set_tag("candidate", candidate.name)
        numeric = {k: v for k, v in candidate.details.items() if isinstance(v, float)}
        mlflow.log_metrics({"latency_ms": candidate.latency_ms, "train_seconds": candidate.train_seconds, **numeric})
        mlflow.set_tags({k: v for k, v in candidate.details.items() if isinstance(v, str)})
        summary = {"latency_ms": candidate.latency_ms, "train_seconds": candidate.train_seconds, **candidate.details}
        if candidate.labels is None:
            return summary
        return summary | log_priority_scores(candidate, splits, params)


def select(summaries: dict[str, dict], max_f1_drop: float) -> str:
    """The fastest candidate with a priority head whose validation macro-F1 is within `max_f1_drop` of the best."""
    scored = {name: s for name, s in summaries.items() if "val_macro_f1" in s}
    if not scored:
        raise ConfigError(f"priority.candidates: none has a priority head (e.g. {TFIDF!r})")
    best = max(s["val_macro_f1"] for s in scored.values())
    eligible = [name for name, s in scored.items() if s["val_macro_f1"] >= best - max_f1_drop]
    return min(eligible, key=lambda name: scored[name]["latency_ms"])


def gate_slice(test: pd.DataFrame) -> list[GateSlice]:
    """The gate compares priority models on the test split's priority column (feedback holds no priority)."""
    return [GateSlice("this test split", test.assign(**{LABEL: test[PRIORITY]}), must_beat=True)]


def register(candidate: Candidate, test: pd.DataFrame, model_name: str):
    """Log the chosen candidate as an MLflow model under `model_name` (its kind's own format) and register it."""
    if candidate.name == TFIDF:
        return log_pipeline(candidate.artifact.pipeline, model_name, test[[TEXT]].head(5))
    return log_packaged_model(candidate.artifact.model_dir, model_name)


def write_not_trained(reason: str) -> None:
    """The metrics file that tells the import stage (and `dvc metrics show`) why nothing was trained."""
    METRICS_PATH.parent.mkdir(parents=True, exist_ok=True)
    METRICS_PATH.write_text(json.dumps({"trained": False, "reason": reason}, indent=2) + "\n")
    print(f"priority: not trained: {reason}")


def compare(
    splits: dict[str, pd.DataFrame], params: dict, workdir: Path
) -> tuple[dict[str, Candidate], dict[str, dict]]:
    """Train and log every configured candidate on the same split."""
    unknown = sorted(set(params["priority"]["candidates"]) - set(CANDIDATES))
    if unknown:
        raise ConfigError(f"priority.candidates: unknown {unknown}; expected some of {list(CANDIDATES)}")
    candidates, summaries = {}, {}
    for name in params["priority"]["candidates"]:
        candidates[name] = train_candidate(name, splits, params, workdir)
        summaries[name] = log_candidate(candidates[name], splits, params)
        print(f"priority: {name}: {json.dumps(summaries[name], default=float)[:400]}")
    return candidates, summaries


def log_choice(chosen: str, summaries: dict[str, dict], params: dict) -> None:
    """The comparison table, and the served rule as tags of the run that registers the model (the import reads them)."""
    priority = params["priority"]
    mlflow.log_dict(summaries, "comparison.json")
    mlflow.set_tags(
        {
            "priority_candidate": chosen,
            "priority_urgent": priority["urgent"],
            "priority_threshold": repr(summaries[chosen]["threshold"]),
            "priority_min_recall": repr(priority["min_urgent_recall"]),
        }
    )


@one_line_errors
def main() -> None:
    params = load_params()
    splits = {name: frame for name, frame in begin_training(params).items() if name in SPLITS}
    reason = missing_priority(splits, params["priority"])
    if reason:
        write_not_trained(reason)
        return
    splits = {name: frame.dropna(subset=[PRIORITY]).reset_index(drop=True) for name, frame in splits.items()}
    model_name, test = params["registry"]["priority_model"], splits["test"]
    with mlflow.start_run(run_name="priority") as run, tempfile.TemporaryDirectory() as tmp:
        mlflow.log_params({f"priority.{k}": v for k, v in params["priority"].items()})
        mlflow.log_param("data_path", params["data"]["path"])
        candidates, summaries = compare(splits, params, Path(tmp))
        chosen = select(summaries, params["priority"]["max_f1_drop"])
        log_choice(chosen, summaries, params)
        winner = candidates[chosen]
        bins = params["tracking"]["calibration_bins"]
        metrics = evaluate(test[PRIORITY], winner.test_proba, winner.labels, bins).metrics
        mlflow.log_metrics({f"test_{name}": value for name, value in metrics.items()})
        info = register(winner, test, model_name)
        version = str(info.registered_model_version)
        decision = gate(model_name, version, load_priority_predictor, gate_slice(test), params["registry"])
    print(f"priority: served candidate {chosen}; {decision.summary()}")
    details = {"trained": True, "served": chosen, "threshold": summaries[chosen]["threshold"]}
    write_stage_metrics(METRICS_PATH, decision, run.info.run_id, metrics, **details, candidates=summaries)


if __name__ == "__main__":
    main()
