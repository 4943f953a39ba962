"""DVC stage `train_transformer`: fine-tune a Hugging Face encoder, calibrate, export, register."""

import tempfile
import time
from functools import partial
from importlib.metadata import version
from pathlib import Path

import mlflow
import mlflow.pyfunc
import numpy as np
import pandas as pd
from mlflow.models import ModelSignature
from mlflow.types import ColSpec, Schema

from core.columns import LABEL, TEXT
from core.errors import one_line_errors
from core.names import ModelName
from core.params import PROJECT_ROOT, load_params
from models.transformer import MODEL_DIR_ARTIFACT, softmax
from train.champions import predictor_at
from train.evaluate import evaluate, expected_calibration_error
from train.feedback import FEEDBACK_SLICE, repeat_by_weight
from train.registry import gate, gate_slices, write_stage_metrics
from train.tracking import begin_training, log_evaluation
from train.transformer.backbone import Backbone, load_backbone
from train.transformer.calibration import fit_temperature, negative_log_likelihood
from train.transformer.data import encode, limit_rows
from train.transformer.device import Compute, recipe
from train.transformer.export import export_check, package
from train.transformer.fit import History, fingerprint, fit, predict_logits, set_up_torch

METRICS_PATH = Path("metrics/transformer.json")
PYFUNC_CODE = Path(__file__).with_name("pyfunc.py")
# What the pyfunc imports, shipped with the logged model so it loads anywhere (never the training code).
PYFUNC_CODE_PATHS = [str(PROJECT_ROOT / "core"), str(PROJECT_ROOT / "models")]
RUNTIME_PACKAGES = ("torch", "transformers", "tokenizers", "onnxruntime", "numpy", "pandas", "mlflow")


def limited_splits(splits: dict[str, pd.DataFrame], params: dict) -> dict[str, pd.DataFrame]:
    """The prepared splits, cut to max_train_samples / max_eval_samples for quick runs; feedback rows of
    weight w appear round(w) times in training (the loop's sample weight, as TF-IDF gets it)."""
    seed = params["seed"]
    return {
        "train": repeat_by_weight(limit_rows(splits["train"], params["max_train_samples"], seed)),
        "val": limit_rows(splits["val"], params["max_eval_samples"], seed),
        "test": limit_rows(splits["test"], params["max_eval_samples"], seed),
        FEEDBACK_SLICE: limit_rows(splits[FEEDBACK_SLICE], params["max_eval_samples"], seed),
    }


def log_setup(params: dict, backbone: Backbone, splits: dict[str, pd.DataFrame], compute: Compute) -> None:
    """Params (the preset's recipe), split sizes, and which backbone, device and precision really ran
    (params and tags, so both views show them)."""
    flat = pd.json_normalize({"transformer": params["transformer"], "split": params["split"]}).iloc[0].to_dict()
    mlflow.log_params(flat)
    mlflow.log_params({f"{name}_rows": len(frame) for name, frame in splits.items()})
    used = {f"{name}_used": value for name, value in compute.describe().items()}
    mlflow.log_params({"data_path": params["data"]["path"], "backbone_used": backbone.name, **used})
    mlflow.set_tags({"backbone": backbone.name, "backbone_fallback": str(backbone.fallback).lower()})
    mlflow.set_tags({"preset": params["transformer"]["preset"], **compute.describe()})
    if backbone.fallback:
        mlflow.set_tag("backbone_fallback_reason", backbone.reason)


def log_history(history: History) -> None:
    """Training curves, one step per epoch."""
    for epoch, (loss, f1, rate) in enumerate(
        zip(history.train_loss, history.val_macro_f1, history.samples_per_second, strict=True)
    ):
        mlflow.log_metrics({"train_loss": loss, "val_macro_f1": f1, "train_samples_per_second": rate}, step=epoch)
    mlflow.log_metrics({"best_epoch": history.best_epoch + 1, "best_val_macro_f1": history.best_f1})


def calibrate(val_logits: np.ndarray, val_targets: np.ndarray, labels: list[str], bins: int) -> float:
    """Fit the temperature on validation; log NLL and ECE before and after."""
    temperature = fit_temperature(val_logits, val_targets)
    val_true = np.asarray(labels)[val_targets]
    mlflow.log_metrics(
        {
            "temperature": temperature,
            "val_nll_before": negative_log_likelihood(val_logits, val_targets),
            "val_nll_after": negative_log_likelihood(val_logits, val_targets, temperature),
            "val_ece_before": expected_calibration_error(val_true, softmax(val_logits), labels, bins),
            "val_ece_after": expected_calibration_error(val_true, softmax(val_logits, temperature), labels, bins),
        }
    )
    return temperature


