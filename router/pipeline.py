"""The agent's flow as plain Python: detect, scrub, ask TF-IDF (and the priority model), route, ask the
transformer, decide.

Two halves, because they run in different processes when served: `TicketPreparer` (language
detection and PII scrubbing: CPU-heavy, in the scrub pool's worker processes) and `TicketRouter`
(the model calls, injected as async functions, with a circuit breaker per model, and the routing
decision: in the agent's event loop). `TicketPipeline` holds both for in-process runs.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.names import Fallback, ModelName
from router.breaker import CircuitBreaker
from router.explain import explain
from router.policy import (
    Decision,
    NoModelAvailable,
    TicketFacts,
    choose_route,
    decide,
    load_routing_config,
    route_by_facts,
)
from router.priority import (
    PriorityDecision,
    decide_priority,
    explain_missing_priority,
    explain_priority,
    load_priority_rule,
)

if TYPE_CHECKING:  # presidio, spaCy and lingua load only where texts are prepared
    from router.language import LanguageDetector

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelAnswer:
    """One model's answer for one text: class probabilities, and TF-IDF's count of known terms (drift)."""

    scores: dict[str, float]
    known_terms: int | None = None


def scores_of(answer: ModelAnswer | None) -> dict[str, float] | None:
    """The class probabilities of an answer, None when the model did not answer."""
    return answer.scores if answer else None


# texts -> one answer per text
AskModel = Callable[[list[str]], Awaitable[list[ModelAnswer]]]


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
    known_terms: int | None = None  # TF-IDF vocabulary hits; None when TF-IDF did not answer


@dataclass
class BatchResult:
    """Answers in input order, the time spent per stage and what failed (model -> reason)."""

    answers: list[Answer]
    seconds: dict[str, float] = field(default_factory=dict)
    failures: dict[ModelName, Fallback] = field(default_factory=dict)


class TicketPreparer:
    """Language detector and PII scrubber, built once (presidio + spaCy + lingua: seconds)."""

    def __init__(self, params: dict[str, Any]) -> None:
        from router.language import LanguageDetector
        from router.scrub import PiiScrubber

        languages = params["router"]["language"]
        self.detector: LanguageDetector = LanguageDetector(languages)
        self.scrubber: PiiScrubber = PiiScrubber(params["pii"], languages["supported"])
        # The model services accept texts of at most this many characters, and a placeholder can be
        # longer than what it replaces (a@b.io -> <EMAIL_ADDRESS>): a text at the limit may grow past it.
        self.max_chars = int(params["serving"]["max_text_chars"])

    def prepare_batch(self, texts: list[str], seconds: dict[str, float] | None = None) -> list[PreparedTicket]:
        """Detect each language (it picks the NER model), then scrub; adds stage times to `seconds`."""
        seconds = seconds if seconds is not None else {}
        started = time.perf_counter()
        languages = [self.detector.detect(text) for text in texts]
        detected = time.perf_counter()
        results = self.scrubber.scrub_batch(texts, languages)  # spaCy once per language (nlp.pipe)
        seconds["detect"] = seconds.get("detect", 0.0) + detected - started
        seconds["scrub"] = seconds.get("scrub", 0.0) + time.perf_counter() - detected
        tickets = []
        for result, language in zip(results, languages, strict=True):
            text = result.text[: self.max_chars]
            tickets.append(PreparedTicket(text, language, result.entities, TicketFacts.of(text, language)))
        return tickets

    def prepare(self, text: str, seconds: dict[str, float] | None = None) -> PreparedTicket:
        """One ticket (see `prepare_batch`)."""
        return self.prepare_batch([text], seconds)[0]


class BreakerOpened(Exception):
    """The model's breaker opened while this call was waiting on it."""


