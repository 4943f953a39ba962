"""TF-IDF + calibrated LinearSVC: learns separable classes, probabilities are a distribution."""

import numpy as np
import pandas as pd

from core.params import load_params
from train.tfidf import build_pipeline, macro_f1, select_features

VOCABULARY = {
    "Hardware": ["printer", "laptop", "monitor", "keyboard", "dock"],
    "Access": ["password", "vpn", "account", "locked", "login"],
    "Storage": ["disk", "quota", "backup", "drive", "restore"],
}


def synthetic(n_per_class: int, seed: int, suffix: str = "") -> pd.DataFrame:
    """Tickets of three classes told apart by their key words (each given `suffix`, e.g. a plural)."""
    random = np.random.default_rng(seed)
    rows = []
    for label, words in VOCABULARY.items():
        for _ in range(n_per_class):
            picked = [f"{word}{suffix}" for word in random.choice(words, size=3)]
            rows.append((f"hello team my {' '.join(picked)} needs help please", label))
    return pd.DataFrame(rows, columns=["text", "label"])


def test_pipeline_learns_separable_classes_with_calibrated_probabilities() -> None:
    params = load_params()
    candidate = params["tfidf"]["candidates"]["word_char"]
    model = build_pipeline(candidate, params["tfidf"]["svm"], params["tfidf"]["calibration"], seed=0)
    model.fit(synthetic(30, seed=1)[["text"]], synthetic(30, seed=1)["label"])
    test = synthetic(10, seed=2)
    proba = model.predict_proba(test[["text"]])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
    assert macro_f1(model, test) == 1.0
    assert sorted(model.classes_) == sorted(VOCABULARY)


def test_feature_selection_keeps_the_candidate_that_generalises_to_unseen_word_forms() -> None:
    """Trained on plurals, validated on singulars: whole words never match, character n-grams do."""
    params = load_params()
    val = synthetic(10, seed=4)
    best, model, scores = select_features(synthetic(30, seed=3, suffix="s"), val, params)
    assert set(scores) == set(params["tfidf"]["candidates"])
    assert scores["word_char"] > scores["word"] + 0.3
    assert best == "word_char"
    assert macro_f1(model, val) == scores["word_char"]  # the fitted model returned is the chosen one
