"""DVC stage `train_tfidf`: TF-IDF + calibrated LinearSVC, features chosen on validation."""

import time
from functools import partial
from importlib.metadata import version
from operator import itemgetter
from pathlib import Path
from typing import Any

import mlflow
import mlflow.sklearn
import numpy as np
import pandas as pd
from mlflow.models import infer_signature
from sklearn.calibration import CalibratedClassifierCV
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from core.columns import LABEL, TEXT
from core.errors import one_line_errors
from core.names import ModelName
from core.params import PROJECT_ROOT, load_params
from models.tfidf import SERIALIZATION, TRUSTED_TYPES
from models.tfidf_vectorizer import CompactTfidfVectorizer
from train.champions import predictor_at
from train.evaluate import evaluate, proba_macro_f1
from train.feedback import FEEDBACK_SLICE, WEIGHT
from train.registry import gate, gate_slices, write_stage_metrics
from train.tracking import begin_training, log_evaluation

ANALYZERS = {"word": "word", "char": "char_wb"}
METRICS_PATH = Path("metrics/tfidf.json")
# The vectorizer class the skops file names, shipped with the logged model so it loads anywhere.
CODE_PATHS = [str(PROJECT_ROOT / "core"), str(PROJECT_ROOT / "models")]


def pip_requirements() -> list[str]:
    """What loading the logged pipeline needs (given, so MLflow skips its slow inference of them)."""
    return [f"{name}=={version(name)}" for name in ("scikit-learn", "skops", "pandas", "numpy", "scipy")]


def log_pipeline(model: Pipeline, registered_name: str, example: pd.DataFrame):
    """Log the fitted pipeline as an MLflow sklearn model in skops format, and register it (also priority's TF-IDF).

    skops rebuilds only trusted types and runs no code from the file (cloudpickle would); the
    trusted list is models.tfidf's, the same one the runtimes load with.
    """
    return mlflow.sklearn.log_model(
        model,
        name="model",
        serialization_format=SERIALIZATION,
        skops_trusted_types=list(TRUSTED_TYPES),
        code_paths=CODE_PATHS,
        pip_requirements=pip_requirements(),
        signature=infer_signature(example, model.predict(example)),
        input_example=example.head(2),
        registered_model_name=registered_name,
    )


def vectorizer(kind: str, options: dict[str, Any]) -> CompactTfidfVectorizer:
    """One TF-IDF block (`word` or `char`) with its params.yaml options."""
    return CompactTfidfVectorizer(analyzer=ANALYZERS[kind], **{**options, "ngram_range": tuple(options["ngram_range"])})


def build_pipeline(features: dict[str, dict], svm: dict[str, Any], calibration: dict[str, Any], seed: int) -> Pipeline:
    """The `text` column of a DataFrame (what MLflow pyfunc passes), TF-IDF blocks, a calibrated LinearSVC.

    A FunctionTransformer + FeatureUnion rather than a ColumnTransformer: same features, a few ms
    less per single-text call, which is the TF-IDF service's whole budget.
    """
    vectorizers = [
        (
            kind,
            CompactTfidfVectorizer(
                analyzer=ANALYZERS[kind], **options | {"ngram_range": tuple(options["ngram_range"])}
            ),
        )
        for kind, options in features.items()
    ]
    classifier = CalibratedClassifierCV(LinearSVC(random_state=seed, **svm), **calibration)
    return Pipeline(
        [
            ("text", FunctionTransformer(itemgetter(TEXT))),
            ("features", FeatureUnion(vectorizers)),
            ("classifier", classifier),
        ]
    )


def macro_f1(model: Pipeline, frame: pd.DataFrame) -> float:
    """Macro-F1 of a fitted pipeline on a split: how feature candidates are compared on validation."""
    return proba_macro_f1(frame[LABEL], model.predict_proba(frame[[TEXT]]), list(model.classes_))


def sample_weights(frame: pd.DataFrame) -> np.ndarray:
    """Per-row training weights: feedback rows count `feedback.weight` times (prepare sets them)."""
    return frame[WEIGHT].to_numpy() if WEIGHT in frame else np.ones(len(frame))


def select_features(train: pd.DataFrame, val: pd.DataFrame, params: dict) -> tuple[str, Pipeline, dict[str, float]]:
    """Fit every feature candidate on train; keep the one with the best validation macro-F1."""
    scores, fitted = {}, {}
    for name, features in params["tfidf"]["candidates"].items():
        model = build_pipeline(
            features, params["tfidf"]["svm"], params["tfidf"]["calibration"], params["split"]["seed"]
        )
        fitted[name] = model.fit(train[[TEXT]], train[LABEL], classifier__sample_weight=sample_weights(train))
        scores[name] = macro_f1(model, val)
        print(f"tfidf: candidate {name}: validation macro-F1 {scores[name]:.4f}")
    best = max(scores, key=scores.get)
    return best, fitted[best], scores


@one_line_errors
def main() -> None:
    params = load_params()
    splits = begin_training(params)
    model_name = params["registry"]["tfidf_model"]
    with mlflow.start_run(run_name="tfidf") as run:
        mlflow.log_params(pd.json_normalize({"tfidf": params["tfidf"], "split": params["split"]}).iloc[0].to_dict())
        mlflow.log_params({"train_rows": len(splits["train"]), "data_path": params["data"]["path"]})
        started = time.perf_counter()
        best, model, val_scores = select_features(splits["train"], splits["val"], params)
        train_seconds = time.perf_counter() - started
        mlflow.log_metrics({f"val_macro_f1_{name}": score for name, score in val_scores.items()})
        mlflow.log_metrics({"train_seconds": train_seconds})
        mlflow.set_tag("features", best)
        test = splits["test"]
        evaluation = evaluate(
            test[LABEL], model.predict_proba(test[[TEXT]]), list(model.classes_), params["tracking"]["calibration_bins"]
        )
        log_evaluation(evaluation, "test")
        print(evaluation.report)
        info = log_pipeline(model, model_name, test[[TEXT]].head(5))
        load, slices = partial(predictor_at, ModelName.TFIDF), gate_slices(test, splits[FEEDBACK_SLICE])
        decision = gate(model_name, str(info.registered_model_version), load, slices, params["registry"])
    print(f"tfidf: {decision.summary()}")
    details = {"features": best, "train_seconds": round(train_seconds, 2)}
    write_stage_metrics(METRICS_PATH, decision, run.info.run_id, evaluation.metrics, **details)


if __name__ == "__main__":
    main()
