"""Run the TF-IDF pipeline from its MLflow model folder: skops, never a pickle, and without MLflow.

The pipeline is stored with skops (`model.skops`), which rebuilds only the types it is told to trust
and runs no code from the file. Every `bentoml serve` worker imports the service modules, so this
module stays light: no MLflow, no scikit-learn until a model loads, and no torch (see `import_skops_io`).
"""

import importlib.abc
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml

from core.columns import TEXT
from core.errors import IntegrityError

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

SERIALIZATION = "skops"
# What a TF-IDF model file may contain beyond skops' defaults (scikit-learn's public estimators,
# numpy and scipy types): our vectorizer, the column selector and the calibration internals. The
# list lives here, in code: the one MLflow writes into MLmodel is ignored, since whoever can edit
# the model folder can edit that too.
TRUSTED_TYPES = (
    "models.tfidf_vectorizer.CompactTfidfVectorizer",
    "operator.itemgetter",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
)


class _RefuseImport(importlib.abc.MetaPathFinder):
    """Makes `import NAME` (and its submodules) fail with ImportError while installed."""

    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> None:
        if fullname == self.name or fullname.startswith(f"{self.name}."):
            raise ModuleNotFoundError(f"{fullname} is not imported by the TF-IDF runtime", name=fullname)


@contextmanager
def _without(name: str) -> Iterator[None]:
    finder = _RefuseImport(name)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def import_skops_io() -> Any:
    """skops.io, imported without torch.

    Importing skops.io builds its default trusted list with sklearn's `all_estimators()`, which
    imports every sklearn package, `sklearn.externals.array_api_compat.torch` included: that one
    imports torch when it is installed, doubling the TF-IDF worker's memory (242 -> 425 MB). The
    scan skips a package that fails to import and drops `externals` anyway, so refusing torch for
    the length of that import changes nothing but the memory. Where torch is already loaded (the
    routing tuner) nothing is refused.
    """
    if "torch" in sys.modules or "skops.io" in sys.modules:
        import skops.io

        return skops.io
    with _without("torch"):
        import skops.io
    return skops.io


def model_file(model_dir: Path) -> Path:
    """The skops file named by an MLflow sklearn model's MLmodel; a pickled model is refused."""
    flavor = yaml.safe_load((model_dir / "MLmodel").read_text(encoding="utf-8"))["flavors"]["sklearn"]
    found = flavor.get("serialization_format")
    if found != SERIALIZATION:
        raise IntegrityError(
            f"{model_dir}: the TF-IDF model is stored as {found}, which runs code when loaded; only "
            f"{SERIALIZATION} is loaded: retrain it (`dvc repro train_tfidf`)"
        )
    return model_dir / flavor["pickled_model"]  # MLflow's key for the model file, whatever its format


WORD_FEATURES = "word"  # the FeatureUnion block of word n-grams (train/tfidf.py builds it)


def load_pipeline(mlflow_model_dir: Path | str) -> "Pipeline":
    """The fitted pipeline of an MLflow sklearn model saved with skops, rebuilding trusted types only."""
    path = model_file(Path(mlflow_model_dir))
    skops_io = import_skops_io()
    from skops.io.exceptions import UntrustedTypesFoundException

    try:
        return skops_io.load(path, trusted=list(TRUSTED_TYPES))
    except UntrustedTypesFoundException as error:
        raise IntegrityError(f"{path}: refusing to load types that are not trusted: {error}") from None


def word_feature_columns(pipeline: "Pipeline") -> slice:
    """Where the word n-gram block sits in the FeatureUnion's output (blocks are stacked in their order)."""
    start = 0
    for name, vectorizer in pipeline.named_steps["features"].transformer_list:
        width = len(vectorizer.vocabulary_)
        if name == WORD_FEATURES:
            return slice(start, start + width)
        start += width
    raise IntegrityError(f"the TF-IDF pipeline has no {WORD_FEATURES!r} feature block")


class TfidfPredictor:
    """Texts -> calibrated class probabilities, columns in `self.labels` order."""

    def __init__(self, mlflow_model_dir: Path | str) -> None:
        self.pipeline = load_pipeline(mlflow_model_dir)
        self.labels: list[str] = [str(name) for name in self.pipeline.classes_]
        self.word_columns = word_feature_columns(self.pipeline)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """The pipeline reads the `text` column of a DataFrame (what MLflow pyfunc passes too)."""
        return self.pipeline.predict_proba(pd.DataFrame({TEXT: list(texts)}))

    def predict_with_known_terms(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """`predict_proba` and `known_terms` from one pass through the vectorizers (what the service answers)."""
        features = self.pipeline[:-1].transform(pd.DataFrame({TEXT: list(texts)}))
        return self.pipeline[-1].predict_proba(features), features[:, self.word_columns].getnnz(axis=1)

    def known_terms(self, texts: Sequence[str]) -> np.ndarray:
        """How many distinct word n-grams of each text the model knows: few means out of vocabulary (drift)."""
        words = dict(self.pipeline.named_steps["features"].transformer_list)[WORD_FEATURES]
        return np.asarray((words.transform(list(texts)) > 0).sum(axis=1)).ravel()

    def details(self) -> dict[str, str]:
        """What this model runs, for every prediction's metadata."""
        return {"kind": "tfidf"}
