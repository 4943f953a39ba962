"""Run a packaged transformer classifier: tokenizer, labels, temperature and the chosen variant.

Light on purpose: the service and the champion gate use it without the training machinery.
A packaged model directory holds the tokenizer, `config.json` + `model.safetensors` (torch fp32),
`model_fp32.onnx` / `model_int8.onnx` (ONNX Runtime) and `serving.json` (labels, temperature,
max_length, backbone, served variant). A multi-head model (train.priority: one encoder, a category
and a priority head) also lists its `heads` (first output column, labels and temperature of each)
and the default `head`; a predictor answers for one head.
"""

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import ConfigError

SERVING_FILE = "serving.json"
MODEL_DIR_ARTIFACT = "model_dir"  # the packaged directory, as an artifact of the MLflow pyfunc model
ONNX_FILES = {"onnx_fp32": "model_fp32.onnx", "onnx_int8": "model_int8.onnx"}
TORCH_VARIANT = "torch_fp32"
VARIANTS = (TORCH_VARIANT, *ONNX_FILES)
DYNAMICALLY_QUANTIZED = frozenset({"onnx_int8"})
ONNX_INPUTS = ("input_ids", "attention_mask")
# ONNX Runtime providers per serving device; the CPU one stays as the fallback for unsupported ops.
ONNX_PROVIDERS = {"cpu": ["CPUExecutionProvider"], "cuda": ["CUDAExecutionProvider", "CPUExecutionProvider"]}


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of logits / temperature, numerically stable."""
    scaled = logits / temperature
    scaled = scaled - scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)


def packaged_model_dir(mlflow_model_path: Path | str) -> Path:
    """The packaged directory inside a downloaded MLflow model (or a BentoML store copy of it)."""
    return Path(mlflow_model_path) / "artifacts" / MODEL_DIR_ARTIFACT


def read_serving(model_dir: Path) -> dict[str, Any]:
    """The packaged model's serving.json."""
    path = Path(model_dir) / SERVING_FILE
    if not path.is_file():
        raise ConfigError(f"{model_dir}: no {SERVING_FILE}; not a packaged transformer model")
    return json.loads(path.read_text(encoding="utf-8"))


def head_output(serving: dict[str, Any], head: str | None) -> dict[str, Any]:
    """Labels, temperature and first output column of `head`; the whole output for a single-head model."""
    heads = serving.get("heads")
    if not heads:
        return serving
    if head not in heads:
        raise ConfigError(f"transformer head {head!r} is not one of this model's heads {sorted(heads)}")
    return heads[head]


class TransformerPredictor:
    """Texts -> calibrated class probabilities, with the torch or an ONNX Runtime variant.

    `device` cuda runs torch on the GPU or ONNX Runtime's CUDA provider (onnxruntime-gpu needed);
    `head` picks one output of a multi-head model (the category and priority heads share one encoder).
    """

    def __init__(
        self,
        model_dir: Path | str,
        variant: str | None = None,
        batch_size: int = 32,
        device: str = "cpu",
        head: str | None = None,
        threads: int = 0,
    ) -> None:
        from transformers import AutoTokenizer

        if device not in ONNX_PROVIDERS:
            raise ConfigError(f"transformer.serving.device: {device!r} is not one of {sorted(ONNX_PROVIDERS)}")
        self.device = device
        self.threads = threads  # intra-op threads; 0: the runtime's default (every core)
        self.model_dir = Path(model_dir)
        self.serving = read_serving(self.model_dir)
        self.head = head or self.serving.get("head")
        output = head_output(self.serving, self.head)
        self.labels: list[str] = list(output["labels"])
        self.temperature = float(output["temperature"])
        self.columns = slice(output.get("start", 0), output.get("start", 0) + len(self.labels))
        self.max_length = int(self.serving["max_length"])
        self.variant = variant if variant and variant != "auto" else self.serving["variant"]
        if self.variant not in VARIANTS:
            raise ConfigError(f"unknown transformer variant {self.variant!r}; expected one of {VARIANTS}")
        # Dynamically quantized (int8) models scale each call's activations over the whole input, padding
        # and batch mates included: a ticket's answer would depend on its neighbours. One text per call.
        self.batch_size = 1 if self.variant in DYNAMICALLY_QUANTIZED else batch_size
        self.tokenizer = AutoTokenizer.from_pretrained(self.model_dir)  # a local directory  # nosec B615
        self._run = self._load_torch() if self.variant == TORCH_VARIANT else self._load_onnx()

    def _load_torch(self) -> Any:
        import torch
        from transformers import AutoModelForSequenceClassification

        model = AutoModelForSequenceClassification.from_pretrained(self.model_dir)  # a local directory  # nosec B615
        if self.threads:
            torch.set_num_threads(self.threads)
        model.to(self.device).eval()

        def run(encoded: dict[str, np.ndarray]) -> np.ndarray:
            with torch.inference_mode():
                inputs = {name: torch.from_numpy(encoded[name]).to(self.device) for name in ONNX_INPUTS}
                return model(**inputs).logits.float().cpu().numpy()

        return run

    def _load_onnx(self) -> Any:
        import onnxruntime

        providers = ONNX_PROVIDERS[self.device]
        if providers[0] not in onnxruntime.get_available_providers():
            raise ConfigError(
                f"ONNX Runtime here has no {providers[0]}: install onnxruntime-gpu to serve ONNX on a GPU"
            )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads
        session = onnxruntime.InferenceSession(
            str(self.model_dir / ONNX_FILES[self.variant]), options, providers=providers
        )

        def run(encoded: dict[str, np.ndarray]) -> np.ndarray:
            return session.run(None, {name: encoded[name] for name in ONNX_INPUTS})[0]

        return run

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Raw logits, (texts x labels), in input order.

        Texts are batched by token count, each batch padded to its longest: a short text never pays
        for a long one's padding (a third of the model's time on IT tickets, padded in input order).
        """
        encoded = self.tokenizer(list(texts), truncation=True, max_length=self.max_length)
        by_length = np.argsort([len(ids) for ids in encoded["input_ids"]], kind="stable")
        logits = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = by_length[start : start + self.batch_size]
            padded = self.tokenizer.pad(
                {name: [encoded[name][index] for index in batch] for name in ONNX_INPUTS},
                padding="longest",
                return_tensors="np",
            )
            logits[batch] = self._run({name: padded[name].astype(np.int64) for name in ONNX_INPUTS})[:, self.columns]
        return logits

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Temperature-scaled probabilities, columns in `self.labels` order."""
        return softmax(self.logits(texts), self.temperature)

    def details(self) -> dict[str, str]:
        """What this model really runs, for every prediction's metadata."""
        return {
            "kind": "transformer",
            "backbone": str(self.serving["backbone"]),
            "variant": self.variant,
            "temperature": f"{self.temperature:.4f}",
            "max_length": str(self.max_length),
            "device": self.device,
        } | ({"head": self.head} if self.head else {})
