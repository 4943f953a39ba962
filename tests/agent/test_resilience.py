"""The served agent when a model service hangs: breakers, fallbacks that say so, readiness vs degraded."""

import time

import httpx
import pytest

from devkit.servers import poll_until
from tests.agent.conftest import AGENT_PARAMS, AgentServer
from tests.agent.test_agent_service import FRENCH, HARDWARE, classify

pytestmark = pytest.mark.slow

TIMEOUT_S = AGENT_PARAMS["router.tfidf_timeout_s"]


def wait_for(check, timeout: float) -> None:
    poll_until(check, timeout, "the agent's state", interval=0.2)


def test_transformer_outage_degrades_but_stays_ready(agent: AgentServer) -> None:
    with agent.frozen("transformer_classifier"):
        first = classify(agent, FRENCH).json()
        wait_for(lambda: agent.health()["status"] == "degraded", 3 * TIMEOUT_S)
        started = time.perf_counter()
        answered = classify(agent, FRENCH)
        seconds = time.perf_counter() - started
        ready = httpx.get(f"{agent.url}/readyz", timeout=5).status_code
        # The gauge follows at the health monitor's next probe (serving.dependency.probe_interval_s).
        wait_for(lambda: agent.metric('callcenter_dependency_available{dependency="transformer"}') == 0, TIMEOUT_S)
    assert first["model"] == "tfidf" and first["fallback"] == "transformer_timeout" and first["needs_review"]
    assert "fallback" in first["explanation"] and "transformer timed out" in first["explanation"]
    answer = answered.json()
    assert answer["fallback"] == "transformer_circuit_open" and answer["needs_review"]
    assert seconds < TIMEOUT_S / 2  # the breaker skips the hung model: no waiting for its timeout
    assert ready == 200
    assert agent.metric('callcenter_fallbacks_total{reason="transformer_timeout"}') >= 1
    agent.wait_healthy(timeout=15)  # probed after the cool-down: back without a restart


def test_tfidf_outage_makes_the_agent_unready_and_the_transformer_answers_at_once(agent: AgentServer) -> None:
    with agent.frozen("tfidf_classifier"):
        first = classify(agent, HARDWARE).json()
        wait_for(lambda: httpx.get(f"{agent.url}/readyz", timeout=5).status_code == 503, 3 * TIMEOUT_S)
        started = time.perf_counter()
        answer = classify(agent, HARDWARE).json()
        seconds = time.perf_counter() - started
        health = agent.health()
    assert first["model"] == "transformer" and first["fallback"] == "tfidf_timeout" and first["needs_review"]
    assert answer["model"] == "transformer" and answer["fallback"] == "tfidf_circuit_open"
    assert "the TF-IDF model is paused" in answer["explanation"]
    assert seconds < TIMEOUT_S / 2
    assert health["status"] == "unavailable" and health["models"]["tfidf"]["breaker"] != "closed"
    wait_for(lambda: httpx.get(f"{agent.url}/readyz", timeout=5).status_code == 200, 15)


def test_no_model_available_gets_503_with_a_clear_message(agent: AgentServer) -> None:
    with agent.frozen("transformer_classifier", "tfidf_classifier"):
        response = classify(agent, HARDWARE)
    assert response.status_code == 503
    assert "No model is available" in response.json()["error"]
    agent.wait_healthy(timeout=30)
