"""The served agent end to end: answers, PII, routing, bad input, degradation, metrics, logs."""

import http.client
import json
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psutil
import pytest

from core.params import load_params
from tests.agent.conftest import AGENT_PARAMS, AgentServer

pytestmark = pytest.mark.slow

HARDWARE = "My laptop screen is cracked and the keyboard does not work anymore, the laptop needs a repair"
PLANTED = {
    "PERSON": "John Smith",
    "EMAIL_ADDRESS": "john.smith@acme.com",
    "PHONE_NUMBER": "+1 (415) 555-0132",
    "IBAN_CODE": "GB82 WEST 1234 5698 7654 32",
}
PII_TICKET = (
    f"Hi, this is {PLANTED['PERSON']}, my laptop screen is broken. Call me on {PLANTED['PHONE_NUMBER']} "
    f"or mail {PLANTED['EMAIL_ADDRESS']}; refund the repair to IBAN {PLANTED['IBAN_CODE']}."
)
SCHEMATHESIS_EXAMPLES = 15  # per operation: seconds, not minutes
FRENCH = "Mon imprimante ne fonctionne plus depuis ce matin, pouvez-vous envoyer un technicien ?"
# No `priority` (not even null): the starter data has no priority column, so no priority model is served.
FIELDS = {
    "category",
    "confidence",
    "scores",
    "model",
    "model_version",
    "language",
    "explanation",
    "needs_review",
    "fallback",
    "pii",
}
DRIFT_SERIES = {
    "tickets": "callcenter_drift_window_tickets",
    "confidence": 'callcenter_drift_mean_confidence{window="served"}',
    "review": 'callcenter_drift_review_share{window="served"}',
    "oov": 'callcenter_drift_oov_share{window="served"}',
    "languages": 'callcenter_drift_mix_distance{mix="language"}',
    "categories": 'callcenter_drift_mix_distance{mix="category"}',
}
DRIFT_WINDOW = load_params()["drift"]["window"]


def classify(agent: AgentServer, text: str) -> httpx.Response:
    return httpx.post(f"{agent.url}/classify", json={"text": text}, timeout=60)


def test_clear_hardware_ticket_is_answered_with_every_field(agent: AgentServer) -> None:
    response = classify(agent, HARDWARE)
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == FIELDS
    assert answer["category"] == "Hardware"
    assert answer["language"] == "en"
    assert answer["model"] in {"tfidf", "transformer", "ensemble"}
    tags = [
        json.loads((agent.log.parent / "served" / f"{kind}.json").read_text())["bento_tag"]
        for kind in ("tfidf", "transformer")
    ]
    assert (
        answer["model_version"]
        == {"tfidf": tags[0], "transformer": tags[1], "ensemble": "+".join(tags)}[answer["model"]]
    )
    assert len(answer["scores"]) == 8 and sum(answer["scores"].values()) == pytest.approx(1.0, abs=1e-3)
    assert answer["confidence"] == pytest.approx(max(answer["scores"].values()))
    assert "Hardware" in answer["explanation"] and f"{answer['confidence']:.2f}" in answer["explanation"]
    assert answer["pii"] == {}
    assert answer["fallback"] is None


def test_pii_is_counted_by_type_and_its_values_never_returned(agent: AgentServer) -> None:
    response = classify(agent, PII_TICKET)
    assert response.status_code == 200
    assert response.json()["pii"] == {name: 1 for name in PLANTED}
    for value in PLANTED.values():
        assert value not in response.text


def test_batch_routes_non_english_tickets_to_the_transformer(agent: AgentServer) -> None:
    texts = [HARDWARE, FRENCH, "لا أستطيع الدخول إلى البريد الإلكتروني منذ الصباح"]
    response = httpx.post(f"{agent.url}/classify_batch", json={"texts": texts}, timeout=60)
    assert response.status_code == 200
    answers = response.json()
    assert [answer["language"] for answer in answers] == ["en", "fr", "ar"]
    for answer in answers[1:]:
        assert answer["model"] in {"transformer", "ensemble"}
        assert "TF-IDF answers alone only for 'en'" in answer["explanation"]


