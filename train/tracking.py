"""MLflow set-up and logging of an evaluation (metrics, report, plots)."""

import os

import matplotlib.pyplot as plt
import mlflow
import pandas as pd

from train.evaluate import Evaluation, gate_metric
from train.prepare import load_splits


def configure_mlflow(tracking_params: dict) -> str:
    """Point MLflow at $MLFLOW_TRACKING_URI or the project's sqlite store; select the experiment."""
    uri = os.environ.get("MLFLOW_TRACKING_URI") or tracking_params["default_uri"]
    mlflow.set_tracking_uri(uri)
    mlflow.set_experiment(tracking_params["experiment"])
    return uri


def begin_training(params: dict) -> dict[str, pd.DataFrame]:
    """A training stage's start: the prepared splits, MLflow pointed at its store.

    The checks come first, so an unknown gate metric or a missing split fails before any training.
    """
    gate_metric(params["registry"]["gate_metric"])
    splits = load_splits()
    configure_mlflow(params["tracking"])
    return splits


def log_evaluation(evaluation: Evaluation, split: str) -> None:
    """Log metrics as `<split>_<name>`, the classification report and every figure."""
    mlflow.log_metrics({f"{split}_{name}": value for name, value in evaluation.metrics.items()})
    mlflow.log_text(evaluation.report, f"{split}/classification_report.txt")
    for filename, figure in evaluation.figures.items():
        mlflow.log_figure(figure, f"{split}/{filename}")
        plt.close(figure)
