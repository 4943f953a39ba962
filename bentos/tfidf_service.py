"""TfidfClassifier: the fast, cheap model behind `POST /predict`."""

import bentoml
import mlflow.sklearn
import pandas as pd
import sklearn

from bentos.schema import ModelInfo, Prediction, TicketBatch, to_predictions
from train.data import TEXT
from train.params import load_params

MODEL_NAME = load_params()["bento"]["tfidf_model"]
# Inputs are validated strings from the API schema: skip sklearn's per-call checks (~2 ms a call).
sklearn.set_config(assume_finite=True, skip_parameter_validation=True)


@bentoml.service(name="tfidf_classifier")
class TfidfClassifier:
    """Calibrated TF-IDF + LinearSVC, loaded from the BentoML store."""

    bento_model = bentoml.models.BentoModel(f"{MODEL_NAME}:latest")

    def __init__(self) -> None:
        self.model = mlflow.sklearn.load_model(self.bento_model.path_of("mlflow_model"))
        self.classes = [str(name) for name in self.model.classes_]
        self.info = ModelInfo(name=MODEL_NAME, version=self.bento_model.tag.version or "", details={"kind": "tfidf"})

    @bentoml.api
    def predict(self, texts: TicketBatch) -> list[Prediction]:
        """Label and class probabilities for each text."""
        proba = self.model.predict_proba(pd.DataFrame({TEXT: texts}))
        return to_predictions(self.classes, proba, self.info)