@pytest.mark.parametrize(
    ("route", "body", "field", "problem"),
    [
        ("classify", {"text": ""}, "text", "at least 1 character"),
        ("classify", {"text": "   \n "}, "text", "at least 1 character"),
        ("classify", {"text": "x" * 20001}, "text", "at most 20000 characters"),
        ("classify", {"text": 42}, "text", "valid string"),
        ("classify", {"texte": "hello"}, "text", "Field required"),
        ("classify_batch", {"texts": []}, "texts", "at least 1 item"),
        ("classify_batch", {"texts": ["ok", ""]}, "texts", "at least 1 character"),
    ],
    ids=["empty", "whitespace", "too-long", "wrong-type", "missing", "empty-batch", "empty-item"],
)
def test_bad_input_gets_400_naming_the_field(agent: AgentServer, route, body, field, problem) -> None:
    response = httpx.post(f"{agent.url}/{route}", json=body, timeout=30)
    assert response.status_code == 400
    details = response.json()["detail"]
    assert details[0]["loc"][0] == field
    assert problem in details[0]["msg"]


def test_metrics_endpoint_exposes_the_agent_metrics(agent: AgentServer) -> None:
    classify(agent, PII_TICKET)
    metrics = httpx.get(f"{agent.url}/metrics", timeout=30).text
    for name in (
        "callcenter_routing_decisions_total",
        "callcenter_predictions_total",
        "callcenter_pii_entities_total",
        "callcenter_language_total",
        "callcenter_stage_seconds_bucket",
    ):
        assert name in metrics
    assert 'callcenter_pii_entities_total{entity_type="EMAIL_ADDRESS"}' in metrics
    assert 'callcenter_priority_total{priority="unrated"}' in metrics  # no priority model: counted as unrated
    for stage in ("scrub", "detect", "tfidf", "total"):
        assert f'callcenter_stage_seconds_count{{stage="{stage}"}}' in metrics


def test_metrics_expose_the_drift_of_served_tickets_against_the_training_baseline(
    agent: AgentServer, routing_in_project: dict
) -> None:
    baseline = routing_in_project["baseline"]
    assert agent.metric('callcenter_drift_mean_confidence{window="baseline"}') == pytest.approx(
        baseline["mean_confidence"]
    )
    assert agent.metric('callcenter_drift_oov_share{window="baseline"}') == pytest.approx(baseline["oov_share"])
    classify(agent, HARDWARE)  # the window is not empty, whatever ran before
    before = {name: agent.metric(series) for name, series in DRIFT_SERIES.items()}
    texts = [HARDWARE, FRENCH, "zzqx vlorp grubnax wibble"]  # the last: no word TF-IDF knows
    answers = [classify(agent, text).json() for text in texts]
    after = {name: agent.metric(series) for name, series in DRIFT_SERIES.items()}
    tickets = before["tickets"] + len(texts)
    assert tickets <= DRIFT_WINDOW and after["tickets"] == tickets
    # The window's measures moved by exactly these answers.
    confidences = [answer["confidence"] for answer in answers]
    assert after["confidence"] == pytest.approx((before["confidence"] * before["tickets"] + sum(confidences)) / tickets)
    reviews = sum(answer["needs_review"] for answer in answers)
    assert after["review"] == pytest.approx((before["review"] * before["tickets"] + reviews) / tickets)
    assert after["oov"] > 0.0  # at least the gibberish ticket
    assert 0.0 <= after["languages"] <= 1.0 and 0.0 <= after["categories"] <= 1.0
    for reason in ("language_mix", "category_mix", "confidence_drop", "review_rise", "oov_rise", "corrections"):
        assert agent.metric(f'callcenter_retrain_recommended{{reason="{reason}"}}') in (0.0, 1.0)


def test_server_logs_hold_scrubbed_texts_but_no_planted_pii(agent: AgentServer) -> None:
    classify(agent, PII_TICKET)
    httpx.post(f"{agent.url}/classify", json={"text": PII_TICKET + "x" * 20001}, timeout=30)  # a 400 is logged too
    log = agent.log.read_text(encoding="utf-8", errors="replace")
    assert "<EMAIL_ADDRESS>" in log  # the DEBUG line with the scrubbed text is there...
    for value in PLANTED.values():
        assert value not in log  # ...and no raw value anywhere, from any of the three services
    assert json.dumps(PLANTED["EMAIL_ADDRESS"])[1:-1] not in log


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", b'{"text": "my laptop is broken"}'),
        (
            "multipart/form-data; boundary=x",
            b'--x\r\nContent-Disposition: form-data; name="texts"\r\n\r\nhi\r\n--x--\r\n',
        ),
        ("application/vnd.bentoml+pickle", b"\x80\x05N."),
        (None, b'{"text": "my laptop is broken"}'),
    ],
    ids=["text-plain", "multipart", "pickle", "no-content-type"],
)
def test_only_json_bodies_are_accepted(agent: AgentServer, content_type: str | None, body: bytes) -> None:
    headers = {"content-type": content_type} if content_type else {}
    for route in ("classify", "classify_batch"):
        response = httpx.post(f"{agent.url}/{route}", content=body, headers=headers, timeout=30)
        assert response.status_code == 415
        assert response.json()["error"].startswith("only application/json request bodies are accepted")


