"""The agent in-process, with its real model services: what they receive and what is logged."""

import asyncio
import logging

import bentoml
import pytest

from tests.agent.test_agent_service import FRENCH, PII_TICKET, PLANTED

pytestmark = pytest.mark.slow

FRENCH_PII = f"{FRENCH} Rappelez Marie Dubois au 06 12 34 56 78 ou marie.dubois@exemple.fr"
FRENCH_PLANTED = ("Marie Dubois", "06 12 34 56 78", "marie.dubois@exemple.fr")


def spy_on(service: object, received: list[str]) -> None:
    """Record every text the (real, local) model service is asked to classify, then let it answer."""
    predict = service.to_async.predict

    async def recording(texts: list[str]) -> list:
        received.extend(texts)
        return await predict(texts=texts)

    service.to_async.predict = recording


def serve_recorded_champions(monkeypatch: pytest.MonkeyPatch, tfidf: dict, transformer: dict) -> None:
    """Point the (repo's) service classes at the records (tags, digests) the project copy's import stages wrote."""
    from bentos import champions
    from bentos.tfidf_service import TfidfClassifier
    from bentos.transformer_service import TransformerClassifier

    monkeypatch.setattr(TfidfClassifier.inner, "bento_model", bentoml.models.BentoModel(tfidf["bento_tag"]))
    monkeypatch.setattr(TransformerClassifier.inner, "bento_model", bentoml.models.BentoModel(transformer["bento_tag"]))
    monkeypatch.setattr(champions, "served_record", {"tfidf": tfidf, "transformer": transformer}.get)


def test_model_services_and_logs_receive_only_scrubbed_text(
    tfidf_pipeline: dict,
    transformer_in_project: dict,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bentos.agent_service import TicketAgent

    serve_recorded_champions(monkeypatch, tfidf_pipeline, transformer_in_project)
    agent = TicketAgent()  # builds local TfidfClassifier and TransformerClassifier instances
    received: dict[str, list[str]] = {"tfidf": [], "transformer": []}
    spy_on(agent.tfidf, received["tfidf"])
    spy_on(agent.transformer, received["transformer"])
    caplog.set_level(logging.DEBUG, logger="router")  # the agent sets its own loggers to params.yaml's level
    answers = asyncio.run(agent.classify_batch(texts=[PII_TICKET, FRENCH_PII]))
    assert [answer.pii for answer in answers] == [
        {name: 1 for name in PLANTED},
        {"EMAIL_ADDRESS": 1, "PERSON": 1, "PHONE_NUMBER": 1},
    ]
    assert len(received["tfidf"]) == 2 and len(received["transformer"]) >= 1  # French always asks the transformer
    seen = "\n".join(received["tfidf"] + received["transformer"]) + caplog.text
    assert "<EMAIL_ADDRESS>" in seen and "<PHONE_NUMBER>" in caplog.text
    for value in (*PLANTED.values(), *FRENCH_PLANTED):
        assert value not in seen
