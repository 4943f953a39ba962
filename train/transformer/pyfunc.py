"""MLflow pyfunc entry point of the packaged transformer (logged as code, so nothing is pickled).

`mlflow.pyfunc.load_model(uri).predict(DataFrame({"text": [...]}))` -> one probability column per label.
"""

import mlflow
import pandas as pd

from core.columns import TEXT
from models.transformer import MODEL_DIR_ARTIFACT, TransformerPredictor


class TransformerPyfunc(mlflow.pyfunc.PythonModel):
    """Wraps TransformerPredictor on the `model_dir` artifact (tokenizer, weights, serving.json)."""

    def load_context(self, context) -> None:
        self.predictor = TransformerPredictor(context.artifacts[MODEL_DIR_ARTIFACT])

    def predict(self, context, model_input: pd.DataFrame, params: dict | None = None) -> pd.DataFrame:
        proba = self.predictor.predict_proba(model_input[TEXT].astype(str).tolist())
        return pd.DataFrame(proba, columns=self.predictor.labels)


mlflow.models.set_model(TransformerPyfunc())
