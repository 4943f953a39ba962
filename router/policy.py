"""Routing rules between TF-IDF and the transformer, and how their probabilities are combined."""

from dataclasses import dataclass, fields
from typing import Any

# Why a ticket went where it went (the `reason` label of the routing metric).
CONFIDENT, LOW_CONFIDENCE, LOW_MARGIN = "confident", "low_confidence", "low_margin"
LONG_TEXT, LANGUAGE, TFIDF_UNAVAILABLE = "long_text", "language", "tfidf_unavailable"
TFIDF, TRANSFORMER, ENSEMBLE = "tfidf", "transformer", "ensemble"


class NoModelAvailable(RuntimeError):
    """Neither model could answer."""


@dataclass(frozen=True)
class RoutingConfig:
    """The thresholds of params.yaml `router:` (chosen on validation by train/tune_routing.py)."""

    tfidf_languages: tuple[str, ...]
    max_chars: int
    max_words: int
    min_confidence: float
    min_margin: float
    ensemble_weight: float
    review_threshold: float

    @classmethod
    def from_params(cls, router_params: dict[str, Any]) -> "RoutingConfig":
        """Build from the `router:` section, ignoring its other keys."""
        values = {field.name: router_params[field.name] for field in fields(cls)}
        values["tfidf_languages"] = tuple(values["tfidf_languages"])
        return cls(**values)


@dataclass(frozen=True)
class TicketFacts:
    """What the policy knows about a ticket before any model answered."""

    language: str
    chars: int
    words: int

    @classmethod
    def of(cls, text: str, language: str) -> "TicketFacts":
        """Facts of a (scrubbed) text."""
        return cls(language=language, chars=len(text), words=len(text.split()))


@dataclass(frozen=True)
class Route:
    """Whether the transformer must be asked, and why."""

    to_transformer: bool
    reason: str


def top_two(scores: dict[str, float]) -> tuple[str, float, float]:
    """Best label, its probability, and its margin over the runner-up."""
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    return ranked[0][0], ranked[0][1], ranked[0][1] - runner_up


def choose_route(facts: TicketFacts, tfidf_scores: dict[str, float] | None, config: RoutingConfig) -> Route:
    """Apply the rules in order: language, length, TF-IDF availability, confidence, margin."""
    if facts.language not in config.tfidf_languages:
        return Route(True, LANGUAGE)
    if facts.chars > config.max_chars or facts.words > config.max_words:
        return Route(True, LONG_TEXT)
    if tfidf_scores is None:
        return Route(True, TFIDF_UNAVAILABLE)
    _, confidence, margin = top_two(tfidf_scores)
    if confidence < config.min_confidence:
        return Route(True, LOW_CONFIDENCE)
    if margin < config.min_margin:
        return Route(True, LOW_MARGIN)
    return Route(False, CONFIDENT)


def combine(tfidf_scores: dict[str, float], transformer_scores: dict[str, float], weight: float) -> dict[str, float]:
    """Weighted average of calibrated probabilities (`weight` on the transformer) over both label sets."""
    labels = sorted(set(tfidf_scores) | set(transformer_scores))
    mixed = {
        label: weight * transformer_scores.get(label, 0.0) + (1 - weight) * tfidf_scores.get(label, 0.0)
        for label in labels
    }
    total = sum(mixed.values()) or 1.0
    return {label: value / total for label, value in mixed.items()}


@dataclass(frozen=True)
class Decision:
    """The final answer for one ticket, with everything the explanation and the metrics need."""

    category: str
    confidence: float
    scores: dict[str, float]
    model: str
    route: Route
    facts: TicketFacts
    needs_review: bool
    tfidf_scores: dict[str, float] | None
    fallback: str | None = None


def final_scores(
    route: Route,
    tfidf_scores: dict[str, float] | None,
    transformer_scores: dict[str, float] | None,
    weight: float,
) -> tuple[str, dict[str, float]]:
    """Which model's probabilities answer: transformer/ensemble when asked and up, else TF-IDF."""
    if route.to_transformer and transformer_scores is not None:
        if tfidf_scores is not None and weight < 1.0:
            return ENSEMBLE, combine(tfidf_scores, transformer_scores, weight)
        return TRANSFORMER, transformer_scores
    if tfidf_scores is not None:
        return TFIDF, tfidf_scores
    raise NoModelAvailable("neither the TF-IDF nor the transformer model answered")


def decide(
    facts: TicketFacts,
    route: Route,
    tfidf_scores: dict[str, float] | None,
    transformer_scores: dict[str, float] | None,
    config: RoutingConfig,
    fallback: str | None = None,
) -> Decision:
    """Pick the answering model, its label and confidence, and whether a human should review it.

    `fallback` names why the transformer did not answer when it was asked (e.g. a timeout).
    """
    model, scores = final_scores(route, tfidf_scores, transformer_scores, config.ensemble_weight)
    category, confidence, _ = top_two(scores)
    return Decision(
        category=category,
        confidence=confidence,
        scores=scores,
        model=model,
        route=route,
        facts=facts,
        needs_review=confidence < config.review_threshold,
        tfidf_scores=tfidf_scores,
        fallback=fallback if route.to_transformer and transformer_scores is None else None,
    )
