"""Routing rules between TF-IDF and the transformer, and how their probabilities are combined.

Each rule exists in two forms side by side: per ticket (`choose_route`, `final_scores`) for the
agent, and vectorised over a split (`route_mask`, `routed_proba`) for the routing tuner's sweep.
A property test holds the two forms equal on random inputs.
"""

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from core.names import Fallback, ModelName, RouteReason
from core.params import resolve_path

TUNED_KEYS = ("min_confidence", "min_margin", "max_words", "ensemble_weight")
logger = logging.getLogger(__name__)


class NoModelAvailable(RuntimeError):
    """Neither model could answer."""


@dataclass(frozen=True)
class RoutingConfig:
    """The routing thresholds: params.yaml `router:`, overridden by what the tune_routing stage chose."""

    tfidf_languages: tuple[str, ...]
    max_chars: int
    max_words: int
    min_confidence: float
    min_margin: float
    ensemble_weight: float
    review_threshold: float

    @classmethod
    def from_params(cls, router_params: Mapping[str, Any], tuned: Mapping[str, Any] | None = None) -> "RoutingConfig":
        """Build from the `router:` section (ignoring its other keys), `tuned` values taking precedence."""
        values = {field.name: router_params[field.name] for field in fields(cls)} | dict(tuned or {})
        values["tfidf_languages"] = tuple(values["tfidf_languages"])
        return cls(**values)


def tuned_thresholds(router_params: Mapping[str, Any]) -> dict[str, Any]:
    """The thresholds the tune_routing stage wrote (`router.tuned_thresholds`), or {} before it ran."""
    path = router_params.get("tuned_thresholds")
    if not path or not resolve_path(path).is_file():
        logger.info("routing thresholds: params.yaml's defaults (no tuned thresholds at %s)", path)
        return {}
    tuned = json.loads(resolve_path(path).read_text(encoding="utf-8"))["thresholds"]
    logger.info("routing thresholds: tuned, from %s: %s", path, tuned)
    return tuned


def load_routing_config(router_params: Mapping[str, Any]) -> RoutingConfig:
    """The config the agent routes with: params.yaml's defaults and the tuned thresholds when present."""
    return RoutingConfig.from_params(router_params, tuned_thresholds(router_params))


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
    reason: RouteReason


def top_two(scores: Mapping[str, float]) -> tuple[str, float, float]:
    """Best label, its probability, and its margin over the runner-up."""
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    return ranked[0][0], ranked[0][1], ranked[0][1] - runner_up


def route_by_facts(facts: TicketFacts, config: RoutingConfig) -> Route | None:
    """The route a ticket's language or length settles before any model answered; None when TF-IDF's
    scores decide. The agent asks the transformer for these tickets beside TF-IDF, not after it."""
    if facts.language not in config.tfidf_languages:
        return Route(True, RouteReason.LANGUAGE)
    if facts.chars > config.max_chars or facts.words > config.max_words:
        return Route(True, RouteReason.LONG_TEXT)
    return None


def choose_route(facts: TicketFacts, tfidf_scores: Mapping[str, float] | None, config: RoutingConfig) -> Route:
    """Apply the rules in order: language, length, TF-IDF availability, confidence, margin."""
    settled = route_by_facts(facts, config)
    if settled is not None:
        return settled
    if tfidf_scores is None:
        return Route(True, RouteReason.TFIDF_UNAVAILABLE)
    _, confidence, margin = top_two(tfidf_scores)
    if confidence < config.min_confidence:
        return Route(True, RouteReason.LOW_CONFIDENCE)
    if margin < config.min_margin:
        return Route(True, RouteReason.LOW_MARGIN)
    return Route(False, RouteReason.CONFIDENT)


