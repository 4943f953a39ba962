"""PriorityClassifier: how urgent a ticket is, behind `POST /predict` (served only when one was trained)."""

import bentoml

from bentos.champions import champion_model, require_imported
from bentos.contracts import JsonOnly, api_routes
from bentos.schema import Predictions
from core.heap import freeze_startup_heap
from core.params import load_params
from core.prediction import ModelInfo, TicketBatch, to_predictions
from models.priority import load_priority_predictor

SERVING = load_params()["transformer"]["serving"]


@bentoml.service(name="priority_classifier")
class PriorityClassifier:
    """The priority champion the import stage recorded (TF-IDF or an encoder's priority head).

    Returns probabilities over the levels; the agent applies the tuned urgent threshold (router.priority).
    """

    bento_model = champion_model("priority")

    def __init__(self) -> None:
        import sklearn  # as in TfidfClassifier: validated strings in, sklearn's per-call checks off

        folder = require_imported(self, "priority")  # checked against the gate's sha256 digests
        sklearn.set_config(assume_finite=True, skip_parameter_validation=True)
        self.predictor = load_priority_predictor(
            folder, SERVING["variant"], SERVING["max_batch_size"], SERVING["threads"]
        )
        tag = self.bento_model.tag
        self.info = ModelInfo(name=tag.name, version=tag.version or "", details=self.predictor.details())
        freeze_startup_heap()

    @bentoml.api
    def predict(self, texts: TicketBatch) -> Predictions:
        """Most probable level and the probability of every level, for each text."""
        return to_predictions(self.predictor.labels, self.predictor.predict_proba(texts), self.info)


# JSON only, as the other model services: no pickle, forms or text/plain.
PriorityClassifier.add_asgi_middleware(JsonOnly, routes=api_routes(PriorityClassifier))
