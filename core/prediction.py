"""The one prediction schema of both model runtimes and services, with input limits from params.yaml."""

from typing import Annotated

import numpy as np
from pydantic import BaseModel, Field, StringConstraints

from core.params import load_params

SERVING = load_params()["serving"]

TicketText = Annotated[
    # pattern: the OpenAPI document says what strip_whitespace + min_length mean (not only spaces)
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=SERVING["max_text_chars"], pattern=r"\S"),
]
TicketBatch = Annotated[list[TicketText], Field(min_length=1, max_length=SERVING["max_batch_texts"])]


class ModelInfo(BaseModel):
    """Which model answered: its store tag and what it really ran (e.g. the backbone)."""

    name: str
    version: str
    details: dict[str, str] = Field(default_factory=dict)


class Prediction(BaseModel):
    """One ticket's label, its probability and the probability of every class."""

    label: str
    confidence: float
    scores: dict[str, float]
    model: ModelInfo


def to_predictions(classes: list[str], proba: np.ndarray, model: ModelInfo) -> list[Prediction]:
    """One Prediction per row of a (texts x classes) probability matrix."""
    predictions = []
    for row in proba:
        best = int(row.argmax())
        scores = {name: float(p) for name, p in zip(classes, row, strict=True)}
        predictions.append(Prediction(label=classes[best], confidence=float(row[best]), scores=scores, model=model))
    return predictions