def combine(
    tfidf_scores: Mapping[str, float], transformer_scores: Mapping[str, float], weight: float
) -> dict[str, float]:
    """Weighted average of calibrated probabilities (`weight` on the transformer) over both label sets."""
    labels = sorted(set(tfidf_scores) | set(transformer_scores))
    mixed = {
        label: weight * transformer_scores.get(label, 0.0) + (1 - weight) * tfidf_scores.get(label, 0.0)
        for label in labels
    }
    total = sum(mixed.values()) or 1.0
    return {label: value / total for label, value in mixed.items()}


def final_scores(
    route: Route,
    tfidf_scores: Mapping[str, float] | None,
    transformer_scores: Mapping[str, float] | None,
    weight: float,
) -> tuple[ModelName, dict[str, float]]:
    """Which model's probabilities answer: transformer/ensemble when asked and up, else TF-IDF."""
    if route.to_transformer and transformer_scores is not None:
        if tfidf_scores is not None and weight < 1.0:
            return ModelName.ENSEMBLE, combine(tfidf_scores, transformer_scores, weight)
        return ModelName.TRANSFORMER, dict(transformer_scores)
    if tfidf_scores is not None:
        return ModelName.TFIDF, dict(tfidf_scores)
    raise NoModelAvailable("neither the TF-IDF nor the transformer model answered")


def route_mask(
    languages: np.ndarray, chars: np.ndarray, words: np.ndarray, tfidf: np.ndarray, config: RoutingConfig
) -> np.ndarray:
    """`choose_route(...).to_transformer` for every ticket at once (TF-IDF answered all of them).

    `tfidf` holds one probability row per ticket; columns of labels TF-IDF lacks are 0 and change
    neither its top probability nor its margin.
    """
    ranked = np.sort(tfidf, axis=1)
    confidence = ranked[:, -1]
    margin = confidence - (ranked[:, -2] if tfidf.shape[1] > 1 else 0.0)
    other_language = ~np.isin(languages, config.tfidf_languages)
    too_long = (chars > config.max_chars) | (words > config.max_words)
    return other_language | too_long | (confidence < config.min_confidence) | (margin < config.min_margin)


def routed_proba(mask: np.ndarray, tfidf: np.ndarray, transformer: np.ndarray, weight: float) -> np.ndarray:
    """`final_scores` for every ticket at once: both tables on one label set (0 where a model lacks a label)."""
    mixed = weight * transformer + (1 - weight) * tfidf
    totals = mixed.sum(axis=1, keepdims=True)
    mixed = mixed / np.where(totals > 0, totals, 1.0)
    return np.where(mask[:, None], mixed, tfidf)


@dataclass(frozen=True)
class Decision:
    """The final answer for one ticket, with everything the explanation and the metrics need."""

    category: str
    confidence: float
    scores: dict[str, float]
    model: ModelName
    route: Route
    facts: TicketFacts
    needs_review: bool
    tfidf_scores: Mapping[str, float] | None
    fallback: Fallback | None = None


def decide(
    facts: TicketFacts,
    route: Route,
    tfidf_scores: Mapping[str, float] | None,
    transformer_scores: Mapping[str, float] | None,
    config: RoutingConfig,
    fallback: Fallback | None = None,
    tfidf_fallback: Fallback | None = None,
) -> Decision:
    """Pick the answering model, its label and confidence, and whether a human should review it.

    `fallback` names why the transformer did not answer when it was asked (e.g. a timeout),
    `tfidf_fallback` why TF-IDF did not. A degraded answer is always flagged for review.
    """
    model, scores = final_scores(route, tfidf_scores, transformer_scores, config.ensemble_weight)
    category, confidence, _ = top_two(scores)
    if route.to_transformer and transformer_scores is None:
        applied = fallback
    else:
        applied = tfidf_fallback if tfidf_scores is None else None
    return Decision(
        category=category,
        confidence=confidence,
        scores=scores,
        model=model,
        route=route,
        facts=facts,
        needs_review=confidence < config.review_threshold or applied is not None,
        tfidf_scores=tfidf_scores,
        fallback=applied,
    )
