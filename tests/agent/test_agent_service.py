"""The served agent end to end: answers, PII, routing, bad input, degradation, metrics, logs."""

import json

import httpx
import pytest

from tests.agent.conftest import AgentServer

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
    "pii",
}


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


def test_agent_falls_back_to_tfidf_when_transformer_down(agent: AgentServer) -> None:
    with agent.frozen("transformer_classifier"):
        response = classify(agent, FRENCH)
    assert response.status_code == 200
    answer = response.json()
    assert answer["model"] == "tfidf"
    assert "fallback" in answer["explanation"] and "transformer timed out" in answer["explanation"]
    metrics = httpx.get(f"{agent.url}/metrics", timeout=30).text
    assert 'callcenter_fallbacks_total{reason="transformer_timeout"}' in metrics


def test_no_model_available_gets_503_with_a_clear_message(agent: AgentServer) -> None:
    with agent.frozen("transformer_classifier", "tfidf_classifier"):
        response = classify(agent, HARDWARE)
    assert response.status_code == 503
    assert "No model is available" in response.json()["error"]


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


def test_server_logs_hold_scrubbed_texts_but_no_planted_pii(agent: AgentServer) -> None:
    classify(agent, PII_TICKET)
    httpx.post(f"{agent.url}/classify", json={"text": PII_TICKET + "x" * 20001}, timeout=30)  # a 400 is logged too
    log = agent.log.read_text(encoding="utf-8", errors="replace")
    assert "<EMAIL_ADDRESS>" in log  # the DEBUG line with the scrubbed text is there...
    for value in PLANTED.values():
        assert value not in log  # ...and no raw value anywhere, from any of the three services
    assert json.dumps(PLANTED["EMAIL_ADDRESS"])[1:-1] not in log
