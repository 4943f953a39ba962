"""TransformerClassifier: the fine-tuned encoder behind `POST /predict`, with adaptive batching."""

import bentoml

from bentos.champions import champion_model, require_imported
from bentos.contracts import JsonOnly, api_routes
from bentos.schema import Predictions
from core.heap import freeze_startup_heap
from core.params import load_params
from core.prediction import ModelInfo, TicketBatch, to_predictions
from models.transformer import TransformerPredictor, packaged_model_dir

SERVING = load_params()["transformer"]["serving"]


# A GPU per worker when `transformer.serving.gpus` asks for one (BentoML then sets CUDA_VISIBLE_DEVICES).
@bentoml.service(name="transformer_classifier", **({"resources": {"gpu": SERVING["gpus"]}} if SERVING["gpus"] else {}))
class TransformerClassifier:
    """Calibrated transformer (the variant chosen at export): the champion tag the import stage recorded.

    BentoML reports ready only once `__init__` has loaded the model.
    """

    bento_model = champion_model("transformer")

    def __init__(self) -> None:
        require_imported(self, "transformer")
        model_dir = packaged_model_dir(self.bento_model.path_of("mlflow_model"))
        self.predictor = TransformerPredictor(
            model_dir,
            variant=SERVING["variant"],
            batch_size=SERVING["max_batch_size"],
            device=SERVING["device"],
            threads=SERVING["threads"],
        )
        tag = self.bento_model.tag
        self.info = ModelInfo(name=tag.name, version=tag.version or "", details=self.predictor.details())
        freeze_startup_heap()

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


# JSON only: refuses pickle (code execution for anyone who reaches the port), forms and text/plain.
TransformerClassifier.add_asgi_middleware(JsonOnly, routes=api_routes(TransformerClassifier))