def log_export_check(check: dict) -> None:
    """Both F1s, the latencies and the chosen variant, as metrics, a tag and a JSON artifact."""
    for variant, score in check["variants"].items():
        mlflow.log_metrics(
            {f"export_{variant}_macro_f1": score["macro_f1"], f"export_{variant}_latency_ms": score["latency_ms"]}
        )
    mlflow.set_tag("served_variant", check["chosen"])
    mlflow.log_dict(check, "export_check.json")


def log_packaged_model(model_dir: Path, model_name: str):
    """Log the packaged directory as a pyfunc model (code, not pickle) and register it."""
    signature = ModelSignature(inputs=Schema([ColSpec("string", TEXT)]))
    return mlflow.pyfunc.log_model(
        name="model",
        python_model=str(PYFUNC_CODE),
        artifacts={MODEL_DIR_ARTIFACT: str(model_dir)},
        code_paths=PYFUNC_CODE_PATHS,
        signature=signature,
        pip_requirements=[f"{name}=={version(name)}" for name in RUNTIME_PACKAGES],
        registered_model_name=model_name,
    )


def fine_tune(params: dict, splits: dict[str, pd.DataFrame], labels: list[str], out_dir: Path) -> dict:
    """Train, calibrate and package into `out_dir`; returns what the summary needs."""
    transformer = params["transformer"]
    set_up_torch(transformer["seed"], transformer["torch_threads"])
    compute = Compute.from_params(transformer)
    print(
        f"transformer: preset {transformer['preset']}, " + ", ".join(f"{k} {v}" for k, v in compute.describe().items())
    )
    backbone, tokenizer, model = load_backbone(transformer, labels)
    log_setup(params, backbone, splits, compute)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    encoded = {
        name: encode(splits[name], tokenizer, labels, transformer["max_length"]) for name in ("train", "val", "test")
    }
    training_params = {key: value for key, value in transformer.items() if key != "serving"}
    job = fingerprint(training_params, backbone.source, encoded["train"])
    started = time.perf_counter()
    history = fit(model, encoded["train"], encoded["val"], transformer, job, pad_id, compute)
    train_seconds = time.perf_counter() - started
    log_history(history)
    mlflow.log_metric("train_seconds", train_seconds)
    val_logits = predict_logits(model, encoded["val"], transformer, pad_id, compute)
    temperature = calibrate(val_logits, encoded["val"].targets, labels, params["tracking"]["calibration_bins"])
    serving = {
        "labels": labels,
        "temperature": temperature,
        "max_length": transformer["max_length"],
        "backbone": backbone.name,
        "backbone_fallback": backbone.fallback,
    }
    # Exported from an fp32 copy on the CPU: the ONNX files and the torch weights are device-neutral.
    package(model.to("cpu").float(), tokenizer, out_dir, serving)
    return {"backbone": backbone.name, "train_seconds": round(train_seconds, 2), "epochs_run": len(history.train_loss)}


@one_line_errors
def main() -> None:
    params = load_params()
    params = {**params, "transformer": recipe(params["transformer"])}
    prepared = begin_training(params)
    # Classes of the whole training split: a sample may miss a rare one, the served model must not.
    labels = sorted(prepared["train"][LABEL].astype(str).unique())
    splits = limited_splits(prepared, params["transformer"])
    model_name = params["registry"]["transformer_model"]
    test = splits["test"]
    with mlflow.start_run(run_name="transformer") as run, tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / MODEL_DIR_ARTIFACT
        summary = fine_tune(params, splits, labels, model_dir)
        check, proba = export_check(model_dir, test[TEXT].tolist(), test[LABEL].tolist(), params["transformer"])
        log_export_check(check)
        evaluation = evaluate(test[LABEL], proba, labels, params["tracking"]["calibration_bins"])
        log_evaluation(evaluation, "test")
        print(evaluation.report)
        info = log_packaged_model(model_dir, model_name)
        load = partial(predictor_at, ModelName.TRANSFORMER)
        decision = gate(
            model_name,
            str(info.registered_model_version),
            load,
            gate_slices(test, splits[FEEDBACK_SLICE]),
            params["registry"],
        )
    print(f"transformer: {decision.summary()}")
    write_stage_metrics(METRICS_PATH, decision, run.info.run_id, evaluation.metrics, **summary, variant=check["chosen"])
