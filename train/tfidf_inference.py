"""Load the served TF-IDF pipeline from its MLflow model folder, without importing MLflow.

Every `bentoml serve` worker imports the service modules; MLflow would cost each of them ~2 s of
start-up and tens of MB. The MLflow sklearn flavour is a cloudpickle file named in `MLmodel`.
"""

from pathlib import Path
from typing import TYPE_CHECKING

import cloudpickle
import yaml

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

SERIALIZATION = "cloudpickle"


def load_pipeline(mlflow_model_dir: Path | str) -> "Pipeline":
    """The fitted pipeline of an MLflow sklearn model saved with cloudpickle (ours, from the registry)."""
    model_dir = Path(mlflow_model_dir)
    flavor = yaml.safe_load((model_dir / "MLmodel").read_text())["flavors"]["sklearn"]
    if flavor.get("serialization_format") != SERIALIZATION:
        found = flavor.get("serialization_format")
        raise ValueError(f"{model_dir}: expected a {SERIALIZATION} sklearn flavour, got {found}")
    with (model_dir / flavor["pickled_model"]).open("rb") as handle:
        return cloudpickle.load(handle)
