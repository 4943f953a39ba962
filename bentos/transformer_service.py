"""TransformerClassifier: the fine-tuned encoder behind `POST /predict`, with adaptive batching."""

import bentoml

from bentos.schema import ModelInfo, Predictions, TicketBatch, to_predictions
from train.params import load_params
from train.transformer_inference import TransformerPredictor, packaged_model_dir

PARAMS = load_params()
MODEL_NAME = PARAMS["bento"]["transformer_model"]
SERVING = PARAMS["transformer"]["serving"]


@bentoml.service(name="transformer_classifier")
class TransformerClassifier:
    """Calibrated transformer (the variant chosen at export), loaded from the BentoML store.

    BentoML reports ready only once `__init__` has loaded the model.
    """

    bento_model = bentoml.models.BentoModel(f"{MODEL_NAME}:latest")

    def __init__(self) -> None:
        model_dir = packaged_model_dir(self.bento_model.path_of("mlflow_model"))
        self.predictor = TransformerPredictor(
            model_dir, variant=SERVING["variant"], batch_size=SERVING["max_batch_size"]
        )
        self.info = ModelInfo(
            name=MODEL_NAME, version=self.bento_model.tag.version or "", details=self.predictor.details()
        )

    # Batchable: concurrent requests' text lists are concatenated into one model call (each request
    # is validated on its own first), and the predictions are split back per request.
    @bentoml.api(
        batchable=SERVING["batchable"],
        max_batch_size=SERVING["max_batch_size"],
        max_latency_ms=SERVING["max_latency_ms"],
    )
    def predict(self, texts: TicketBatch) -> Predictions:
        """Label and calibrated class probabilities for each text."""
        proba = self.predictor.predict_proba(texts)
        return to_predictions(self.predictor.labels, proba, self.info)
