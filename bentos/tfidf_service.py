"""TfidfClassifier: the fast, cheap model behind `POST /predict`."""

import bentoml

from bentos.champions import champion_model, require_imported
from bentos.contracts import JsonOnly, api_routes
from bentos.schema import Predictions
from core.heap import freeze_startup_heap
from core.prediction import ModelInfo, TicketBatch, to_predictions
from models.tfidf import TfidfPredictor


@bentoml.service(name="tfidf_classifier")
class TfidfClassifier:
    """Calibrated TF-IDF + LinearSVC: the champion tag the import stage recorded."""

    bento_model = champion_model("tfidf")

    def __init__(self) -> None:
        import sklearn  # here, not at module level: the other services' workers import this module too

        require_imported(self, "tfidf")
        # Inputs are validated strings from the API schema: skip sklearn's per-call checks (~2 ms a call).
        sklearn.set_config(assume_finite=True, skip_parameter_validation=True)
        self.predictor = TfidfPredictor(self.bento_model.path_of("mlflow_model"))
        tag = self.bento_model.tag
        self.info = ModelInfo(name=tag.name, version=tag.version or "", details=self.predictor.details())
        freeze_startup_heap()

    @bentoml.api
    def predict(self, texts: TicketBatch) -> Predictions:
        """Label, class probabilities and known vocabulary terms (the agent's drift gauges) for each text."""
        proba, known_terms = self.predictor.predict_with_known_terms(texts)
        return to_predictions(self.predictor.labels, proba, self.info, known_terms)


# JSON only: refuses pickle (code execution for anyone who reaches the port), forms and text/plain.
TfidfClassifier.add_asgi_middleware(JsonOnly, routes=api_routes(TfidfClassifier))
