"""The agent's flow as plain Python: detect, scrub, ask TF-IDF (and the priority model), route, ask the
transformer, decide.

The model calls are injected as async functions (the BentoML dependencies in the service, local
models in benchmarks), so the same code runs served and in-process.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from core.names import Fallback, ModelName
from router.explain import explain
from router.language import LanguageDetector
from router.policy import Decision, NoModelAvailable, TicketFacts, choose_route, decide, load_routing_config
from router.priority import (
    PriorityDecision,
    decide_priority,
    explain_missing_priority,
    explain_priority,
    load_priority_rule,
)
from router.scrub import PiiScrubber

logger = logging.getLogger(__name__)

# texts -> one {label: probability} per text
AskModel = Callable[[list[str]], Awaitable[list[dict[str, float]]]]


@dataclass(frozen=True)
class PreparedTicket:
    """A ticket after scrubbing and language detection: the only text that may leave this process."""

    text: str
    language: str
    pii: dict[str, int]
    facts: TicketFacts


@dataclass
class Answer:
    """One ticket's decision and its explanation."""

    ticket: PreparedTicket
    decision: Decision
    explanation: str
    priority: PriorityDecision | None = None


@dataclass
class BatchResult:
    """Answers in input order, the time spent per stage and what failed (model -> reason)."""

    answers: list[Answer]
    seconds: dict[str, float] = field(default_factory=dict)
    failures: dict[ModelName, Fallback] = field(default_factory=dict)


async def ask_with_timeout(
    name: ModelName, ask: AskModel, texts: list[str], timeout: float, result: BatchResult
) -> list[dict[str, float]] | None:
    """Scores from one model, or None (and a `<name>_timeout|_error` failure) when it cannot answer."""
    if not texts:
        return []
    started = time.perf_counter()
    try:
        return await asyncio.wait_for(ask(texts), timeout)
    except TimeoutError:
        result.failures[name] = Fallback.of(name, timed_out=True)
    except Exception as error:  # any failure of a remote model must degrade, never fail the request
        result.failures[name] = Fallback.of(name, timed_out=False)
        logger.warning("%s model failed: %s", name, type(error).__name__)
    finally:
        result.seconds[name] = time.perf_counter() - started
    return None


class TicketPipeline:
    """PII scrubber, language detector and routing policy, built once from params.yaml."""

    def __init__(self, params: dict[str, Any]) -> None:
        router_params = params["router"]
        self.config = load_routing_config(router_params)
        self.timeouts = {
            ModelName.TFIDF: router_params["tfidf_timeout_s"],
            ModelName.TRANSFORMER: router_params["transformer_timeout_s"],
            ModelName.PRIORITY: router_params["priority_timeout_s"],
        }
        # The served priority model's tuned rule; None when no priority model is served (no priority data).
        self.priority_rule = load_priority_rule(params["registry"])
        self.detector = LanguageDetector(router_params["language"])
        self.scrubber = PiiScrubber(params["pii"], router_params["language"]["supported"])

    def prepare(self, text: str, seconds: dict[str, float] | None = None) -> PreparedTicket:
        """Detect the language (it picks the NER model), then scrub; adds stage times to `seconds`."""
        seconds = seconds if seconds is not None else {}
        started = time.perf_counter()
        language = self.detector.detect(text)
        detected = time.perf_counter()
        scrubbed = self.scrubber.scrub(text, language)
        seconds["detect"] = seconds.get("detect", 0.0) + detected - started
        seconds["scrub"] = seconds.get("scrub", 0.0) + time.perf_counter() - detected
        logger.debug("scrubbed ticket (%s): %s", language, scrubbed.text)
        return PreparedTicket(scrubbed.text, language, scrubbed.entities, TicketFacts.of(scrubbed.text, language))

    async def rate(
        self, ask_priority: AskModel | None, texts: list[str], result: BatchResult
    ) -> list[PriorityDecision | None]:
        """Each text's priority decision; Nones without a served priority model or when it did not answer."""
        if ask_priority is None or self.priority_rule is None:
            return [None] * len(texts)
        timeout = self.timeouts[ModelName.PRIORITY]
        scores = await ask_with_timeout(ModelName.PRIORITY, ask_priority, texts, timeout, result)
        return [decide_priority(row, self.priority_rule) for row in scores] if scores else [None] * len(texts)

    async def classify(
        self,
        tickets: list[PreparedTicket],
        ask_tfidf: AskModel,
        ask_transformer: AskModel,
        ask_priority: AskModel | None = None,
    ) -> BatchResult:
        """Route and answer a batch of prepared tickets; raises NoModelAvailable when no model answered."""
        result = BatchResult(answers=[])
        texts = [ticket.text for ticket in tickets]
        tfidf, priorities = await asyncio.gather(
            ask_with_timeout(ModelName.TFIDF, ask_tfidf, texts, self.timeouts[ModelName.TFIDF], result),
            self.rate(ask_priority, texts, result),
        )
        tfidf_scores = tfidf or [None] * len(tickets)
        routes = [choose_route(t.facts, s, self.config) for t, s in zip(tickets, tfidf_scores, strict=True)]
        asked = [index for index, route in enumerate(routes) if route.to_transformer]
        transformer = await ask_with_timeout(
            ModelName.TRANSFORMER,
            ask_transformer,
            [texts[i] for i in asked],
            self.timeouts[ModelName.TRANSFORMER],
            result,
        )
        transformer_scores: list[dict[str, float] | None] = [None] * len(tickets)
        for index, scores in zip(asked, transformer or [None] * len(asked), strict=True):
            transformer_scores[index] = scores
        fallback = result.failures.get(ModelName.TRANSFORMER)
        for ticket, route, tf, tr, rated in zip(
            tickets, routes, tfidf_scores, transformer_scores, priorities, strict=True
        ):
            try:
                decision = decide(ticket.facts, route, tf, tr, self.config, fallback)
            except NoModelAvailable as error:
                raise NoModelAvailable(f"{error} ({', '.join(result.failures.values())})") from None
            result.answers.append(Answer(ticket, decision, self.explain(decision, rated, result), rated))
        return result

    def explain(self, decision: Decision, priority: PriorityDecision | None, result: BatchResult) -> str:
        """The routing sentence, then the priority one (or why there is none, when the model failed)."""
        sentence = explain(decision, self.config)
        if priority is not None:
            return f"{sentence} {explain_priority(priority)}"
        failure = result.failures.get(ModelName.PRIORITY)
        return f"{sentence} {explain_missing_priority(failure)}" if failure else sentence
