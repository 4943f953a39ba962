"""The priority decision rule and the threshold tuned for the urgent level's recall."""

import numpy as np
import pytest

from core.names import Fallback
from router.priority import (
    PriorityRule,
    decide_priority,
    explain_missing_priority,
    explain_priority,
    priority_labels,
)
from train.priority.threshold import rule_metrics, tune_threshold

LEVELS = ["high", "low", "medium"]


@pytest.mark.parametrize("seed", range(40))
def test_vectorised_priority_rule_equals_the_per_ticket_one(seed: int) -> None:
    random = np.random.default_rng(seed)
    proba = random.dirichlet([random.choice([0.3, 1.0, 4.0])] * len(LEVELS), size=60)
    urgent = str(random.choice(LEVELS))
    # Thresholds on observed probabilities too, where `>=` and `>` part ways.
    threshold = float(random.choice([0.0, 0.2, 0.5, 0.9, proba[0, LEVELS.index(urgent)]]))
    rule = PriorityRule(urgent, threshold, 0.85)
    per_ticket = [decide_priority(dict(zip(LEVELS, row, strict=True)), rule).level for row in proba]
    assert list(priority_labels(proba, LEVELS, urgent, threshold)) == per_ticket


def test_urgent_wins_at_the_threshold_even_when_another_level_is_more_probable() -> None:
    rule = PriorityRule("high", 0.3, 0.85)
    flagged = decide_priority({"high": 0.3, "low": 0.2, "medium": 0.5}, rule)
    assert (flagged.level, flagged.confidence) == ("high", 0.3)
    below = decide_priority({"high": 0.29, "low": 0.21, "medium": 0.5}, rule)
    assert below.level == "medium"
    assert decide_priority({"high": 0.5, "low": 0.3, "medium": 0.2}, PriorityRule("high", 0.6, 0.85)).level == "low"


@pytest.mark.parametrize("seed", range(30))
def test_tuned_threshold_is_the_most_precise_one_reaching_the_recall(seed: int) -> None:
    random = np.random.default_rng(seed)
    y_true = random.choice(LEVELS, size=200)
    # A signal that ranks urgent tickets higher, with ties from rounding.
    urgent_proba = np.round(np.clip(random.normal(0.35 + 0.3 * (y_true == "high"), 0.2), 0, 1), 2)
    min_recall = float(random.choice([0.5, 0.85, 0.95]))
    tuned = tune_threshold(y_true, urgent_proba, "high", min_recall)
    is_urgent = y_true == "high"
    brute = []
    for t in np.unique(urgent_proba):
        flagged = urgent_proba >= t
        recall = (flagged & is_urgent).sum() / is_urgent.sum()
        if recall >= min_recall:
            brute.append(((flagged & is_urgent).sum() / flagged.sum(), t, recall))
    best_precision = max(p for p, _, _ in brute)
    expected = max((t, r) for p, t, r in brute if p == best_precision)
    assert (tuned.value, tuned.recall) == pytest.approx(expected)
    assert tuned.precision == pytest.approx(best_precision) and tuned.recall >= min_recall


def test_among_equally_precise_thresholds_the_highest_is_kept() -> None:
    y_true = np.array(["high", "high", "low", "high", "low"])
    tuned = tune_threshold(y_true, np.array([0.9, 0.8, 0.7, 0.6, 0.5]), "high", min_recall=0.3)
    assert (tuned.value, tuned.precision, tuned.recall) == pytest.approx((0.9, 1.0, 1 / 3))  # 0.8 is as precise


def test_rule_metrics_count_the_thresholded_decisions() -> None:
    proba = np.array([[0.4, 0.1, 0.5], [0.2, 0.1, 0.7], [0.1, 0.8, 0.1], [0.6, 0.2, 0.2]])
    y_true = np.array(["high", "medium", "low", "medium"])
    metrics = rule_metrics(y_true, proba, LEVELS, PriorityRule("high", 0.35, 0.85))
    # Decisions: high, medium, low, high -> one urgent caught, one over-flagged.
    assert metrics["recall_high"] == 1.0 and metrics["precision_high"] == 0.5 and metrics["accuracy"] == 0.75


def test_explanations_say_the_level_and_the_deciding_number() -> None:
    rule = PriorityRule("high", 0.31, 0.85)
    urgent = explain_priority(decide_priority({"high": 0.4, "low": 0.1, "medium": 0.5}, rule))
    assert (
        urgent == "Priority high (0.40): P(high) 0.40 >= 0.31, the threshold set to catch 85% of high-priority tickets."
    )
    calm = explain_priority(decide_priority({"high": 0.1, "low": 0.2, "medium": 0.7}, rule))
    assert calm == "Priority medium (0.70): P(high) 0.10 < 0.31."
    assert explain_missing_priority(Fallback.PRIORITY_TIMEOUT) == "Priority unavailable: the priority model timed out."
    paused = explain_missing_priority(Fallback.PRIORITY_CIRCUIT_OPEN)  # its breaker opened (router.breaker)
    assert paused == "Priority unavailable: the priority model is paused after repeated failures."
    assert explain_missing_priority(Fallback.PRIORITY_ERROR) == "Priority unavailable: the priority model failed."
