"""End to end on the starter data: `dvc repro` -> MLflow run + registry -> BentoML store -> real `bentoml serve`."""

from pathlib import Path

import bentoml
import httpx
import mlflow
import pytest
from mlflow import MlflowClient

from core.params import load_params
from devkit.project import run
from devkit.servers import serve

HARDWARE_TICKET = "My laptop screen is cracked and the docking station no longer charges it, please send a replacement."


def test_pipeline_logs_run_metrics_and_plots_and_registers_champion(tfidf_pipeline: dict) -> None:
    registry = load_params()["registry"]
    client = MlflowClient()
    champion = client.get_model_version_by_alias(registry["tfidf_model"], registry["champion_alias"])
    assert str(champion.version) == tfidf_pipeline["mlflow_version"]
    run_data = client.get_run(champion.run_id).data
    for metric in ("test_accuracy", "test_macro_f1", "test_ece", "test_f1_hardware", "train_seconds"):
        assert metric in run_data.metrics
    assert run_data.metrics["test_macro_f1"] > 0.5  # the starter data is learnable
    assert "tfidf.svm.C" in run_data.params
    artifacts = {a.path for a in client.list_artifacts(champion.run_id, "test")}
    assert {"test/confusion_matrix.png", "test/reliability.png", "test/classification_report.txt"} <= artifacts


def test_import_puts_champion_in_bentoml_store_with_lineage(tfidf_pipeline: dict) -> None:
    model = bentoml.models.get(tfidf_pipeline["bento_tag"])
    assert model.info.labels["mlflow_version"] == tfidf_pipeline["mlflow_version"]
    assert model.info.metadata["mlflow_run_id"] == tfidf_pipeline["mlflow_run_id"]
    assert 0 < model.info.metadata["metrics"]["test_macro_f1"] <= 1


def test_second_repro_retrains_nothing_and_only_asks_the_registry(project_copy: Path, tfidf_pipeline: dict) -> None:
    versions_before = len(mlflow.search_model_versions(filter_string="name='ticket-tfidf'"))
    result = run(["dvc", "repro", "import_tfidf"], project_copy)
    assert "Running stage 'prepare'" not in result.stdout and "Running stage 'train_tfidf'" not in result.stdout
    assert f"{tfidf_pipeline['bento_tag']} is already in the BentoML store" in result.stdout
    assert len(mlflow.search_model_versions(filter_string="name='ticket-tfidf'")) == versions_before


@pytest.fixture(scope="module")
def tfidf_server(project_copy: Path, tfidf_pipeline: dict):
    with serve("bentos.tfidf_service:TfidfClassifier", project_copy) as server:
        yield server


def test_served_model_labels_a_clear_hardware_ticket_with_a_distribution(tfidf_server) -> None:
    client, _, _ = tfidf_server
    predictions = client.predict(
        texts=[HARDWARE_TICKET, "Je n'arrive plus à me connecter au VPN, mot de passe refusé."]
    )
    assert len(predictions) == 2
    first = predictions[0]
    assert first["label"] == "Hardware"
    assert sum(first["scores"].values()) == pytest.approx(1.0, abs=1e-6)
    assert first["confidence"] == max(first["scores"].values())
    assert len(first["scores"]) == 8
    assert first["model"]["name"] == "ticket-tfidf"


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({}, "texts", "Field required"),
        ({"texts": []}, "texts", "at least 1 item"),
        ({"texts": ["   "]}, "texts.0", "at least 1 character"),
        ({"texts": [42]}, "texts.0", "valid string"),
        ({"texts": "one ticket"}, "texts", "valid array"),
        ({"texts": ["x" * (load_params()["serving"]["max_text_chars"] + 1)]}, "texts.0", "at most"),
        ({"texts": ["ok"] * (load_params()["serving"]["max_batch_texts"] + 1)}, "texts", "at most"),
    ],
)
def test_bad_input_gets_400_naming_the_field_and_problem(tfidf_server, body: dict, field: str, problem: str) -> None:
    _, base_url, _ = tfidf_server
    response = httpx.post(f"{base_url}/predict", json=body, timeout=30)
    assert response.status_code == 400
    detail = response.json()["detail"][0]
    assert ".".join(str(part) for part in detail["loc"]) == field
    assert problem in detail["msg"]


def test_invalid_json_gets_400(tfidf_server) -> None:
    _, base_url, _ = tfidf_server
    response = httpx.post(f"{base_url}/predict", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400


def test_health_and_metrics_endpoints_are_served(tfidf_server) -> None:
    _, base_url, _ = tfidf_server
    assert httpx.get(f"{base_url}/healthz").status_code == 200
    assert httpx.get(f"{base_url}/readyz").status_code == 200
    httpx.post(f"{base_url}/predict", json={"texts": [HARDWARE_TICKET]})
    metrics = httpx.get(f"{base_url}/metrics").text
    assert "bentoml_service_request_total{" in metrics and 'endpoint="/predict"' in metrics
