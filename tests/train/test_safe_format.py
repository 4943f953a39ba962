"""The TF-IDF model is stored with skops and loaded with the code's trusted types: no pickle, no torch."""

import pickle  # nosec B403: builds the hostile file the loader must refuse
import subprocess
import sys
from pathlib import Path

import mlflow.sklearn
import numpy as np
import pytest
import yaml
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from core.errors import IntegrityError
from core.params import load_params
from devkit.project import REPO
from models.tfidf import TRUSTED_TYPES, TfidfPredictor
from tests.train.test_tfidf import synthetic
from train.tfidf import build_pipeline


class WritesAFileWhenUnpickled:
    """A pickle payload: unpickling it creates `marker` (any code could run instead)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """A fitted pipeline saved as the training stage logs it (MLflow sklearn flavour, skops)."""
    params = load_params()
    model = build_pipeline(
        params["tfidf"]["candidates"]["word_char"], params["tfidf"]["svm"], params["tfidf"]["calibration"], seed=0
    ).fit(synthetic(30, seed=1)[["text"]], synthetic(30, seed=1)["label"])
    folder = tmp_path_factory.mktemp("tfidf") / "model"
    mlflow.sklearn.save_model(model, folder, serialization_format="skops", skops_trusted_types=list(TRUSTED_TYPES))
    return folder, model


def test_skops_model_loads_with_the_same_probabilities(saved_model: tuple[Path, object]) -> None:
    folder, model = saved_model
    texts = synthetic(5, seed=9)["text"].tolist()
    predictor = TfidfPredictor(folder)
    np.testing.assert_array_equal(predictor.predict_proba(texts), model.predict_proba(synthetic(5, seed=9)[["text"]]))
    assert predictor.labels == list(model.classes_)


def test_a_pickled_model_is_refused_without_being_unpickled(saved_model: tuple[Path, object], tmp_path: Path) -> None:
    folder, _ = saved_model
    marker = tmp_path / "code-ran"
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "model.pkl").write_bytes(pickle.dumps(WritesAFileWhenUnpickled(marker)))
    mlmodel = yaml.safe_load((folder / "MLmodel").read_text())
    mlmodel["flavors"]["sklearn"] |= {"serialization_format": "cloudpickle", "pickled_model": "model.pkl"}
    (legacy / "MLmodel").write_text(yaml.safe_dump(mlmodel))
    with pytest.raises(IntegrityError, match="stored as cloudpickle, which runs code when loaded"):
        TfidfPredictor(legacy)
    assert not marker.exists()


def test_a_model_naming_an_untrusted_type_is_refused(tmp_path: Path) -> None:
    """MLmodel's own trusted list (an attacker can edit it) is ignored: the code's list decides."""
    hostile = make_pipeline(FunctionTransformer(func=print)).fit([["x"]])
    folder = tmp_path / "hostile"
    mlflow.sklearn.save_model(hostile, folder, serialization_format="skops", skops_trusted_types=["builtins.print"])
    assert "builtins.print" in (folder / "MLmodel").read_text()
    with pytest.raises(IntegrityError, match=r"not trusted: .*builtins\.print"):
        TfidfPredictor(folder)


def test_loading_the_model_leaves_torch_out_of_the_worker(saved_model: tuple[Path, object]) -> None:
    """skops' import scans every sklearn package, one of which imports torch: the loader keeps it out."""
    folder, _ = saved_model
    script = (
        "import sys; from models.tfidf import TfidfPredictor; "
        f"p = TfidfPredictor({str(folder)!r}); p.predict_proba(['printer broken']); "
        "print('torch' in sys.modules, 'skops.io' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "True"], result.stderr


def test_no_product_code_loads_pickles() -> None:
    """cloudpickle, pickle, joblib and torch.load without weights_only are never called to load a model."""
    offenders = []
    for path in (REPO / room for room in ("core", "models", "router", "bentos", "train")):
        for source in path.rglob("*.py"):
            text = source.read_text()
            if any(call in text for call in ("cloudpickle.load", "pickle.load", "joblib.load", "pickle.loads")):
                offenders.append(str(source.relative_to(REPO)))
            if "torch.load(" in text and text.count("torch.load(") != text.count("weights_only=True"):
                offenders.append(str(source.relative_to(REPO)))
    assert not offenders
