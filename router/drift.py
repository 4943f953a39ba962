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


def oov_share(signals: list[TicketSignal], min_known_terms: int) -> float:
    """Share of tickets TF-IDF scored with fewer than `min_known_terms` vocabulary hits."""
    scored = [signal.known_terms for signal in signals if signal.known_terms is not None]
    return sum(hits < min_known_terms for hits in scored) / len(scored) if scored else 0.0


class DriftWindow:
    """The last `size` tickets, compared with a baseline against the thresholds in params (`drift:`)."""

    def __init__(self, baseline: Baseline, drift_params: dict[str, Any]) -> None:
        self.baseline = baseline
        self.params = drift_params
        self.signals: deque[TicketSignal] = deque(maxlen=int(drift_params["window"]))

    def add(self, signals: list[TicketSignal]) -> None:
        """Newest tickets in, the oldest beyond the window's size out."""
        self.signals.extend(signals)

    def report(self) -> DriftReport:
        """The window against the baseline; reasons only once the window holds `min_tickets`."""
        signals, base, limits = list(self.signals), self.baseline, self.params
        report = DriftReport(
            tickets=len(signals),
            language_distance=total_variation(shares([s.language for s in signals]), base.languages),
            category_distance=total_variation(shares([s.category for s in signals]), base.categories),
            mean_confidence=sum(s.confidence for s in signals) / len(signals) if signals else base.mean_confidence,
            review_share=sum(s.needs_review for s in signals) / len(signals) if signals else base.review_share,
            oov_share=oov_share(signals, limits["min_known_terms"]),
            reasons=(),
        )
        if len(signals) < limits["min_tickets"]:
            return report
        crossed = {
            "language_mix": report.language_distance > limits["max_language_distance"],
            "category_mix": report.category_distance > limits["max_category_distance"],
            "confidence_drop": base.mean_confidence - report.mean_confidence > limits["max_confidence_drop"],
            "review_rise": report.review_share - base.review_share > limits["max_review_rise"],
            "oov_rise": report.oov_share - base.oov_share > limits["max_oov_rise"],
        }
        return replace(report, reasons=tuple(name for name, hit in crossed.items() if hit))
