"""Device choice, mixed precision and data loading, run for real on this machine's CPU (nothing of torch mocked)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from core.errors import ConfigError
from core.params import load_params
from train.transformer.backbone import load_backbone
from train.transformer.data import encode, length_buckets, loader
from train.transformer.device import Compute, pick_device, pick_precision, recipe
from train.transformer.fit import fit, predict_logits

LABELS = ["Access", "Hardware", "Storage"]
NO_GPU = not (torch.cuda.is_available() or torch.backends.mps.is_available())
TEXTS = ["printer broken", "password locked out of my account since this morning", "disk full", "monitor dead"]


def training_params(tmp_path: Path) -> dict:
    return {
        "batch_size": 4,
        "eval_batch_size": 8,
        "epochs": 1,
        "learning_rate": 1e-3,
        "warmup_ratio": 0.0,
        "weight_decay": 0.0,
        "seed": 0,
        "freeze_embeddings": False,
        "early_stopping_patience": 5,
        "class_weights": "balanced",
        "checkpoint_dir": str(tmp_path / "checkpoints"),
        "dataloader_workers": 0,
        "length_bucket_batches": 2,
    }


@pytest.fixture
def tiny_split(tiny_backbone: Path):
    frame = pd.DataFrame({"text": TEXTS * 4, "label": ["Hardware", "Access", "Storage", "Hardware"] * 4})
    backbone = {"backbone": str(tiny_backbone), "backbone_revision": "main", "fallback_backbone": str(tiny_backbone)}
    _, tokenizer, model = load_backbone({**backbone, "hub_probe_timeout_seconds": 2}, LABELS)
    return model, encode(frame, tokenizer, LABELS, max_length=16), tokenizer.pad_token_id


def linear_output_dtypes(model: torch.nn.Module) -> list[torch.dtype]:
    """Record the dtype of every output of the classifier head while the hook is attached."""
    seen: list[torch.dtype] = []
    model.classifier.register_forward_hook(lambda _module, _inputs, output: seen.append(output.dtype))
    return seen


@pytest.mark.skipif(not NO_GPU, reason="this machine has a GPU: auto picks it")
def test_auto_picks_the_cpu_here_and_a_missing_gpu_is_a_clear_error() -> None:
    compute = Compute.from_params({"device": "auto", "precision": "auto"})
    assert compute.device.type == "cpu" and compute.precision == "fp32" and not compute.pin_memory
    assert compute.describe() == {"device": "cpu", "device_name": "cpu", "precision": "fp32"}
    with pytest.raises(ConfigError, match="cuda is not available on this machine"):
        pick_device("cuda")
    with pytest.raises(ConfigError, match=r"transformer\.precision"):
        pick_precision("int4", torch.device("cpu"))


def test_bf16_autocast_trains_the_model_in_bf16_and_keeps_fp32_weights(tiny_split, tmp_path: Path) -> None:
    model, split, pad_id = tiny_split
    seen = linear_output_dtypes(model)
    history = fit(model, split, split, training_params(tmp_path), "bf16", pad_id, Compute(torch.device("cpu"), "bf16"))
    assert torch.bfloat16 in seen  # the forward pass really ran under autocast
    assert all(parameter.dtype == torch.float32 for parameter in model.parameters())
    assert np.isfinite(history.train_loss).all()


def test_fp32_runs_without_autocast_and_fp16_brings_a_grad_scaler(tiny_split, tmp_path: Path) -> None:
    model, split, pad_id = tiny_split
    seen = linear_output_dtypes(model)
    fit(model, split, split, training_params(tmp_path), "fp32", pad_id, Compute(torch.device("cpu"), "fp32"))
    assert set(seen) == {torch.float32}
    assert Compute(torch.device("cpu"), "fp16").scaler().is_enabled()
    assert not Compute(torch.device("cpu"), "bf16").scaler().is_enabled()


def test_length_buckets_cover_every_row_once_with_similar_lengths_and_predictions_keep_row_order(
    tiny_split,
) -> None:
    model, split, pad_id = tiny_split
    lengths = np.array([len(ids) for ids in split.input_ids])
    batches = length_buckets(lengths, batch_size=4, shuffle_seed=3, bucket_batches=4)
    assert sorted(np.concatenate(batches).tolist()) == list(range(len(split)))
    assert all(np.ptp(lengths[batch]) == 0 for batch in batches)  # 4 texts x 4 copies: each batch one length
    padded = sum(
        inputs["input_ids"].numel()
        for inputs, _, _ in loader(split, 4, pad_id, {"workers": 0, "pin_memory": False, "bucket_batches": 4}, 3)
    )
    assert padded == lengths.sum()
    params = {"eval_batch_size": 3, "dataloader_workers": 0, "length_bucket_batches": 1}
    cpu = Compute(torch.device("cpu"), "fp32")
    together = predict_logits(model, split, params, pad_id, cpu)
    model.eval()
    with torch.inference_mode():
        one_by_one = [model(input_ids=torch.tensor([ids])).logits[0].numpy() for ids in split.input_ids]
    np.testing.assert_allclose(together, np.stack(one_by_one), atol=1e-5)


def test_the_gpu_preset_is_the_reference_recipe_and_one_setting_selects_it() -> None:
    transformer = load_params()["transformer"]
    assert transformer["preset"] == "cpu" and recipe(transformer)["max_length"] == transformer["max_length"]
    gpu = recipe({**transformer, "preset": "gpu"})
    expected = {"freeze_embeddings": False, "max_length": 128, "epochs": 5, "learning_rate": 1e-4, "precision": "bf16"}
    assert {key: gpu[key] for key in expected} == expected
    assert gpu["batch_size"] == 32 and gpu["warmup_ratio"] == 0.06 and "presets" not in gpu
    with pytest.raises(ConfigError, match=r"transformer\.preset"):
        recipe({**transformer, "preset": "tpu"})
