"""Encoder candidates: one fine-tuning loop for the multitask model and the single-task ones.

The multitask model is the original design: one encoder, a category head and a priority head,
trained on the sum of both heads' class-weighted cross-entropies. Its heads are blocks of one
classification layer's outputs (the same as two linear heads on the pooled output), so it is a
standard Hugging Face sequence classifier: the transformer stage's packaging, ONNX export and
runtime serve it unchanged, with `serving.json` naming each head's columns and temperature.
The single-task models are the same code with one head, trained on the same split and budget.
"""

import copy
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch

from core.columns import LABEL, PRIORITY, TEXT
from models.transformer import TransformerPredictor
from train.evaluate import macro_f1_score
from train.transformer.backbone import load_backbone
from train.transformer.calibration import fit_temperature
from train.transformer.data import EncodedSplit, class_weights, limit_rows
from train.transformer.device import Compute, recipe
from train.transformer.export import export_check, package
from train.transformer.fit import build_optimizer, predict_logits, set_up_torch, train_epoch

HEAD_COLUMNS = {"category": LABEL, "priority": PRIORITY}
CANDIDATE_HEADS = {
    "encoder_priority": ("priority",),
    "encoder_category": ("category",),
    "encoder_multitask": ("category", "priority"),
}


@dataclass(frozen=True)
class Head:
    """One head: its name, its labels and its first column in the classifier's output."""

    name: str
    labels: list[str]
    start: int

    @property
    def columns(self) -> slice:
        return slice(self.start, self.start + len(self.labels))


@dataclass
class EncoderRun:
    """A trained, packaged encoder candidate and what its training measured."""

    model_dir: Path
    heads: list[Head]
    val_scores: list[float]
    train_seconds: float
    samples_per_second: float
    backbone: str
    export_check: dict


def encoder_params(params: dict) -> dict:
    """`transformer:` (its preset's recipe) with the priority comparison's overrides (`priority.encoder`).

    Exports are timed on `priority.latency_samples` texts, as every candidate is.
    """
    priority = params["priority"]
    tuned = {**recipe(params["transformer"]), **priority["encoder"]}
    return {**tuned, "export_latency_samples": priority["latency_samples"]}


def build_heads(names: tuple[str, ...], train: pd.DataFrame) -> list[Head]:
    """Heads over the training split's classes, laid out one after another."""
    heads, start = [], 0
    for name in names:
        labels = sorted(train[HEAD_COLUMNS[name]].astype(str).unique())
        heads.append(Head(name, labels, start))
        start += len(labels)
    return heads


def encode(frame: pd.DataFrame, tokenizer, heads: list[Head], max_length: int) -> EncodedSplit:
    """Token ids (unpadded) and one integer target column per head."""
    ids = tokenizer(frame[TEXT].astype(str).tolist(), truncation=True, max_length=max_length)["input_ids"]
    targets = np.stack(
        [frame[HEAD_COLUMNS[h.name]].astype(str).map({label: i for i, label in enumerate(h.labels)}) for h in heads],
        axis=1,
    ).astype(np.int64)
    return EncodedSplit(ids, targets)


def head_scores(logits: np.ndarray, targets: np.ndarray, heads: list[Head]) -> list[float]:
    """Macro-F1 of each head's argmax."""
    return [macro_f1_score(targets[:, i], logits[:, h.columns].argmax(axis=1)) for i, h in enumerate(heads)]


