"""TF-IDF + calibrated LinearSVC: learns separable classes, probabilities are a distribution."""

import numpy as np
import pandas as pd

from train.params import load_params
from train.tfidf import build_pipeline, macro_f1, select_features

VOCABULARY = {
    "Hardware": ["printer", "laptop", "monitor", "keyboard", "dock"],
    "Access": ["password", "vpn", "account", "locked", "login"],
    "Storage": ["disk", "quota", "backup", "drive", "restore"],
}


def synthetic(n_per_class: int, seed: int) -> pd.DataFrame:
    random = np.random.default_rng(seed)
    rows = []
    for label, words in VOCABULARY.items():
        for _ in range(n_per_class):
            picked = random.choice(words, size=3)
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


def test_feature_selection_keeps_the_best_validation_candidate() -> None:
    params = load_params()
    best, model, scores = select_features(synthetic(30, seed=3), synthetic(10, seed=4), params)
    assert set(scores) == set(params["tfidf"]["candidates"])
    assert scores[best] == max(scores.values())
    assert macro_f1(model, synthetic(10, seed=4)) == scores[best]
