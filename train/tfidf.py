"""DVC stage `train_tfidf`: TF-IDF + calibrated LinearSVC, features chosen on validation."""

import time
from functools import partial
from importlib.metadata import version
from operator import itemgetter
from pathlib import Path
from typing import Any

import mlflow
import mlflow.sklearn
import pandas as pd
from mlflow.models import infer_signature
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from core.columns import LABEL, TEXT
from core.errors import one_line_errors
from core.params import load_params
from train.evaluate import ProbaScore, evaluate, proba_macro_f1
from train.registry import gate, write_stage_metrics
from train.tracking import begin_training, log_evaluation

ANALYZERS = {"word": "word", "char": "char_wb"}
METRICS_PATH = Path("metrics/tfidf.json")


def pip_requirements() -> list[str]:
    """What loading the logged pipeline needs (given, so MLflow skips its slow inference of them)."""
    return [f"{name}=={version(name)}" for name in ("scikit-learn", "cloudpickle", "pandas", "numpy", "scipy")]


def build_pipeline(features: dict[str, dict], svm: dict[str, Any], calibration: dict[str, Any], seed: int) -> Pipeline:
    """The `text` column of a DataFrame (what MLflow pyfunc passes), TF-IDF blocks, a calibrated LinearSVC.

    A FunctionTransformer + FeatureUnion rather than a ColumnTransformer: same features, a few ms
    less per single-text call, which is the TF-IDF service's whole budget.
    """
    vectorizers = [
        (kind, TfidfVectorizer(analyzer=ANALYZERS[kind], **{**options, "ngram_range": tuple(options["ngram_range"])}))
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


def registered_score(model_uri: str, test: pd.DataFrame, score: ProbaScore) -> float:
    """The gate's score of a registered pipeline on this test split (its own class order): the re-score."""
    model = mlflow.sklearn.load_model(model_uri)
    return score(test[LABEL], model.predict_proba(test[[TEXT]]), list(model.classes_))


def select_features(train: pd.DataFrame, val: pd.DataFrame, params: dict) -> tuple[str, Pipeline, dict[str, float]]:
    """Fit every feature candidate on train; keep the one with the best validation macro-F1."""
    scores, fitted = {}, {}
    for name, features in params["tfidf"]["candidates"].items():
        model = build_pipeline(
            features, params["tfidf"]["svm"], params["tfidf"]["calibration"], params["split"]["seed"]
        )
        fitted[name] = model.fit(train[[TEXT]], train[LABEL])
        scores[name] = macro_f1(model, val)
        print(f"tfidf: candidate {name}: validation macro-F1 {scores[name]:.4f}")
    best = max(scores, key=scores.get)
    return best, fitted[best], scores


def log_pipeline(model: Pipeline, examples: pd.DataFrame, registered_name: str):
    """Log a fitted TF-IDF pipeline as an MLflow sklearn model and register it (also the priority stage's TF-IDF)."""
    return mlflow.sklearn.log_model(
        model,
        name="model",
        # cloudpickle, not skops: importing skops imports torch (sklearn estimator discovery),
        # which would double the TF-IDF worker's memory.
        serialization_format="cloudpickle",
        pip_requirements=pip_requirements(),
        signature=infer_signature(examples[[TEXT]].head(5), model.predict(examples[[TEXT]].head(5))),
        input_example=examples[[TEXT]].head(2),
        registered_model_name=registered_name,
    )


@one_line_errors
def main() -> None:
    params = load_params()
    score, splits = begin_training(params)
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
        info = log_pipeline(model, test, model_name)
        rescore = partial(registered_score, test=test, score=score)
        decision = gate(model_name, str(info.registered_model_version), evaluation.metrics, rescore, params["registry"])
    print(f"tfidf: {decision.summary()}")
    details = {"features": best, "train_seconds": round(train_seconds, 2)}
    write_stage_metrics(METRICS_PATH, decision, run.info.run_id, evaluation.metrics, **details)


if __name__ == "__main__":
    main()