class HeadsLoss:
    """The sum of the heads' class-weighted cross-entropies over their blocks of one output layer."""

    def __init__(self, heads: list[Head], targets: np.ndarray, mode: str, device: torch.device) -> None:
        self.heads = heads
        self.losses = []
        for i, head in enumerate(heads):
            weights = class_weights(targets[:, i], len(head.labels), mode)
            self.losses.append(torch.nn.CrossEntropyLoss(weight=None if weights is None else weights.to(device)))

    def __call__(self, logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        pairs = zip(self.heads, self.losses, strict=True)
        return sum(loss(logits[:, head.columns], targets[:, i]) for i, (head, loss) in enumerate(pairs))


def fit_heads(model, heads: list[Head], train: EncodedSplit, val: EncodedSplit, params: dict, pad_id: int):
    """Fine-tune with early stopping on the heads' mean validation macro-F1; keeps the best weights.

    The transformer stage's epoch loop (length buckets, mixed precision on a GPU) with the heads' loss.
    """
    compute = Compute.from_params(params)
    model.to(compute.device)
    steps = -(-len(train) // params["batch_size"])
    optimizer, scheduler = build_optimizer(model, params, steps * params["epochs"])
    loss_fn = HeadsLoss(heads, train.targets, params["class_weights"], compute.device)
    scaler, looped = compute.scaler(), {**params, "compute": compute}
    history, rates, best_state, stale = [], [], None, 0
    for epoch in range(params["epochs"]):
        _, rate = train_epoch(model, optimizer, scheduler, scaler, loss_fn, train, looped, epoch, pad_id)
        rates.append(rate)
        scores = head_scores(predict_logits(model, val, params, pad_id, compute), val.targets, heads)
        print(f"priority: epoch {epoch + 1}: val macro-F1 {dict(zip([h.name for h in heads], scores, strict=True))}")
        if not history or np.mean(scores) > max(np.mean(s) for s in history):
            best_state, stale = copy.deepcopy(model.state_dict()), 0
        else:
            stale += 1
        history.append(scores)
        if stale >= params["early_stopping_patience"]:
            break
    model.load_state_dict(best_state)
    return max(history, key=np.mean), float(np.mean(rates))


def serving_heads(model, heads: list[Head], val: EncodedSplit, params: dict, pad_id: int) -> dict[str, dict]:
    """Each head's columns, labels and validation-fitted temperature, for serving.json."""
    logits = predict_logits(model, val, params, pad_id, Compute.from_params(params))
    return {
        h.name: {
            "start": h.start,
            "labels": h.labels,
            "temperature": fit_temperature(logits[:, h.columns], val.targets[:, i]),
        }
        for i, h in enumerate(heads)
    }


def train_encoder(candidate: str, splits: dict[str, pd.DataFrame], params: dict, out_dir: Path) -> EncoderRun:
    """Fine-tune, calibrate each head, package (torch + ONNX) and pick the served variant on the main head."""
    tparams = encoder_params(params)
    set_up_torch(tparams["seed"], tparams["torch_threads"])
    heads = build_heads(CANDIDATE_HEADS[candidate], splits["train"])
    names = [f"{h.name}:{label}" for h in heads for label in h.labels]
    backbone, tokenizer, model = load_backbone(tparams, names)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    train = limit_rows(splits["train"], tparams["max_train_samples"], tparams["seed"])
    encoded = {
        name: encode(frame, tokenizer, heads, tparams["max_length"])
        for name, frame in (("train", train), ("val", splits["val"]))
    }
    started = time.perf_counter()
    val_scores, rate = fit_heads(model, heads, encoded["train"], encoded["val"], tparams, pad_id)
    train_seconds = time.perf_counter() - started
    main_head = heads[-1]  # priority when the candidate has it
    serving = {
        "labels": names,
        "temperature": 1.0,
        "max_length": tparams["max_length"],
        "backbone": backbone.name,
        "backbone_fallback": backbone.fallback,
        "heads": serving_heads(model, heads, encoded["val"], tparams, pad_id),
        "head": main_head.name,
    }
    # As the transformer stage: exported from an fp32 copy on the CPU (device-neutral files).
    package(model.to("cpu").float(), tokenizer, out_dir, serving)
    test = splits["test"]
    check, _ = export_check(
        out_dir, test[TEXT].tolist(), test[HEAD_COLUMNS[main_head.name]].astype(str).tolist(), tparams
    )
    return EncoderRun(out_dir, heads, val_scores, train_seconds, rate, backbone.name, check)


def head_predictor(run: EncoderRun, head: str) -> TransformerPredictor:
    """The packaged candidate's served variant, answering for `head`."""
    return TransformerPredictor(run.model_dir, head=head)
