"""The agent's "retraining recommended" signal: drift of served tickets, or enough desk corrections.

One per process (`retrain_signal()`), like the metrics it publishes: the agent feeds it every answered
batch, the desk its count of corrections of the served model versions. Each reason is a gauge
(`callcenter_retrain_recommended{reason}`), a WARNING line when it turns on, and a line of the
review page's banner. Without a training baseline the drift gauges stay NaN and only corrections count.
"""

import functools
import logging
import math
from typing import TYPE_CHECKING, Any

from bentos.metrics import (
    CORRECTIONS_SINCE_RELEASE,
    DRIFT_MEAN_CONFIDENCE,
    DRIFT_MIX_DISTANCE,
    DRIFT_OOV_SHARE,
    DRIFT_REVIEW_SHARE,
    DRIFT_TICKETS,
    RETRAIN_RECOMMENDED,
)
from core.params import load_params
from router.drift import Baseline, DriftReport, DriftWindow, TicketSignal, load_baseline

if TYPE_CHECKING:
    from router.pipeline import Answer

logger = logging.getLogger("bentos.retrain")
DRIFT_REASONS = ("language_mix", "category_mix", "confidence_drop", "review_rise", "oov_rise")
CORRECTIONS = "corrections"
SERVED, BASELINE = "served", "baseline"


def signal_of(answer: "Answer") -> TicketSignal:
    """What drift watches of one answer (no text)."""
    decision = answer.decision
    return TicketSignal(
        answer.ticket.language, decision.category, decision.confidence, decision.needs_review, answer.known_terms
    )


def why(reason: str, report: DriftReport, baseline: Baseline) -> str:
    """One line for the banner and the log: the window's value against training's."""
    lines = {
        "language_mix": f"the language mix moved {report.language_distance:.2f} from training's",
        "category_mix": f"the category mix moved {report.category_distance:.2f} from training's",
        "confidence_drop": f"mean confidence {report.mean_confidence:.2f} against {baseline.mean_confidence:.2f}",
        "review_rise": f"{report.review_share:.0%} of tickets need review against {baseline.review_share:.0%}",
        "oov_rise": f"{report.oov_share:.0%} of tickets are out of vocabulary against {baseline.oov_share:.0%}",
    }
    return f"{lines[reason]} at training (last {report.tickets} tickets)"


class RetrainSignal:
    """Drift window, corrections count and the reasons retraining is recommended, published as gauges."""

    def __init__(self, params: dict[str, Any]) -> None:
        self.corrections_limit = int(params["loop"]["retrain_after_corrections"])
        self.baseline = load_baseline(params["drift"].get("baseline"))
        self.window = DriftWindow(self.baseline, params["drift"]) if self.baseline else None
        self.reasons: dict[str, str] = {}  # reason -> why, while recommended
        for reason in (*DRIFT_REASONS, CORRECTIONS):
            RETRAIN_RECOMMENDED.labels(reason=reason).set(0)
        for gauge in (DRIFT_MEAN_CONFIDENCE, DRIFT_REVIEW_SHARE, DRIFT_OOV_SHARE):
            gauge.labels(window=SERVED).set(math.nan)
        for mix in ("language", "category"):
            DRIFT_MIX_DISTANCE.labels(mix=mix).set(math.nan)
        DRIFT_TICKETS.set(0)
        if self.baseline:
            DRIFT_MEAN_CONFIDENCE.labels(window=BASELINE).set(self.baseline.mean_confidence)
            DRIFT_REVIEW_SHARE.labels(window=BASELINE).set(self.baseline.review_share)
            DRIFT_OOV_SHARE.labels(window=BASELINE).set(self.baseline.oov_share)

    def observe(self, answers: list["Answer"]) -> None:
        """Add served answers to the window, publish its gauges, and update the drift reasons."""
        if self.window is None or not answers:
            return
        self.window.add([signal_of(answer) for answer in answers])
        report = self.window.report()
        DRIFT_TICKETS.set(report.tickets)
        DRIFT_MIX_DISTANCE.labels(mix="language").set(report.language_distance)
        DRIFT_MIX_DISTANCE.labels(mix="category").set(report.category_distance)
        DRIFT_MEAN_CONFIDENCE.labels(window=SERVED).set(report.mean_confidence)
        DRIFT_REVIEW_SHARE.labels(window=SERVED).set(report.review_share)
        DRIFT_OOV_SHARE.labels(window=SERVED).set(report.oov_share)
        for reason in DRIFT_REASONS:
            self.recommend(reason, why(reason, report, self.baseline) if reason in report.reasons else None)

    def corrections(self, count: int) -> None:
        """The desk's count of corrections of the served versions' answers."""
        CORRECTIONS_SINCE_RELEASE.set(count)
        over = count >= self.corrections_limit
        self.recommend(CORRECTIONS, f"{count} corrections of answers from the served model versions" if over else None)

    def recommend(self, reason: str, because: str | None) -> None:
        """Turn one reason on (with why) or off; a WARNING line when it turns on."""
        if because is None:
            self.reasons.pop(reason, None)
        else:
            if reason not in self.reasons:
                logger.warning("retraining recommended (%s): %s; run `make retrain`", reason, because)
            self.reasons[reason] = because
        RETRAIN_RECOMMENDED.labels(reason=reason).set(int(because is not None))


@functools.cache
def retrain_signal() -> RetrainSignal:
    """This process's signal, built on first use (the agent's worker only; it reads the baseline file)."""
    return RetrainSignal(load_params())
