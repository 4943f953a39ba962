"""The priority candidates, each trained on the same split: TF-IDF and the encoders (train.priority.encoder)."""

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from core.columns import LABEL, PRIORITY, TEXT
from models.transformer import MODEL_DIR_ARTIFACT
from train.evaluate import proba_macro_f1
from train.priority.encoder import CANDIDATE_HEADS, EncoderRun, head_predictor, train_encoder
from train.tfidf import build_pipeline
from train.transformer.export import latency_ms

TFIDF = "tfidf"
CANDIDATES = (TFIDF, *CANDIDATE_HEADS)


@dataclass
class FittedTfidf:
    """A fitted TF-IDF pipeline with the runtimes' interface (labels, predict_proba on texts)."""

    pipeline: Pipeline

    @property
    def labels(self) -> list[str]:
        return [str(name) for name in self.pipeline.classes_]

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return self.pipeline.predict_proba(pd.DataFrame({TEXT: list(texts)}))


@dataclass
class Candidate:
    """One trained candidate: its priority probabilities (None without a priority head) and its costs."""

    name: str
    labels: list[str] | None
    val_proba: np.ndarray | None
    test_proba: np.ndarray | None
    latency_ms: float
    train_seconds: float
    artifact: FittedTfidf | EncoderRun
    details: dict[str, float | str] = field(default_factory=dict)


def train_tfidf(splits: dict[str, pd.DataFrame], params: dict) -> Candidate:
    """TF-IDF (params' `priority.tfidf_features`) + calibrated LinearSVC on the priority column."""
    tfidf = params["tfidf"]
    features = tfidf["candidates"][params["priority"]["tfidf_features"]]
    pipeline = build_pipeline(features, tfidf["svm"], tfidf["calibration"], params["split"]["seed"])
    started = time.perf_counter()
    model = FittedTfidf(pipeline.fit(splits["train"][[TEXT]], splits["train"][PRIORITY]))
    train_seconds = time.perf_counter() - started
    texts = splits["test"][TEXT].tolist()
    return Candidate(
        name=TFIDF,
        labels=model.labels,
        val_proba=model.predict_proba(splits["val"][TEXT].tolist()),
        test_proba=model.predict_proba(texts),
        latency_ms=latency_ms(model, texts[: params["priority"]["latency_samples"]]),
        train_seconds=train_seconds,
        artifact=model,
    )


def encoder_candidate(name: str, splits: dict[str, pd.DataFrame], params: dict, out_dir: Path) -> Candidate:
    """Train an encoder candidate; priority probabilities from its priority head, category F1 from its other."""
    run = train_encoder(name, splits, params, out_dir)
    heads = {head.name for head in run.heads}
    details: dict[str, float | str] = {
        "backbone": run.backbone,
        "variant": run.export_check["chosen"],
        "train_samples_per_second": run.samples_per_second,
    }
    if "category" in heads:
        category = head_predictor(run, "category")
        test = splits["test"]
        proba = category.predict_proba(test[TEXT].tolist())
        details["category_test_macro_f1"] = proba_macro_f1(test[LABEL].astype(str), proba, category.labels)
    latency = run.export_check["variants"][run.export_check["chosen"]]["latency_ms"]
    if "priority" not in heads:
        return Candidate(name, None, None, None, latency, run.train_seconds, run, details)
    priority = head_predictor(run, "priority")
    return Candidate(
        name=name,
        labels=priority.labels,
        val_proba=priority.predict_proba(splits["val"][TEXT].tolist()),
        test_proba=priority.predict_proba(splits["test"][TEXT].tolist()),
        latency_ms=latency,
        train_seconds=run.train_seconds,
        artifact=run,
        details=details,
    )


def train_candidate(name: str, splits: dict[str, pd.DataFrame], params: dict, workdir: Path) -> Candidate:
    """Dispatch on the candidate's name (params' `priority.candidates`)."""
    if name == TFIDF:
        return train_tfidf(splits, params)
    # Packaged as the transformer stage packages its model: MLflow keeps the folder's name, the runtime expects it.
    return encoder_candidate(name, splits, params, workdir / name / MODEL_DIR_ARTIFACT)
