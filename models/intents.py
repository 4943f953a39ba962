"""The chat's intent classifier at run time: a scrubbed chat message in, (intent, probability) out.

The model is a scikit-learn pipeline saved with skops (no pickle: only the listed types load),
written by the `train_intents` DVC stage.
"""

import re
from pathlib import Path

from core.errors import ConfigError

NUMBER = re.compile(r"\d+")
# Everything a TF-IDF + logistic regression pipeline holds; skops refuses any other type in the file.
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
]


def normalize_utterance(text: str) -> str:
    """Lower case, every number the same token: 'show ticket 12' and 'show ticket 7' say the same thing."""
    return NUMBER.sub(" 0 ", text.lower())


class IntentPredictor:
    """Messages -> the most likely intent and its probability."""

    def __init__(self, path: Path) -> None:
        from models.tfidf import import_skops_io  # without torch: +180 MB in the agent's worker otherwise

        if not path.is_file():
            raise ConfigError(f"no intent model at {path}: run `dvc repro train_intents`")
        self.pipeline = import_skops_io().load(path, trusted=TRUSTED_TYPES)

    def predict(self, text: str) -> tuple[str, float]:
        """The best intent of one message and its probability."""
        proba = self.pipeline.predict_proba([normalize_utterance(text)])[0]
        best = int(proba.argmax())
        return str(self.pipeline.classes_[best]), float(proba[best])