def model_service_socket(agent: AgentServer, service_name: str) -> str:
    """The Unix socket a model service's worker listens on inside `bentoml serve`."""
    worker = psutil.Process(agent.worker_pid(service_name))
    return next(c.laddr for c in worker.net_connections(kind="unix") if str(c.laddr).endswith(".sock"))


@pytest.mark.parametrize("service_name", ["tfidf_classifier", "transformer_classifier"])
def test_model_services_refuse_pickle_and_answer_json(agent: AgentServer, service_name: str) -> None:
    transport = httpx.HTTPTransport(uds=model_service_socket(agent, service_name))
    with httpx.Client(transport=transport, base_url="http://localhost", timeout=30) as client:
        pickled = client.post(
            "/predict", content=b"\x80\x05N.", headers={"content-type": "application/vnd.bentoml+pickle"}
        )
        answered = client.post("/predict", json={"texts": [HARDWARE]})
    assert pickled.status_code == 415 and "application/json" in pickled.json()["error"]
    assert answered.status_code == 200 and answered.json()[0]["label"]


def test_a_request_over_the_character_budget_gets_413(agent: AgentServer) -> None:
    limit = AGENT_PARAMS["serving.max_request_chars"]
    texts = ["printer jam " * 1500] * (limit // 18000 + 1)
    response = httpx.post(f"{agent.url}/classify_batch", json={"texts": texts}, timeout=30)
    assert response.status_code == 413
    assert f"at most {limit} per request" in response.json()["error"]


def test_a_text_at_the_limit_that_scrubbing_lengthens_is_answered(agent: AgentServer) -> None:
    """Placeholders are longer than what they replace: the models must still accept the scrubbed text."""
    limit, addresses = load_params()["serving"]["max_text_chars"], " mail a@b.io" * 20  # scrubbed: 180 more
    text = ("printer jam " * 700)[:8000] + " " + "-" * (limit - 8001 - len(addresses)) + addresses  # cheap to scrub
    response = classify(agent, text)
    assert len(text) == limit and response.status_code == 200, response.text
    assert response.json()["pii"] == {"EMAIL_ADDRESS": 20} and not response.json()["fallback"]


def test_a_text_over_its_scrub_budget_is_refused_and_the_next_one_answered(agent: AgentServer) -> None:
    # ~18,000 characters of names (spaCy NER runs) and numbers (phone matching): ~0.36 CPU-s
    costly = " ".join(f"Anna {n:06d}." for n in range(1400))
    refused = classify(agent, costly)
    assert refused.status_code == 422
    assert "could not be scrubbed" in refused.json()["error"] and "nothing was passed on" in refused.json()["error"]
    assert "scrub refused 1 text(s)" in agent.log.read_text(errors="replace")
    assert classify(agent, HARDWARE).status_code == 200  # the killed worker was replaced
    assert "000123. Anna 000124" not in agent.log.read_text(errors="replace")  # refused text never logged


def test_the_served_openapi_document_holds_under_schemathesis(agent: AgentServer, tmp_path: Path) -> None:
    """Every documented operation, fuzzed: status codes, content types and bodies match the document."""
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(Path(__file__).with_name("schemathesis.toml")),
        "run",
        f"{agent.url}/docs.json",
        "--checks",
        "all",
        "--max-examples",
        str(SCHEMATHESIS_EXAMPLES),
        "--report-dir",
        str(tmp_path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)  # its cache too
    assert result.returncode == 0, result.stdout[-6000:]


BENTOML_DEFAULT_KEEP_ALIVE_S = 5  # what `bentoml serve` closes idle connections after, unless told


def test_an_idle_client_connection_stays_open_past_bentomls_default_keep_alive(agent: AgentServer) -> None:
    """A client or proxy reusing its connection after a pause must not send on one the server is closing."""
    connection = http.client.HTTPConnection(urlsplit(agent.url).netloc, timeout=10)
    try:
        connection.request("GET", "/livez")
        first = connection.getresponse()
        first.read()  # the whole answer, so the connection can carry the next request
        assert first.status == 200
        local_port = connection.sock.getsockname()[1]
        time.sleep(BENTOML_DEFAULT_KEEP_ALIVE_S + 1.5)
        connection.request("GET", "/livez")  # on the same socket: RemoteDisconnected if the server closed it
        assert connection.getresponse().status == 200
        assert connection.sock.getsockname()[1] == local_port
    finally:
        connection.close()
