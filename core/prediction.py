"""The one prediction schema of both model runtimes and services, with input limits from params.yaml."""

from collections.abc import Sequence
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
    # TF-IDF only: how many distinct word n-grams of the text the model knows (few = out of vocabulary, drift)
    known_terms: int | None = None


def to_predictions(
    classes: list[str], proba: np.ndarray, model: ModelInfo, known_terms: Sequence[int] | None = None
) -> list[Prediction]:
    """One Prediction per row of a (texts x classes) probability matrix, with each text's known terms if given."""
    predictions = []
    for index, row in enumerate(proba):
        best = int(row.argmax())
        scores = {name: float(p) for name, p in zip(classes, row, strict=True)}
        hits = int(known_terms[index]) if known_terms is not None else None
        predictions.append(
            Prediction(label=classes[best], confidence=float(row[best]), scores=scores, model=model, known_terms=hits)
        )
    return predictions
