"""Run the TF-IDF pipeline from its MLflow model folder, without importing MLflow.

Every `bentoml serve` worker imports the service modules; MLflow would cost each of them ~2 s of
start-up and tens of MB. The MLflow sklearn flavour is a cloudpickle file named in `MLmodel`.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import cloudpickle
import numpy as np
import pandas as pd
import yaml

from core.columns import TEXT
from core.errors import ConfigError

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

SERIALIZATION = "cloudpickle"
WORD_FEATURES = "word"  # the FeatureUnion block of word n-grams (train/tfidf.py builds it)


def load_pipeline(mlflow_model_dir: Path | str) -> "Pipeline":
    """The fitted pipeline of an MLflow sklearn model saved with cloudpickle (ours, from the registry)."""
    model_dir = Path(mlflow_model_dir)
    flavor = yaml.safe_load((model_dir / "MLmodel").read_text())["flavors"]["sklearn"]
    if flavor.get("serialization_format") != SERIALIZATION:
        found = flavor.get("serialization_format")
        raise ConfigError(f"{model_dir}: expected a {SERIALIZATION} sklearn flavour, got {found}")
    with (model_dir / flavor["pickled_model"]).open("rb") as handle:
        return cloudpickle.load(handle)


class TfidfPredictor:
    """Texts -> calibrated class probabilities, columns in `self.labels` order."""

    def __init__(self, mlflow_model_dir: Path | str) -> None:
        self.pipeline = load_pipeline(mlflow_model_dir)
        self.labels: list[str] = [str(name) for name in self.pipeline.classes_]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """The pipeline reads the `text` column of a DataFrame (what MLflow pyfunc passes too)."""
        return self.pipeline.predict_proba(pd.DataFrame({TEXT: list(texts)}))

    def known_terms(self, texts: Sequence[str]) -> np.ndarray:
        """How many distinct word n-grams of each text the model knows: few means out of vocabulary (drift)."""
        words = dict(self.pipeline.named_steps["features"].transformer_list)[WORD_FEATURES]
        return np.asarray((words.transform(list(texts)) > 0).sum(axis=1)).ravel()

    def details(self) -> dict[str, str]:
        """What this model runs, for every prediction's metadata."""
        return {"kind": "tfidf"}
