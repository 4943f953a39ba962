"""Drift of served tickets against the training baseline, over a sliding window.

The baseline is what the validation split looked like through the served models when the routing
was tuned (language mix, category mix, mean confidence, share needing review, share of tickets
with few known TF-IDF terms). The window holds the last `size` answered tickets. Mixes are compared
by total variation distance (0 = same mix, 1 = disjoint); the rest by their difference.
"""

import json
import logging
from collections import Counter, deque
from dataclasses import dataclass, replace
from typing import Any

from core.params import resolve_path

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TicketSignal:
    """What drift watches of one answered ticket (no text)."""

    language: str
    category: str
    confidence: float
    needs_review: bool
    known_terms: int | None  # TF-IDF vocabulary hits; None when TF-IDF did not answer


@dataclass(frozen=True)
class Baseline:
    """The same measures on the validation split, recorded by the tune_routing stage."""

    languages: dict[str, float]
    categories: dict[str, float]
    mean_confidence: float
    review_share: float
    oov_share: float

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> "Baseline":
        return cls(**record)


def load_baseline(path: str | None) -> Baseline | None:
    """The baseline the tune_routing stage recorded (the `baseline` key of its file), or None (logged) without one."""
    file = resolve_path(path) if path else None
    record = json.loads(file.read_text(encoding="utf-8")).get("baseline") if file and file.is_file() else None
    if record is None:
        logger.warning("drift gauges off: no training baseline in %s (run `dvc repro tune_routing`)", path)
        return None
    return Baseline.from_record(record)


@dataclass(frozen=True)
class DriftReport:
    """The window's measures, and how far they moved from the baseline."""

    tickets: int
    language_distance: float
    category_distance: float
    mean_confidence: float
    review_share: float
    oov_share: float
    reasons: tuple[str, ...]  # which thresholds were crossed; empty when nothing drifted


def shares(values: list[str]) -> dict[str, float]:
    """Each value's share of the list."""
    counts = Counter(values)
    return {value: count / len(values) for value, count in counts.items()} if values else {}


def total_variation(left: dict[str, float], right: dict[str, float]) -> float:
    """Half the L1 distance between two distributions over any keys."""
    return 0.5 * sum(abs(left.get(key, 0.0) - right.get(key, 0.0)) for key in set(left) | set(right))


def distribution(counts: Counter) -> dict[str, float]:
    """Counts as shares of their total (values counted down to 0 are left out)."""
    total = sum(counts.values())
    return {value: count / total for value, count in counts.items() if count} if total else {}


class DriftWindow:
    """The last `size` tickets, compared with a baseline against the thresholds in params (`drift:`).

    The window's counts and sums move with each ticket in and out, so a report costs the same
    whatever the window's size (the agent reports after every request).
    """

    def __init__(self, baseline: Baseline, drift_params: dict[str, Any]) -> None:
        self.baseline = baseline
        self.params = drift_params
        self.size = int(drift_params["window"])
        self.min_known_terms = int(drift_params["min_known_terms"])
        self.signals: deque[TicketSignal] = deque()
        self.languages: Counter = Counter()
        self.categories: Counter = Counter()
        self.confidence_sum = 0.0
        self.reviews = 0
        self.scored = 0  # tickets TF-IDF answered
        self.out_of_vocabulary = 0  # of those, with fewer than `min_known_terms` vocabulary hits

    def add(self, signals: list[TicketSignal]) -> None:
        """Newest tickets in, the oldest beyond the window's size out."""
        for signal in signals:
            if len(self.signals) == self.size:
                self.count(self.signals.popleft(), -1)
            self.signals.append(signal)
            self.count(signal, 1)

    def count(self, signal: TicketSignal, sign: int) -> None:
        """Add (1) or remove (-1) one ticket's part of the window's counts and sums."""
        self.languages[signal.language] += sign
        self.categories[signal.category] += sign
        self.confidence_sum += sign * signal.confidence
        self.reviews += sign * signal.needs_review
        if signal.known_terms is not None:
            self.scored += sign
            self.out_of_vocabulary += sign * (signal.known_terms < self.min_known_terms)

    def report(self) -> DriftReport:
        """The window against the baseline; reasons only once the window holds `min_tickets`."""
        tickets, base, limits = len(self.signals), self.baseline, self.params
        report = DriftReport(
            tickets=tickets,
            language_distance=total_variation(distribution(self.languages), base.languages),
            category_distance=total_variation(distribution(self.categories), base.categories),
            mean_confidence=self.confidence_sum / tickets if tickets else base.mean_confidence,
            review_share=self.reviews / tickets if tickets else base.review_share,
            oov_share=self.out_of_vocabulary / self.scored if self.scored else 0.0,
            reasons=(),
        )
        if tickets < limits["min_tickets"]:
            return report
        crossed = {
            "language_mix": report.language_distance > limits["max_language_distance"],
            "category_mix": report.category_distance > limits["max_category_distance"],
            "confidence_drop": base.mean_confidence - report.mean_confidence > limits["max_confidence_drop"],
            "review_rise": report.review_share - base.review_share > limits["max_review_rise"],
            "oov_rise": report.oov_share - base.oov_share > limits["max_oov_rise"],
        }
        return replace(report, reasons=tuple(name for name, hit in crossed.items() if hit))
