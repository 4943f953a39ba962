"""The served champions as the serving runtimes run them: for the routing tuner and the benchmarks.

Each import stage records which MLflow version it put into the BentoML store (`registry.served_records`);
the same version is downloaded here and run through `models/`, so tuning sees what the agent will serve.
"""

from pathlib import Path
from typing import Protocol

import mlflow.artifacts
import numpy as np
import pandas as pd

from core.names import ModelName
from core.served import require_served
from models.tfidf import TfidfPredictor
from models.transformer import TransformerPredictor, packaged_model_dir


class Predictor(Protocol):
    """What both runtimes offer: probabilities over `labels` for a list of texts."""

    labels: list[str]

    def predict_proba(self, texts: list[str]) -> np.ndarray: ...


def predictor_at(kind: str, model_dir: Path) -> Predictor:
    """An MLflow model folder of `kind`, run by its serving runtime."""
    if kind == ModelName.TFIDF:
        return TfidfPredictor(model_dir)
    return TransformerPredictor(packaged_model_dir(model_dir))


def registered_predictor(kind: str, model_uri: str) -> Predictor:
    """A registered model version (`models:/NAME/VERSION`), downloaded and run by its serving runtime."""
    return predictor_at(kind, Path(mlflow.artifacts.download_artifacts(artifact_uri=model_uri)))


def served_predictors(registry_params: dict) -> dict[ModelName, Predictor]:
    """Both served models, loaded with the serving runtimes."""
    return {
        kind: registered_predictor(kind, f"models:/{record['mlflow_model']}/{record['mlflow_version']}")
        for kind, record in (
            (kind, require_served(registry_params, kind)) for kind in (ModelName.TFIDF, ModelName.TRANSFORMER)
        )
    }


def aligned_proba(
    predictors: dict[ModelName, Predictor], texts: list[str]
) -> tuple[list[str], dict[ModelName, np.ndarray]]:
    """Every model's probabilities on the union of their labels (0 where a model lacks a label)."""
    frames = {
        name: pd.DataFrame(predictor.predict_proba(texts), columns=predictor.labels)
        for name, predictor in predictors.items()
    }
    labels = sorted(set().union(*(frame.columns for frame in frames.values())))
    return labels, {name: frame.reindex(columns=labels, fill_value=0.0).to_numpy() for name, frame in frames.items()}
