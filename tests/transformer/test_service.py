"""The real `bentoml serve bentos.transformer_service:TransformerClassifier`, called over HTTP."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import numpy as np
import pytest

from devkit.servers import serve
from models.transformer import VARIANTS

SERVICE = "bentos.transformer_service:TransformerClassifier"
TICKETS = [
    "My laptop screen keeps flickering and goes black when I move the lid.",
    "Je n'arrive plus à me connecter au VPN depuis ce matin, mot de passe refusé.",
    "لا أستطيع الوصول إلى المجلد المشترك على الخادم",
    "Please order two new docking stations for the finance team.",
]


@pytest.fixture(scope="module")
def server(transformer_pipeline: dict) -> Iterator[tuple]:
    """The served transformer (with adaptive batching, as in params.yaml)."""
    with serve(SERVICE, cwd=transformer_pipeline["project"]) as (client, url, _):
        yield client, url


def test_predict_returns_a_distribution_over_the_dataset_classes(server: tuple, transformer_pipeline: dict) -> None:
    client, _ = server
    predictions = client.predict(texts=TICKETS)
    assert len(predictions) == len(TICKETS)
    for prediction in predictions:
        scores = prediction["scores"]
        assert sorted(scores) == transformer_pipeline["classes"]
        assert sum(scores.values()) == pytest.approx(1.0, abs=1e-5)
        assert prediction["label"] == max(scores, key=scores.get)
        assert prediction["confidence"] == pytest.approx(scores[prediction["label"]])


def test_prediction_metadata_names_the_backbone_really_used(server: tuple, transformer_pipeline: dict) -> None:
    client, _ = server
    model = client.predict(texts=TICKETS[:1])[0]["model"]
    assert model["name"] == transformer_pipeline["model_name"]
    assert model["details"]["backbone"] == transformer_pipeline["backbone"]
    assert model["details"]["variant"] in VARIANTS
    assert float(model["details"]["temperature"]) > 0


@pytest.mark.parametrize(
    ("body", "field"),
    [({"texts": []}, "texts"), ({"texts": ["   "]}, "texts"), ({"text": "one"}, "texts"), ({"texts": "x"}, "texts")],
)
def test_bad_input_is_a_400_naming_the_field(server: tuple, body: dict, field: str) -> None:
    _, url = server
    response = httpx.post(f"{url}/predict", json=body, timeout=30)
    assert response.status_code == 400
    assert field in response.text


def test_concurrent_single_text_requests_each_get_their_own_prediction(server: tuple) -> None:
    client, url = server
    alone = [client.predict(texts=[text])[0]["scores"] for text in TICKETS]

    def call(text: str) -> dict:
        response = httpx.post(f"{url}/predict", json={"texts": [text]}, timeout=60)
        response.raise_for_status()
        (prediction,) = response.json()
        return prediction["scores"]

    with ThreadPoolExecutor(max_workers=len(TICKETS) * 2) as pool:
        together = list(pool.map(call, TICKETS * 2))
    for expected, got in zip(alone * 2, together, strict=True):
        np.testing.assert_allclose([got[k] for k in expected], list(expected.values()), atol=1e-4)
