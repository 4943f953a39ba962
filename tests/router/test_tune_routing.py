"""Threshold selection: the sweep replays the routing rules, the pick honours the targets."""

import numpy as np
import pandas as pd
import pytest

from core.names import ModelName
from router.policy import RoutingConfig
from train.tune_routing import ScoredSplit, bootstrap_standard_error, frontier, pick, sweep

LABELS = ["A", "B"]


def test_sweep_sends_unsure_tickets_to_the_transformer_and_scores_the_mix(config: RoutingConfig) -> None:
    tfidf = np.array([[0.9, 0.1], [0.55, 0.45], [0.2, 0.8], [0.6, 0.4]])
    transformer = np.array([[0.8, 0.2], [0.1, 0.9], [0.3, 0.7], [0.9, 0.1]])
    split = ScoredSplit(
        y_true=np.array(["A", "B", "B", "A"]),
        languages=np.array(["en", "en", "fr", "en"]),
        chars=np.full(4, 20),
        words=np.full(4, 4),
        proba={ModelName.TFIDF: tfidf, ModelName.TRANSFORMER: transformer},
        labels=LABELS,
    )
    grid = {"min_confidence": [0.5, 0.7], "min_margin": [0.0], "max_words": [100], "ensemble_weight": [1.0]}
    table = sweep(split, config, grid).set_index("min_confidence")
    # 0.5: only the French ticket goes; TF-IDF gets ticket 2 wrong. 0.7: tickets 2 and 4 go too, all right.
    assert table.loc[0.5, "share_all"] == pytest.approx(0.25) and table.loc[0.5, "share_en"] == 0.0
    assert table.loc[0.7, "share_all"] == pytest.approx(0.75) and table.loc[0.7, "share_en"] == pytest.approx(2 / 3)
    assert table.loc[0.7, "macro_f1"] == 1.0 > table.loc[0.5, "macro_f1"]


def test_pick_buys_the_best_macro_f1_the_budget_allows_counting_the_tickets_it_names() -> None:
    table = pd.DataFrame(
        {"macro_f1": [0.90, 0.88, 0.86, 0.70], "share_en": [0.80, 0.35, 0.10, 0.0], "share_all": [0.8, 0.5, 0.3, 0.2]}
    )
    chosen, note = pick(table, {"max_transformer_share": 0.4, "tickets": "en"})
    assert chosen["macro_f1"] == 0.88 and note.startswith("within the budget")
    chosen, _ = pick(table, {"max_transformer_share": 0.4, "tickets": "all"})
    assert chosen["macro_f1"] == 0.86
    chosen, _ = pick(table, {"max_transformer_share": 1.0, "tickets": "en"})
    assert chosen["macro_f1"] == 0.90  # a budget for everything buys the most accurate setting
    chosen, note = pick(table, {"max_transformer_share": 0.1, "tickets": "all"})
    assert chosen["share_all"] == 0.2 and "no setting sends at most 10% of all tickets" in note


def test_pick_keeps_the_cheapest_setting_within_the_noise_of_the_best() -> None:
    table = pd.DataFrame(
        {
            "macro_f1": [0.880, 0.876, 0.874, 0.860],
            "share_en": [0.35, 0.20, 0.10, 0.0],
            "share_all": [0.4, 0.2, 0.1, 0.0],
        }
    )
    budget = {"max_transformer_share": 0.4, "tickets": "en"}
    chosen, note = pick(table, budget, tolerance=0.005)
    assert chosen["share_en"] == 0.20 and "cheapest within 0.0050" in note
    chosen, _ = pick(table, budget, tolerance=0.0)
    assert chosen["macro_f1"] == 0.880


def test_frontier_keeps_only_settings_nothing_beats_on_both_cost_and_accuracy() -> None:
    table = pd.DataFrame({"macro_f1": [0.86, 0.85, 0.88, 0.87, 0.89], "share_all": [0.1, 0.2, 0.3, 0.4, 0.9]})
    assert frontier(table)["macro_f1"].tolist() == [0.86, 0.88, 0.89]


def test_bootstrap_standard_error_shrinks_with_more_tickets() -> None:
    labels = ["a", "b"]
    random = np.random.default_rng(0)
    errors = []
    for size in (100, 2000):
        y_true = random.choice(labels, size)
        right = random.random(size) < 0.8
        predicted = np.where(right, y_true, np.where(y_true == "a", "b", "a"))
        final = np.stack([predicted == "a", predicted == "b"], axis=1).astype(float)
        errors.append(bootstrap_standard_error(y_true, final, labels, rounds=100, seed=1))
    assert 0 < errors[1] < errors[0] / 2
