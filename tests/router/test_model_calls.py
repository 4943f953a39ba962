"""When the router asks each model: tickets settled by language or length go to the transformer at once.

The models are plain async functions here (the served agent passes its HTTP clients): each one
records when it was called, so the tests see the order of the calls, not only the answers.
"""

import asyncio
from dataclasses import replace

import pytest

from core.names import ModelName
from router.pipeline import ModelAnswer, PreparedTicket, TicketRouter
from router.policy import RoutingConfig, TicketFacts

TFIDF_SURE = {"Hardware": 0.90, "Access": 0.06, "Storage": 0.04}
TFIDF_UNSURE = {"Hardware": 0.45, "Access": 0.35, "Storage": 0.20}
TRANSFORMER = {"Hardware": 0.10, "Access": 0.85, "Storage": 0.05}
WAIT_S = 1.0  # far under the router's TF-IDF timeout: a wait that ends here is an ordering bug, not a slow model


def ticket(text: str, language: str = "en") -> PreparedTicket:
    return PreparedTicket(text, language, {}, TicketFacts.of(text, language))


class Models:
    """TF-IDF that answers only once the transformer has been asked (or WAIT_S passed), and a transformer
    that records which texts it was asked about, call by call."""

    def __init__(self, tfidf_scores: dict[str, float]) -> None:
        self.tfidf_scores = tfidf_scores
        self.transformer_asked = asyncio.Event()
        self.transformer_calls: list[list[str]] = []
        self.tfidf_waited_for_transformer = False

    async def tfidf(self, texts: list[str]) -> list[ModelAnswer]:
        try:
            await asyncio.wait_for(self.transformer_asked.wait(), WAIT_S)
            self.tfidf_waited_for_transformer = True
        except TimeoutError:
            pass
        return [ModelAnswer(self.tfidf_scores, known_terms=3) for _ in texts]

    async def transformer(self, texts: list[str]) -> list[ModelAnswer]:
        self.transformer_calls.append(list(texts))
        self.transformer_asked.set()
        return [ModelAnswer(TRANSFORMER) for _ in texts]


@pytest.fixture
def router(params: dict, config: RoutingConfig) -> TicketRouter:
    router = TicketRouter(params)
    router.config = replace(config, ensemble_weight=0.5)  # fixed thresholds, not what tune_routing last wrote
    return router


@pytest.mark.parametrize(
    "settled", [ticket("disk " * 200), ticket("mon écran reste noir", "fr")], ids=["long", "french"]
)
def test_a_ticket_settled_by_its_facts_is_asked_of_the_transformer_while_tfidf_answers(router, settled) -> None:
    models = Models(TFIDF_SURE)
    result = asyncio.run(router.classify([settled], models.tfidf, models.transformer))
    assert models.tfidf_waited_for_transformer  # the transformer call went out before TF-IDF answered
    assert models.transformer_calls == [[settled.text]]
    (answer,) = result.answers
    assert answer.decision.model == ModelName.ENSEMBLE  # TF-IDF's scores still join in
    assert answer.known_terms == 3
    assert not result.failures


def test_an_unsure_ticket_is_asked_of_the_transformer_after_tfidf(router) -> None:
    models = Models(TFIDF_UNSURE)
    short = ticket("printer jammed")
    result = asyncio.run(router.classify([short], models.tfidf, models.transformer))
    assert not models.tfidf_waited_for_transformer  # TF-IDF decided that the transformer is needed
    assert models.transformer_calls == [[short.text]]
    assert result.answers[0].decision.model == ModelName.ENSEMBLE


def test_a_batch_asks_the_transformer_once_for_settled_and_once_for_unsure_tickets_in_input_order(router) -> None:
    models = Models(TFIDF_UNSURE)
    tickets = [ticket("printer jammed"), ticket("disk " * 200), ticket("écran noir au démarrage", "fr")]
    result = asyncio.run(router.classify(tickets, models.tfidf, models.transformer))
    assert models.transformer_calls == [[tickets[1].text, tickets[2].text], [tickets[0].text]]
    assert [answer.ticket for answer in result.answers] == tickets
    assert all(answer.decision.model == ModelName.ENSEMBLE for answer in result.answers)
