"""TfidfClassifier: the fast, cheap model behind `POST /predict`."""

import bentoml
import pandas as pd

from bentos.schema import ModelInfo, Predictions, TicketBatch, to_predictions
from train.data import TEXT
from train.params import load_params
from train.tfidf_inference import load_pipeline

MODEL_NAME = load_params()["bento"]["tfidf_model"]


@bentoml.service(name="tfidf_classifier")
class TfidfClassifier:
    """Calibrated TF-IDF + LinearSVC, loaded from the BentoML store."""

    bento_model = bentoml.models.BentoModel(f"{MODEL_NAME}:latest")

    def __init__(self) -> None:
        import sklearn  # here, not at module level: the other services' workers import this module too

        # Inputs are validated strings from the API schema: skip sklearn's per-call checks (~2 ms a call).
        sklearn.set_config(assume_finite=True, skip_parameter_validation=True)
        self.model = load_pipeline(self.bento_model.path_of("mlflow_model"))
        self.classes = [str(name) for name in self.model.classes_]
        self.info = ModelInfo(name=MODEL_NAME, version=self.bento_model.tag.version or "", details={"kind": "tfidf"})

    @bentoml.api
    def predict(self, texts: TicketBatch) -> Predictions:
        """Label and class probabilities for each text."""
        proba = self.model.predict_proba(pd.DataFrame({TEXT: texts}))
        return to_predictions(self.classes, proba, self.info)
