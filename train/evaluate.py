"""Metrics and plots shared by both models: accuracy, macro-F1, per-class scores, calibration."""

from collections.abc import Callable
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from sklearn.metrics import (
    ConfusionMatrixDisplay,
    accuracy_score,
    classification_report,
    f1_score,
    precision_recall_fscore_support,
)

from core.errors import ConfigError


@dataclass
class Evaluation:
    """What one model scored on one split."""

    metrics: dict[str, float]
    report: str
    figures: dict[str, Figure] = field(default_factory=dict)


def top_labels(proba: np.ndarray, classes: list[str]) -> np.ndarray:
    """The most probable class of each row (columns in `classes` order)."""
    return np.asarray(classes)[proba.argmax(axis=1)]


def macro_f1_score(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Macro-F1 over the classes present in `y_true`: the one score that the gate, the export check
    and the routing sweep compare, so a model is never judged on classes the split does not hold."""
    y_true = np.asarray(y_true)
    return float(f1_score(y_true, y_pred, labels=sorted(set(y_true)), average="macro", zero_division=0))


def proba_macro_f1(y_true: np.ndarray, proba: np.ndarray, classes: list[str]) -> float:
    """macro_f1_score of the most probable class of each row (columns in `classes` order)."""
    return macro_f1_score(y_true, top_labels(proba, classes))


def proba_accuracy(y_true: np.ndarray, proba: np.ndarray, classes: list[str]) -> float:
    """Share of rows whose most probable class is the true one."""
    return float(accuracy_score(np.asarray(y_true), top_labels(proba, classes)))


ProbaScore = Callable[[np.ndarray, np.ndarray, list[str]], float]
# Scores a model can be gated on (`registry.gate_metric`): higher is better, computed from probabilities.
GATE_METRICS: dict[str, ProbaScore] = {"macro_f1": proba_macro_f1, "accuracy": proba_accuracy}


def gate_metric(name: str) -> ProbaScore:
    """The score function named by `registry.gate_metric`, checked before any training starts."""
    if name not in GATE_METRICS:
        raise ConfigError(f"registry.gate_metric: {name!r} is not one of {sorted(GATE_METRICS)}")
    return GATE_METRICS[name]


def confidence_bins(
    y_true: np.ndarray, proba: np.ndarray, classes: list[str], bins: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Top-label confidence, whether it was right, and its bin index (equal-width bins on [0, 1])."""
    confidence = proba.max(axis=1)
    correct = top_labels(proba, classes) == np.asarray(y_true)
    inner_edges = np.linspace(0.0, 1.0, bins + 1)[1:-1]
    return confidence, correct, np.digitize(confidence, inner_edges)


def expected_calibration_error(y_true: np.ndarray, proba: np.ndarray, classes: list[str], bins: int) -> float:
    """Top-label ECE: the gap between confidence and accuracy, weighted over confidence bins."""
    confidence, correct, which_bin = confidence_bins(y_true, proba, classes, bins)
    error = 0.0
    for index in np.unique(which_bin):
        in_bin = which_bin == index
        error += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return float(error)


def reliability_figure(y_true: np.ndarray, proba: np.ndarray, classes: list[str], bins: int) -> Figure:
    """Accuracy per confidence bin against the diagonal of perfect calibration."""
    _, correct, which_bin = confidence_bins(y_true, proba, classes, bins)
    centres = (np.arange(bins) + 0.5) / bins
    accuracy = [correct[which_bin == i].mean() if (which_bin == i).any() else np.nan for i in range(bins)]
    figure, axes = plt.subplots(figsize=(5, 5))
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    axes.bar(centres, accuracy, width=1 / bins, edgecolor="black", alpha=0.7, label="model")
    axes.set(xlabel="confidence", ylabel="accuracy", title="Reliability", xlim=(0, 1), ylim=(0, 1))
    axes.legend(loc="upper left")
    figure.tight_layout()
    return figure


def confusion_figure(y_true: np.ndarray, y_pred: np.ndarray, classes: list[str]) -> Figure:
    """Confusion matrix, one row per true class."""
    figure, axes = plt.subplots(figsize=(1 + 0.9 * len(classes), 1 + 0.8 * len(classes)))
    ConfusionMatrixDisplay.from_predictions(y_true, y_pred, labels=classes, ax=axes, xticks_rotation=45, colorbar=False)
    figure.tight_layout()
    return figure


def evaluate(y_true: np.ndarray, proba: np.ndarray, classes: list[str], bins: int) -> Evaluation:
    """Score predicted probabilities (columns in `classes` order) against the true labels."""
    y_true = np.asarray(y_true)
    y_pred = top_labels(proba, classes)
    metrics = {name: score(y_true, proba, classes) for name, score in GATE_METRICS.items()}
    metrics["ece"] = expected_calibration_error(y_true, proba, classes, bins)
    precision, recall, f1, _ = precision_recall_fscore_support(y_true, y_pred, labels=classes, zero_division=0)
    for name, p, r, f in zip(classes, precision, recall, f1, strict=True):
        key = name.lower().replace(" ", "_")
        metrics |= {f"precision_{key}": float(p), f"recall_{key}": float(r), f"f1_{key}": float(f)}
    report = classification_report(y_true, y_pred, labels=classes, zero_division=0, digits=3)
    figures = {
        "confusion_matrix.png": confusion_figure(y_true, y_pred, classes),
        "reliability.png": reliability_figure(y_true, proba, classes, bins),
    }
    return Evaluation(metrics, report, figures)
