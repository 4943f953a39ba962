"""Package a fine-tuned model for serving: torch fp32, ONNX fp32 and ONNX int8, then pick one.

The served variant is the fastest, on the serving device (`transformer.serving.device`), whose test
macro-F1 stays within `export_max_f1_drop` of torch fp32; the check (F1 and latency of every
variant) is returned for MLflow. The model is exported from an fp32 copy on the CPU.
"""

import json
import statistics
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic

from models.transformer import (
    ONNX_FILES,
    ONNX_INPUTS,
    SERVING_FILE,
    TORCH_VARIANT,
    VARIANTS,
    TransformerPredictor,
    read_serving,
)
from train.evaluate import proba_macro_f1

ONNX_OPSET = 17


def export_onnx(model: torch.nn.Module, tokenizer, out_dir: Path) -> None:
    """fp32 ONNX with dynamic batch and sequence axes, then its int8 dynamic quantisation."""
    model.eval()
    sample = tokenizer(["a short ticket", "a second, longer ticket text"], padding=True, return_tensors="pt")
    axes = {name: {0: "batch", 1: "sequence"} for name in ONNX_INPUTS} | {"logits": {0: "batch"}}
    fp32_path, int8_path = out_dir / ONNX_FILES["onnx_fp32"], out_dir / ONNX_FILES["onnx_int8"]
    with warnings.catch_warnings():
        # The TorchScript exporter is deprecated, but here it takes 0.3 s instead of 11 s for the
        # dynamo one, and its graph quantises cleanly (the dynamo graph fails ORT shape inference).
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            tuple(sample[name] for name in ONNX_INPUTS),
            str(fp32_path),
            input_names=list(ONNX_INPUTS),
            output_names=["logits"],
            dynamic_axes=axes,
            opset_version=ONNX_OPSET,
            dynamo=False,
        )
    quantize_dynamic(str(fp32_path), str(int8_path), weight_type=QuantType.QInt8)


def package(model, tokenizer, out_dir: Path, serving: dict) -> Path:
    """Write tokenizer, torch weights, both ONNX files and serving.json into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    export_onnx(model, tokenizer, out_dir)
    write_serving(out_dir, {"variant": TORCH_VARIANT, **serving})
    return out_dir


def write_serving(out_dir: Path, serving: dict) -> None:
    """serving.json: what the inference helper needs besides the weights."""
    (out_dir / SERVING_FILE).write_text(json.dumps(serving, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def latency_ms(predictor: TransformerPredictor, texts: list[str]) -> float:
    """Median milliseconds to classify one text alone (the common serving case), after a warm-up call."""
    predictor.predict_proba(texts[:1])
    timings = []
    for text in texts:
        started = time.perf_counter()
        predictor.predict_proba([text])
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def score_variants(
    model_dir: Path, texts: list[str], labels: list[str], latency_texts: int, device: str
) -> tuple[dict[str, dict], dict[str, np.ndarray]]:
    """Test macro-F1 and single-text latency of every packaged variant on the serving device."""
    scores, probabilities = {}, {}
    for variant in VARIANTS:
        predictor = TransformerPredictor(model_dir, variant=variant, device=device)
        probabilities[variant] = predictor.predict_proba(texts)
        scores[variant] = {
            "macro_f1": proba_macro_f1(labels, probabilities[variant], predictor.labels),
            "latency_ms": latency_ms(predictor, texts[:latency_texts]),
        }
    return scores, probabilities


def choose_variant(scores: dict[str, dict], max_f1_drop: float) -> str:
    """The fastest variant whose macro-F1 is at most `max_f1_drop` below torch fp32."""
    floor = scores[TORCH_VARIANT]["macro_f1"] - max_f1_drop
    eligible = [name for name, score in scores.items() if score["macro_f1"] >= floor]
    return min(eligible, key=lambda name: scores[name]["latency_ms"])


def export_check(model_dir: Path, texts: list[str], labels: list[str], params: dict) -> tuple[dict, np.ndarray]:
    """Score every variant on the test split and record the chosen one in serving.json.

    Returns the check (for MLflow) and the chosen variant's test probabilities, so the test split
    is not classified again to evaluate the served model.
    """
    device = params["serving"]["device"]
    scores, probabilities = score_variants(model_dir, texts, labels, params["export_latency_samples"], device)
    chosen = choose_variant(scores, params["export_max_f1_drop"])
    write_serving(model_dir, {**read_serving(model_dir), "variant": chosen})
    check = {"variants": scores, "chosen": chosen, "max_f1_drop": params["export_max_f1_drop"]}
    return check, probabilities[chosen]
