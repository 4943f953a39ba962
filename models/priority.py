"""Run the served priority model, whichever kind won the comparison (train.priority).

A TF-IDF candidate is an MLflow sklearn model (TfidfPredictor); an encoder candidate is the packaged
transformer pyfunc with a `priority` head (single-task or multitask: TransformerPredictor on that head).
"""

from pathlib import Path

import yaml

from models.tfidf import TfidfPredictor
from models.transformer import TransformerPredictor, packaged_model_dir

PRIORITY_HEAD = "priority"


def load_priority_predictor(
    mlflow_model_dir: Path | str, variant: str | None = None, batch_size: int = 32, threads: int = 0
) -> TfidfPredictor | TransformerPredictor:
    """Texts -> probabilities over the priority levels (`.labels`), for either kind of priority model."""
    model_dir = Path(mlflow_model_dir)
    flavors = yaml.safe_load((model_dir / "MLmodel").read_text(encoding="utf-8"))["flavors"]
    if "sklearn" in flavors:
        return TfidfPredictor(model_dir)
    model_dir = packaged_model_dir(model_dir)
    return TransformerPredictor(model_dir, variant=variant, batch_size=batch_size, head=PRIORITY_HEAD, threads=threads)
