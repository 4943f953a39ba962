"""How the chat's intent classifier was configured: cross-validation on the TRAINING split only
(`python -m bench.intent_cv`).

For each candidate (params `intents:` with a few values changed), 5-fold out-of-fold probabilities
on the training messages, then the accuracy of the chat's decision (`models.intents.decide`) at each
confidence threshold. The held-out split is never read here: `python -m bench.intent_bench` scores
the chosen configuration on it.
"""

import time
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from core.params import load_params
from models.intents import decide, normalize_utterance
from train.intents import build_pipeline, load_intents, split_intents

FOLDS = 5
THRESHOLDS = (0.0, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
CANDIDATES: dict[str, dict[str, Any]] = {
    "params.yaml": {},
    "n-grams only": {"embedding_weight": 0.0},
    "n-grams only, C 20": {"embedding_weight": 0.0, "C": 20.0},
    "n-grams only, unbal.": {"embedding_weight": 0.0, "class_weight": None},
    "n-grams, char 1-5": {"embedding_weight": 0.0, "char_ngrams": [1, 5]},
    "embedding 1": {"embedding_weight": 1.0},
    "embedding 3": {"embedding_weight": 3.0},
    "embedding 2, C 200": {"C": 200.0},
}


def out_of_fold_accuracy(intents: dict[str, Any], texts: list[str], labels: np.ndarray) -> dict[float, float]:
    """Accuracy of the chat's decision at each threshold, from out-of-fold probabilities."""
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=intents["seed"])
    probabilities = cross_val_predict(build_pipeline(intents), texts, labels, cv=folds, method="predict_proba")
    classes = np.unique(labels)  # cross_val_predict orders the columns as the sorted classes
    return {
        threshold: float(np.mean([intent for intent, _ in decide(probabilities, classes, threshold)] == labels))
        for threshold in THRESHOLDS
    }


def main() -> None:
    params = load_params()
    intents = params["intents"]
    train, _ = split_intents(load_intents(intents["data"]), intents)
    texts, labels = train["text"].map(normalize_utterance).tolist(), train["intent"].to_numpy()
    print(f"{FOLDS}-fold CV on the {len(train)} training messages; accuracy of the chat's decision by threshold")
    print("candidate             " + " ".join(f"{threshold:>5}" for threshold in THRESHOLDS) + "  seconds")
    for name, change in CANDIDATES.items():
        started = time.perf_counter()
        scores = out_of_fold_accuracy({**intents, **change}, texts, labels)
        row = " ".join(f"{score:5.3f}" for score in scores.values())
        print(f"{name:<21} {row}  {time.perf_counter() - started:5.1f}")
    print(f"desk.chat.min_intent_confidence in params.yaml: {params['desk']['chat']['min_intent_confidence']}")


if __name__ == "__main__":
    main()