async def until_open(call: Awaitable[Any], breaker: CircuitBreaker | None) -> Any:
    """`call`'s result, or BreakerOpened as soon as `breaker` opens (when given)."""
    if breaker is None:
        return await call
    task, opened = asyncio.ensure_future(call), breaker.opening()
    try:
        await asyncio.wait({task, opened}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        breaker.forget(opened)
        abandoned = not task.done()
        if abandoned:
            task.cancel()
    if abandoned:
        raise BreakerOpened
    return task.result()


async def ask_with_timeout(
    name: ModelName,
    ask: AskModel,
    texts: list[str],
    timeout: float,
    result: BatchResult,
    breaker: CircuitBreaker | None = None,
    probe: bool = True,
) -> list[ModelAnswer] | None:
    """Answers from one model, or None and the reason in `result.failures` (timeout, error, breaker open).

    `probe`: whether this call may be the one that probes a half-open breaker.
    """
    if not texts:
        return []
    if breaker is not None and not breaker.allow(probe):
        result.failures[name] = Fallback.skipped(name)
        return None
    started = time.perf_counter()
    try:
        scores = await until_open(asyncio.wait_for(ask(texts), timeout), breaker)
    except BreakerOpened:  # other calls' failures opened it meanwhile: stop waiting now
        result.failures[name] = Fallback.skipped(name)
        return None
    except TimeoutError:
        result.failures[name] = Fallback.of(name, timed_out=True)
    except asyncio.CancelledError:
        if breaker is not None:
            breaker.abandon()
        raise
    except Exception as error:  # any failure of a remote model must degrade, never fail the request
        result.failures[name] = Fallback.of(name, timed_out=False)
        logger.warning("%s model failed: %s", name, type(error).__name__)
    else:
        if breaker is not None:
            breaker.success()
        return scores
    finally:  # a batch may ask a model twice (see TicketRouter.classify): its longest wait counts
        result.seconds[name] = max(result.seconds.get(name, 0.0), time.perf_counter() - started)
    if breaker is not None:
        breaker.failure()
    return None


class TicketRouter:
    """Routing policy, per-model timeouts and circuit breakers, built from params.yaml."""

    def __init__(self, params: dict[str, Any], background_probes: bool = False) -> None:
        """`background_probes`: something else probes open breakers (the served agent's health
        monitor), so no ticket ever waits on a model that may still be down."""
        router_params = params["router"]
        self.background_probes = background_probes
        self.config = load_routing_config(router_params)
        self.timeouts = {
            ModelName.TFIDF: router_params["tfidf_timeout_s"],
            ModelName.TRANSFORMER: router_params["transformer_timeout_s"],
            ModelName.PRIORITY: router_params["priority_timeout_s"],
        }
        self.breakers = {name: CircuitBreaker.from_params(router_params["breaker"]) for name in self.timeouts}
        # The served priority model's tuned rule; None when no priority model is served (no priority data).
        self.priority_rule = load_priority_rule(params["registry"])

    async def ask(self, name: ModelName, ask: AskModel, texts: list[str], result: BatchResult) -> list | None:
        """One model's scores through its timeout and breaker."""
        breaker, probe = self.breakers[name], not self.background_probes
        return await ask_with_timeout(name, ask, texts, self.timeouts[name], result, breaker, probe)

    async def rate(
        self, ask_priority: AskModel | None, texts: list[str], result: BatchResult
    ) -> list[PriorityDecision | None]:
        """Each text's priority decision; Nones without a served priority model or when it did not answer."""
        if ask_priority is None or self.priority_rule is None:
            return [None] * len(texts)
        scores = await self.ask(ModelName.PRIORITY, ask_priority, texts, result)
        return [decide_priority(row.scores, self.priority_rule) for row in scores] if scores else [None] * len(texts)

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
        for ticket in tickets:  # here, in the agent's process: scrub workers do not log
            logger.debug("scrubbed ticket (%s): %s", ticket.language, ticket.text)
        # Tickets whose language or length already routes them to the transformer are asked there
        # beside TF-IDF (its scores still join the ensemble); the others once TF-IDF has answered.
        settled = [index for index, ticket in enumerate(tickets) if route_by_facts(ticket.facts, self.config)]
        tfidf, priorities, settled_answers = await asyncio.gather(
            self.ask(ModelName.TFIDF, ask_tfidf, texts, result),
            self.rate(ask_priority, texts, result),
            self.ask(ModelName.TRANSFORMER, ask_transformer, [texts[i] for i in settled], result),
        )
        tfidf = tfidf or [None] * len(tickets)
        routes = [choose_route(t.facts, scores_of(a), self.config) for t, a in zip(tickets, tfidf, strict=True)]
        unsure = [index for index, route in enumerate(routes) if route.to_transformer and index not in settled]
        unsure_answers = await self.ask(ModelName.TRANSFORMER, ask_transformer, [texts[i] for i in unsure], result)
        transformer_answers: list[ModelAnswer | None] = [None] * len(tickets)
        for asked, answers in ((settled, settled_answers), (unsure, unsure_answers)):
            for index, answer in zip(asked, answers or [None] * len(asked), strict=True):
                transformer_answers[index] = answer
        failed = result.failures.get
        for ticket, route, tf, tr, rated in zip(tickets, routes, tfidf, transformer_answers, priorities, strict=True):
            try:
                decision = decide(
                    ticket.facts,
                    route,
                    scores_of(tf),
                    scores_of(tr),
                    self.config,
                    failed(ModelName.TRANSFORMER),
                    failed(ModelName.TFIDF),
                )
            except NoModelAvailable as error:
                raise NoModelAvailable(f"{error} ({', '.join(result.failures.values())})") from None
            known_terms = tf.known_terms if tf else None
            explanation = self.explain(decision, rated, result)
            result.answers.append(Answer(ticket, decision, explanation, priority=rated, known_terms=known_terms))
        return result

    def explain(self, decision: Decision, priority: PriorityDecision | None, result: BatchResult) -> str:
        """The routing sentence, then the priority one (or why there is none, when the model failed)."""
        sentence = explain(decision, self.config)
        if priority is not None:
            return f"{sentence} {explain_priority(priority)}"
        failure = result.failures.get(ModelName.PRIORITY)
        return f"{sentence} {explain_missing_priority(failure)}" if failure else sentence


class TicketPipeline(TicketRouter):
    """Preparer and router in one process: benchmarks and in-process runs."""

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        self.preparer = TicketPreparer(params)

    @property
    def detector(self) -> "LanguageDetector":
        """The language detector the preparer uses."""
        return self.preparer.detector

    def prepare(self, text: str, seconds: dict[str, float] | None = None) -> PreparedTicket:
        """Detect and scrub one ticket."""
        return self.preparer.prepare(text, seconds)
