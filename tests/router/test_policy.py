"""Each routing rule, the ensemble, the review flag and the explanation's numbers."""

import asyncio
from dataclasses import replace

import pytest

from core.names import Fallback, ModelName, RouteReason
from router.explain import explain
from router.pipeline import BatchResult, ask_with_timeout
from router.policy import (
    NoModelAvailable,
    RoutingConfig,
    TicketFacts,
    choose_route,
    combine,
    decide,
)

SURE = {"Hardware": 0.90, "Access": 0.06, "Storage": 0.04}
UNSURE = {"Hardware": 0.45, "Access": 0.35, "Storage": 0.20}
CLOSE = {"Hardware": 0.62, "Access": 0.38, "Storage": 0.00}
TRANSFORMER = {"Hardware": 0.10, "Access": 0.85, "Storage": 0.05}
SHORT_EN = TicketFacts(language="en", chars=40, words=8)


def test_short_confident_english_stays_on_tfidf(config: RoutingConfig) -> None:
    route = choose_route(SHORT_EN, SURE, config)
    assert (route.to_transformer, route.reason) == (False, RouteReason.CONFIDENT)


@pytest.mark.parametrize(
    ("facts", "scores", "reason"),
    [
        (TicketFacts("fr", 40, 8), SURE, RouteReason.LANGUAGE),
        (TicketFacts("en", 601, 90), SURE, RouteReason.LONG_TEXT),
        (TicketFacts("en", 500, 101), SURE, RouteReason.LONG_TEXT),
        (SHORT_EN, UNSURE, RouteReason.LOW_CONFIDENCE),
        (SHORT_EN, CLOSE, RouteReason.LOW_MARGIN),
        (SHORT_EN, None, RouteReason.TFIDF_UNAVAILABLE),
    ],
    ids=["french", "long-chars", "long-words", "low-confidence", "low-margin", "tfidf-down"],
)
def test_each_rule_sends_the_ticket_to_the_transformer(config, facts, scores, reason) -> None:
    route = choose_route(facts, scores, config)
    assert (route.to_transformer, route.reason) == (True, reason)


def test_transformer_answers_when_asked(config: RoutingConfig) -> None:
    route = choose_route(SHORT_EN, UNSURE, config)
    decision = decide(SHORT_EN, route, UNSURE, TRANSFORMER, config)
    assert (decision.model, decision.category, decision.confidence) == ("transformer", "Access", 0.85)


def test_ensemble_averages_calibrated_probabilities_with_the_configured_weight(config: RoutingConfig) -> None:
    config = replace(config, ensemble_weight=0.25)
    route = choose_route(SHORT_EN, UNSURE, config)
    decision = decide(SHORT_EN, route, UNSURE, TRANSFORMER, config)
    assert decision.model == "ensemble"
    assert decision.scores["Access"] == pytest.approx(0.25 * 0.85 + 0.75 * 0.35)
    assert decision.category == "Access"  # 0.475 against 0.3625 for Hardware
    assert sum(decision.scores.values()) == pytest.approx(1.0)


def test_combine_covers_labels_known_to_only_one_model() -> None:
    mixed = combine({"A": 1.0}, {"B": 1.0}, weight=0.5)
    assert mixed == {"A": 0.5, "B": 0.5}


def test_transformer_failure_falls_back_to_tfidf_and_says_why(config: RoutingConfig) -> None:
    facts = TicketFacts("fr", 40, 8)
    route = choose_route(facts, SURE, config)
    decision = decide(facts, route, SURE, None, config, fallback=Fallback.TRANSFORMER_TIMEOUT)
    assert (decision.model, decision.fallback) == ("tfidf", "transformer_timeout")
    sentence = explain(decision, config)
    assert "fallback" in sentence and "timed out" in sentence and "'fr'" in sentence


def test_no_model_at_all_raises(config: RoutingConfig) -> None:
    with pytest.raises(NoModelAvailable):
        decide(SHORT_EN, choose_route(SHORT_EN, None, config), None, None, config)


def test_low_final_confidence_needs_review(config: RoutingConfig) -> None:
    weak = {"Hardware": 0.40, "Access": 0.35, "Storage": 0.25}
    decision = decide(SHORT_EN, choose_route(SHORT_EN, weak, config), weak, weak, config)
    assert decision.needs_review
    assert "flagged for review (confidence 0.40 < 0.50)" in explain(decision, config)
    sure = decide(SHORT_EN, choose_route(SHORT_EN, SURE, config), SURE, None, config)
    assert not sure.needs_review


@pytest.mark.parametrize(
    ("facts", "scores", "expected"),
    [
        (SHORT_EN, SURE, "TF-IDF chose Hardware (0.90) because it is a short 'en' ticket (8 words)"),
        (SHORT_EN, SURE, "confidence 0.90 >= 0.60, margin 0.84 >= 0.30"),
        (SHORT_EN, UNSURE, "The transformer chose Access (0.85) because TF-IDF was unsure (confidence 0.45 < 0.60)"),
        (SHORT_EN, CLOSE, "TF-IDF hesitated between two labels (margin 0.24 < 0.30)"),
        (TicketFacts("en", 900, 80), SURE, "the ticket is long (900 characters > 600)"),
        (TicketFacts("ar", 40, 8), SURE, "the ticket is in 'ar' and TF-IDF answers alone only for 'en'"),
    ],
)
def test_explanation_names_model_reason_and_numbers(config, facts, scores, expected) -> None:
    route = choose_route(facts, scores, config)
    decision = decide(facts, route, scores, TRANSFORMER, config)
    sentence = explain(decision, config)
    assert expected in sentence
    assert sentence.endswith(".") and sentence.count(". ") == 0


def test_a_model_call_over_its_timeout_is_reported_not_raised() -> None:
    async def slow(texts: list[str]) -> list[dict[str, float]]:
        await asyncio.sleep(5)
        return []

    result = BatchResult(answers=[])
    scores = asyncio.run(ask_with_timeout(ModelName.TRANSFORMER, slow, ["text"], 0.05, result))
    assert scores is None
    assert result.failures == {"transformer": "transformer_timeout"}
    assert result.seconds["transformer"] < 1
