"""The chat's intent classifier at run time: a scrubbed chat message in, (intent, probability) out.

The model is a scikit-learn pipeline saved with skops (no pickle: only the listed types load),
written by the `train_intents` DVC stage. `decide` is the chat's rule, and the one the stage scores.
"""

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import ConfigError
from models.sentences import load_sentence_model

NUMBER = re.compile(r"\d+")
WORD = re.compile(r"\w+")  # a message's words: its normal form, and how long a refusal may be
OUT_OF_SCOPE = "other"  # answered "I did not understand", with examples
WARM_UP_MESSAGE = "help"
# Everything the pipeline holds (n-gram TF-IDF, the sentence-embedding step: only its weight, logistic
# regression); skops refuses any other type in the file.
TRUSTED_TYPES = [
    "builtins.dict",
    "builtins.float",
    "builtins.int",
    "builtins.list",
    "builtins.str",
    "builtins.tuple",
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "numpy.ndarray",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
    "models.sentences.SentenceEmbedding",
]


def normalize_utterance(text: str) -> str:
    """Lower case, every number the same token: 'show ticket 12' and 'show ticket 7' say the same thing."""
    return NUMBER.sub(" 0 ", text.lower())


def decide(probabilities: np.ndarray, classes: Sequence[str], min_confidence: float) -> list[tuple[str, float]]:
    """Each message's most likely intent and its probability; `other` when that probability is under
    `min_confidence`: the chat would rather say it did not understand than act on a guess."""
    best = probabilities.argmax(axis=1)
    confidence = probabilities[np.arange(len(best)), best]
    return [
        (str(classes[index]) if sure >= min_confidence else OUT_OF_SCOPE, float(sure))
        for index, sure in zip(best, confidence, strict=True)
    ]


def predict_intents(pipeline: Any, texts: Iterable[str], min_confidence: float) -> list[tuple[str, float]]:
    """`decide` on a fitted pipeline's probabilities: what the chat answers, and what the stage scores."""
    probabilities = pipeline.predict_proba([normalize_utterance(text) for text in texts])
    return decide(probabilities, pipeline.classes_, min_confidence)


class IntentPredictor:
    """Messages -> the intent the chat acts on and the classifier's probability for its best guess."""

    def __init__(self, path: Path, min_confidence: float, embedding_threads: int | None = None) -> None:
        from models.tfidf import import_skops_io  # without torch: +180 MB in the agent's worker otherwise

        if not path.is_file():
            raise ConfigError(f"no intent model at {path}: run `dvc repro train_intents`")
        load_sentence_model(embedding_threads)
        self.pipeline = import_skops_io().load(path, trusted=TRUSTED_TYPES)
        self.min_confidence = min_confidence
        self.predict(WARM_UP_MESSAGE)  # the model file's pages are read now, not on a user's first message

    def predict(self, text: str) -> tuple[str, float]:
        """The intent of one message (by `decide`) and the probability of the classifier's best guess."""
        (decision,) = predict_intents(self.pipeline, [text], self.min_confidence)
        return decision
