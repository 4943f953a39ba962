"""The urgent-level threshold, tuned on validation, and what the decision rule scores on a split."""

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

from core.errors import DatasetError
from router.priority import PriorityRule, priority_labels
from train.evaluate import macro_f1_score


@dataclass(frozen=True)
class Threshold:
    """The chosen threshold and the urgent precision and recall it reached where it was tuned."""

    value: float
    precision: float
    recall: float


def tune_threshold(y_true: np.ndarray, urgent_proba: np.ndarray, urgent: str, min_recall: float) -> Threshold:
    """The highest threshold on P(urgent) whose urgent recall is >= `min_recall`: the best precision there.

    Recall only falls as the threshold rises, so the eligible thresholds are those up to the highest
    one reaching the recall; precision is compared among them (ties keep the higher threshold).
    """
    is_urgent = np.asarray(y_true) == urgent
    if not is_urgent.any():
        raise DatasetError(f"priority: no {urgent!r} ticket in the validation split to tune the threshold on")
    urgent_proba = np.asarray(urgent_proba, dtype=float)
    thresholds = np.unique(urgent_proba)
    flagged = len(urgent_proba) - np.searchsorted(np.sort(urgent_proba), thresholds, side="left")
    caught = is_urgent.sum() - np.searchsorted(np.sort(urgent_proba[is_urgent]), thresholds, side="left")
    recall = caught / is_urgent.sum()
    precision = caught / flagged
    eligible = np.flatnonzero(recall >= min_recall)
    best = eligible[np.flatnonzero(precision[eligible] == precision[eligible].max())[-1]]
    return Threshold(float(thresholds[best]), float(precision[best]), float(recall[best]))


def rule_metrics(y_true: np.ndarray, proba: np.ndarray, labels: list[str], rule: PriorityRule) -> dict[str, float]:
    """Macro-F1, accuracy and urgent precision / recall of the thresholded decisions."""
    y_true = np.asarray(y_true)
    y_pred = priority_labels(proba, labels, rule.urgent, rule.threshold)
    precision, recall, _, _ = precision_recall_fscore_support(y_true, y_pred, labels=[rule.urgent], zero_division=0)
    return {
        "macro_f1": macro_f1_score(y_true, y_pred),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        f"precision_{rule.urgent}": float(precision[0]),
        f"recall_{rule.urgent}": float(recall[0]),
    }


def confusion(y_true: np.ndarray, y_pred: np.ndarray, labels: list[str]) -> dict[str, dict[str, int]]:
    """{true level: {predicted level: count}}: the matrix as JSON for MLflow, metrics files and the bench."""
    matrix = confusion_matrix(np.asarray(y_true), np.asarray(y_pred), labels=labels)
    return {true: {pred: int(matrix[i, j]) for j, pred in enumerate(labels)} for i, true in enumerate(labels)}
