"""`dvc repro import_transformer`: tracked, calibrated, exported, gated, imported into BentoML."""

import json
from pathlib import Path

import bentoml
import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient

from devkit.project import run
from models.transformer import ONNX_FILES, VARIANTS, TransformerPredictor, packaged_model_dir

# int8 weights move probabilities a little; a label may only differ where torch's own top-2 margin is that thin.
INT8_TOLERANCE = 0.05
FP32_TOLERANCE = 1e-4
SAME_ANSWER = 1e-6  # float rounding; an int8 model batched with others moved answers by 3.5e-5 (tests) to 0.08 (IT)


@pytest.fixture(scope="module")
def packaged(transformer_pipeline: dict) -> Path:
    """The packaged model directory inside the BentoML store."""
    model = bentoml.models.get(transformer_pipeline["bento"]["bento_tag"])
    return packaged_model_dir(model.path_of("mlflow_model"))


def test_run_records_fallback_backbone_curves_calibration_and_export_check(transformer_pipeline: dict) -> None:
    client = MlflowClient()
    champion = client.get_model_version_by_alias(transformer_pipeline["model_name"], "champion")
    run = client.get_run(champion.run_id)
    assert run.data.tags["backbone"] == transformer_pipeline["backbone"]
    assert run.data.tags["backbone_fallback"] == "true"
    assert run.data.params["transformer.backbone"] == "callcenterai-tests/backbone-that-does-not-exist"
    # The stage chose the device itself (auto): on this GPU-less machine the CPU, in fp32, and said so.
    assert run.data.params["transformer.device"] == "auto" and run.data.params["transformer.preset"] == "cpu"
    assert {key: run.data.tags[key] for key in ("device", "precision", "preset")} == {
        "device": "cpu",
        "precision": "fp32",
        "preset": "cpu",
    }
    assert run.data.params["device_used"] == "cpu" and run.data.params["precision_used"] == "fp32"
    metrics = run.data.metrics
    assert {"val_ece_before", "val_ece_after", "temperature", "test_macro_f1", "test_ece"} <= set(metrics)
    assert metrics["val_nll_after"] <= metrics["val_nll_before"]
    curve = client.get_metric_history(run.info.run_id, "val_macro_f1")
    assert len(curve) == transformer_pipeline["metrics"]["epochs_run"]
    check = mlflow.artifacts.load_dict(f"runs:/{run.info.run_id}/export_check.json")
    assert set(check["variants"]) == set(VARIANTS)
    assert run.data.tags["served_variant"] == check["chosen"] == transformer_pipeline["metrics"]["variant"]
    fp32_f1 = check["variants"]["torch_fp32"]["macro_f1"]
    assert check["variants"][check["chosen"]]["macro_f1"] >= fp32_f1 - check["max_f1_drop"]


def test_store_model_carries_tokenizer_labels_temperature_and_every_variant(
    transformer_pipeline: dict, packaged: Path
) -> None:
    serving = json.loads((packaged / "serving.json").read_text())
    assert serving["labels"] == transformer_pipeline["classes"]
    assert serving["temperature"] > 0 and serving["variant"] in VARIANTS
    assert serving["backbone"] == transformer_pipeline["backbone"]
    assert (packaged / "tokenizer.json").is_file()
    assert all((packaged / name).is_file() for name in ONNX_FILES.values())
    labels = bentoml.models.get(transformer_pipeline["bento"]["bento_tag"]).info.labels
    assert labels["kind"] == "transformer" and labels["alias"] == "champion"


def test_exported_variants_give_the_same_labels_and_close_probabilities(
    transformer_pipeline: dict, packaged: Path
) -> None:
    test_split = transformer_pipeline["project"] / "data" / "processed" / "test.parquet"
    texts = pd.read_parquet(test_split)["text"].tolist()
    reference = TransformerPredictor(packaged, variant="torch_fp32").predict_proba(texts)
    onnx_fp32 = TransformerPredictor(packaged, variant="onnx_fp32").predict_proba(texts)
    onnx_int8 = TransformerPredictor(packaged, variant="onnx_int8").predict_proba(texts)
    np.testing.assert_allclose(onnx_fp32, reference, atol=FP32_TOLERANCE)
    assert (onnx_fp32.argmax(axis=1) == reference.argmax(axis=1)).all()
    np.testing.assert_allclose(onnx_int8, reference, atol=INT8_TOLERANCE)
    top2 = np.sort(reference, axis=1)[:, -2:]
    clear = top2[:, 1] - top2[:, 0] > 2 * INT8_TOLERANCE
    assert (onnx_int8.argmax(axis=1)[clear] == reference.argmax(axis=1)[clear]).all()


def test_second_run_resumes_its_checkpoint_and_is_gated_on_the_same_scores(transformer_pipeline: dict) -> None:
    """The same job resumes after its last epoch: the same weights, so every variant scores as before.

    Which variant is served is the export check's fastest eligible one, timed on this machine: on a
    busy one two runs may pick different variants, and a tiny random model's variants disagree on
    near-ties. So the gate is checked against the scores it was given: the champion (re-scored, not
    read from its run) moves only for a strictly better one (tests/train/test_registry.py holds that rule).
    """
    project, name = transformer_pipeline["project"], transformer_pipeline["model_name"]
    result = run(["python", "-m", "train.transformer"], project, env={"HF_HUB_OFFLINE": "1"})
    assert "resuming after epoch" in result.stdout
    client = MlflowClient()
    first = client.get_model_version(name, transformer_pipeline["metrics"]["version"])
    first_metrics = client.get_run(first.run_id).data.metrics
    second = json.loads((project / "metrics" / "transformer.json").read_text())
    assert second["version"] != first.version
    second_metrics = client.get_run(client.get_model_version(name, second["version"]).run_id).data.metrics
    for variant in VARIANTS:
        key = f"export_{variant}_macro_f1"
        assert second_metrics[key] == pytest.approx(first_metrics[key], abs=1e-4), variant
    assert second["macro_f1"] == pytest.approx(first_metrics[f"export_{second['variant']}_macro_f1"], abs=1e-4)
    champion_score = first_metrics["test_macro_f1"]
    gate_note = client.get_model_version(name, second["version"]).tags["gate"]
    if second["macro_f1"] == pytest.approx(champion_score, abs=1e-4):
        assert second["alias"] == "challenger"  # an equal model never displaces the champion
    promoted = second["alias"] == "champion"
    relation = ">" if promoted else "<="
    assert f"vs champion v{first.version}: {second['macro_f1']:.4f} {relation} {champion_score:.4f}" in gate_note
    expected_champion = second["version"] if promoted else first.version
    assert str(client.get_model_version_by_alias(name, "champion").version) == str(expected_champion)


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_ticket_gets_the_same_answer_whatever_its_batch_mates(packaged: Path, variant: str) -> None:
    """Batched calls (sorted by length, padded per batch) answer each text as a call of its own would:
    /classify batches requests adaptively, and the batch job batches whole chunks."""
    texts = ["vpn", "laptop screen flickers " * 12, "printer on floor 3 jams", "reset my password please " * 4]
    model = TransformerPredictor(packaged, variant=variant, batch_size=3)
    alone = np.vstack([model.predict_proba([text]) for text in texts])
    np.testing.assert_allclose(model.predict_proba(texts), alone, atol=SAME_ANSWER)
    np.testing.assert_allclose(model.predict_proba(texts[::-1]), alone[::-1], atol=SAME_ANSWER)
