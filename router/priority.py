"""How urgent a ticket is: the decision rule on the priority model's probabilities, and its sentence.

Missing an urgent ticket costs more than over-flagging one, so `urgent` is chosen whenever its
probability reaches a threshold tuned on validation for a minimum recall (train.priority), not only
when it is the most probable level. The rule exists per ticket (`decide_priority`) for the agent
and vectorised (`priority_labels`) for training and evaluation; a property test holds them equal.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.names import Fallback
from core.served import served_record

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PriorityRule:
    """`urgent` wins at P(urgent) >= threshold; the threshold was tuned for `min_recall` of `urgent`."""

    urgent: str
    threshold: float
    min_recall: float


@dataclass(frozen=True)
class PriorityDecision:
    """A ticket's priority level, its probability, every level's probability and the rule that decided."""

    level: str
    confidence: float
    scores: dict[str, float]
    rule: PriorityRule

    @property
    def urgent_probability(self) -> float:
        return self.scores.get(self.rule.urgent, 0.0)


def decide_priority(scores: Mapping[str, float], rule: PriorityRule) -> PriorityDecision:
    """`urgent` when its probability reaches the threshold, else the most probable other level."""
    if scores.get(rule.urgent, 0.0) >= rule.threshold:
        level = rule.urgent
    else:
        level = max((name for name in scores if name != rule.urgent), key=scores.__getitem__)
    return PriorityDecision(level, float(scores[level]), dict(scores), rule)


def priority_labels(proba: np.ndarray, labels: list[str], urgent: str, threshold: float) -> np.ndarray:
    """`decide_priority(...).level` for every row of a (tickets x labels) probability table at once."""
    column = labels.index(urgent)
    others = proba.copy()
    others[:, column] = -np.inf
    best_other = np.asarray(labels)[others.argmax(axis=1)]
    return np.where(proba[:, column] >= threshold, urgent, best_other)


def explain_priority(decision: PriorityDecision) -> str:
    """One sentence: the level and the number that decided it."""
    rule, urgent_p = decision.rule, decision.urgent_probability
    head = f"Priority {decision.level} ({decision.confidence:.2f})"
    if decision.level == rule.urgent:
        return (
            f"{head}: P({rule.urgent}) {urgent_p:.2f} >= {rule.threshold:.2f}, the threshold set to catch "
            f"{rule.min_recall:.0%} of {rule.urgent}-priority tickets."
        )
    return f"{head}: P({rule.urgent}) {urgent_p:.2f} < {rule.threshold:.2f}."


def explain_missing_priority(failure: Fallback) -> str:
    """Why an answer carries no priority although a priority model is served."""
    how = {
        Fallback.PRIORITY_TIMEOUT: "timed out",
        Fallback.PRIORITY_CIRCUIT_OPEN: "is paused after repeated failures",
    }.get(failure, "failed")
    return f"Priority unavailable: the priority model {how}."


def served_priority(registry_params: Mapping[str, Any]) -> dict[str, Any] | None:
    """The import stage's record of the served priority model, or None when none is served (no priority data)."""
    record = served_record(registry_params, "priority")
    if not record or not record.get("served"):
        logger.info("priority: no model served (%s)", (record or {}).get("reason", "import_priority has not run"))
        return None
    return record


def load_priority_rule(registry_params: Mapping[str, Any]) -> PriorityRule | None:
    """The rule of the served priority model (tuned at training, copied by the import stage), if any."""
    record = served_priority(registry_params)
    return PriorityRule(**record["rule"]) if record else None
