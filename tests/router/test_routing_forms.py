"""The routing rule exists once: the tuner's vectorised form equals the agent's per-ticket form.

Random tickets, thresholds, weights (1.0 included) and label sets where each model may lack labels
the other knows: any drift between `choose_route`/`final_scores` and `route_mask`/`routed_proba`
fails here.
"""

import numpy as np
import pytest

from router.policy import RoutingConfig, TicketFacts, choose_route, final_scores, route_mask, routed_proba

UNIVERSE = ["Access", "Hardware", "HR", "Purchase", "Storage"]
LANGUAGES = ["en", "fr", "ar"]


def random_scores(random: np.random.Generator, labels: list[str], rows: int) -> list[dict[str, float]]:
    """Calibrated-looking distributions over `labels`, some peaked and some flat."""
    concentration = random.choice([0.2, 1.0, 5.0])
    return [dict(zip(labels, random.dirichlet([concentration] * len(labels)), strict=True)) for _ in range(rows)]


def aligned(scores: list[dict[str, float]], labels: list[str]) -> np.ndarray:
    """Rows on the common label set, 0 where a model lacks a label (as the tuner aligns them)."""
    return np.array([[row.get(label, 0.0) for label in labels] for row in scores])


def random_config(random: np.random.Generator) -> RoutingConfig:
    return RoutingConfig(
        tfidf_languages=("en",) if random.random() < 0.7 else ("en", "fr"),
        max_chars=int(random.choice([80, 600])),
        max_words=int(random.choice([5, 12, 200])),
        min_confidence=float(random.choice([0.0, 0.4, 0.6, 0.9])),
        min_margin=float(random.choice([0.0, 0.1, 0.3])),
        ensemble_weight=float(random.choice([0.0, 0.3, 0.5, 1.0])),
        review_threshold=0.5,
    )


@pytest.mark.parametrize("seed", range(60))
def test_vectorised_routing_equals_the_per_ticket_rules(seed: int) -> None:
    random = np.random.default_rng(seed)
    rows = 40
    tfidf_labels = sorted(random.choice(UNIVERSE, size=int(random.integers(2, 6)), replace=False))
    transformer_labels = sorted(random.choice(UNIVERSE, size=int(random.integers(2, 6)), replace=False))
    tfidf, transformer = random_scores(random, tfidf_labels, rows), random_scores(random, transformer_labels, rows)
    config = random_config(random)
    # Lengths on and around the limits, where `>` and `>=` part ways.
    chars = [config.max_chars + offset for offset in (-1, 0, 1)] + [10, 2000]
    words = [config.max_words + offset for offset in (-1, 0, 1)] + [1, 300]
    facts = [
        TicketFacts(str(random.choice(LANGUAGES)), int(random.choice(chars)), int(random.choice(words)))
        for _ in range(rows)
    ]
    labels = sorted(set(tfidf_labels) | set(transformer_labels))

    routes = [choose_route(fact, scores, config) for fact, scores in zip(facts, tfidf, strict=True)]
    finals = [
        final_scores(route, tf, tr, config.ensemble_weight)[1]
        for route, tf, tr in zip(routes, tfidf, transformer, strict=True)
    ]
    mask = route_mask(
        np.array([fact.language for fact in facts]),
        np.array([fact.chars for fact in facts]),
        np.array([fact.words for fact in facts]),
        aligned(tfidf, labels),
        config,
    )
    vectorised = routed_proba(mask, aligned(tfidf, labels), aligned(transformer, labels), config.ensemble_weight)

    assert mask.tolist() == [route.to_transformer for route in routes]
    np.testing.assert_allclose(vectorised, aligned(finals, labels), atol=1e-12)
