"""TicketAgent: the entry service. Scrubs PII, detects the language, routes between the two models.

The logic lives in router/ (plain Python); this class wires it to the BentoML dependencies,
the HTTP API and the Prometheus metrics.
"""

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Annotated

import bentoml
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import JSONResponse

from bentos.metrics import record_batch, record_unavailable
from bentos.priority_service import PriorityClassifier
from bentos.schema import JSON
from bentos.tfidf_service import TfidfClassifier
from bentos.transformer_service import TransformerClassifier
from core.names import ModelName
from core.params import load_params
from core.prediction import Prediction, TicketBatch, TicketText
from core.served import answered_by, served_tags
from router.policy import NoModelAvailable
from router.priority import served_priority

if TYPE_CHECKING:
    from router.pipeline import Answer, PreparedTicket

PARAMS = load_params()
# Decided when the module is imported, like the champions' tags: without a served priority model (no
# priority column in the data) the agent has no priority dependency and its answers no `priority`.
PRIORITY_SERVED = served_priority(PARAMS["registry"]) is not None
logger = logging.getLogger("bentos.agent")
# BentoML's handlers print what our loggers emit at this level (DEBUG adds each scrubbed text).
for name in ("bentos", "router"):
    logging.getLogger(name).setLevel(PARAMS["router"]["log_level"])


class ClassifyInput(BaseModel):
    """`{"text": ...}`. Invalid input is logged by BentoML: never with the (unscrubbed) text."""

    model_config = ConfigDict(hide_input_in_errors=True)
    text: TicketText


class ClassifyBatchInput(BaseModel):
    """`{"texts": [...]}`, same logging rule."""

    model_config = ConfigDict(hide_input_in_errors=True)
    texts: TicketBatch


class Priority(BaseModel):
    """How urgent the ticket is: the level, its probability and every level's probability."""

    level: str
    confidence: float
    scores: dict[str, float]


class Classification(BaseModel):
    """The agent's answer for one ticket; `pii` counts entities by type and never holds their values."""

    category: str
    confidence: float
    scores: dict[str, float]
    model: ModelName
    # The BentoML store tag(s) of the answering model(s); `<tfidf tag>+<transformer tag>` for the ensemble.
    model_version: str
    language: str
    explanation: str
    needs_review: bool
    pii: dict[str, int] = Field(default_factory=dict)
    # Absent (not null) when no priority model is served or it did not answer.
    priority: Priority | None = Field(default=None, exclude_if=lambda value: value is None)


def to_classification(answer: "Answer", versions: dict[str, str]) -> Classification:
    """Answer (router) -> API response; `versions`: the served store tag of each model kind."""
    decision, rated = answer.decision, answer.priority
    priority = Priority(level=rated.level, confidence=rated.confidence, scores=rated.scores) if rated else None
    return Classification(
        category=decision.category,
        confidence=decision.confidence,
        scores=decision.scores,
        model=decision.model,
        model_version=answered_by(decision.model, versions),
        language=answer.ticket.language,
        explanation=answer.explanation,
        needs_review=decision.needs_review,
        pii=answer.ticket.pii,
        priority=priority,
    )


def scores_of(predictions: list[Prediction]) -> list[dict[str, float]]:
    """Per-class probabilities of each prediction (the shared schema of both model services)."""
    return [prediction.scores for prediction in predictions]


@bentoml.service(name="ticket_agent", traffic={"timeout": PARAMS["router"]["request_timeout_s"]})
class TicketAgent:
    """`POST /classify {"text": ...}` and `POST /classify_batch {"texts": [...]}`."""

    tfidf = bentoml.depends(TfidfClassifier)
    transformer = bentoml.depends(TransformerClassifier)
    if PRIORITY_SERVED:
        priority = bentoml.depends(PriorityClassifier)

    def __init__(self) -> None:
        # Imported here, not at module level: every worker of `bentoml serve` imports this module,
        # and the model services must not pay for presidio, spaCy and lingua (~300 MB each).
        from router.pipeline import TicketPipeline

        self.pipeline = TicketPipeline(PARAMS)  # builds presidio + spaCy + lingua once (seconds)
        self.versions = served_tags(PARAMS["registry"])  # what the model services load (bentos.champions)
        # One thread: spaCy pipelines are not shared across threads, and the event loop stays free.
        self.cpu = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scrub")

    async def ask_tfidf(self, texts: list[str]) -> list[dict[str, float]]:
        """TF-IDF probabilities for scrubbed texts."""
        return scores_of(await self.tfidf.to_async.predict(texts=texts))

    async def ask_transformer(self, texts: list[str]) -> list[dict[str, float]]:
        """Transformer probabilities for scrubbed texts."""
        return scores_of(await self.transformer.to_async.predict(texts=texts))

    async def ask_priority(self, texts: list[str]) -> list[dict[str, float]]:
        """Priority-level probabilities for scrubbed texts."""
        return scores_of(await self.priority.to_async.predict(texts=texts))

    def prepare(self, texts: list[str], seconds: dict[str, float]) -> list["PreparedTicket"]:
        """Detect and scrub every text (CPU-bound: runs on the worker thread)."""
        return [self.pipeline.prepare(text, seconds) for text in texts]

    async def answer(self, texts: list[str]) -> list[Classification] | JSONResponse:
        """Scrub, route, answer; a 503 JSON when no model could answer."""
        started = time.perf_counter()
        seconds: dict[str, float] = {}
        loop = asyncio.get_running_loop()
        tickets = await loop.run_in_executor(self.cpu, self.prepare, texts, seconds)
        try:
            ask_priority = self.ask_priority if PRIORITY_SERVED else None
            result = await self.pipeline.classify(tickets, self.ask_tfidf, self.ask_transformer, ask_priority)
        except NoModelAvailable as error:
            record_unavailable(tickets)
            logger.error("no model available: %s", error)
            return JSONResponse({"error": f"No model is available to classify tickets: {error}."}, status_code=503)
        result.seconds |= seconds
        record_batch(result, time.perf_counter() - started)
        for item in result.answers:
            logger.info(
                "ticket routed: language=%s model=%s reason=%s category=%s pii=%s",
                item.ticket.language,
                item.decision.model,
                item.decision.route.reason,
                item.decision.category,
                item.ticket.pii,
            )
        return [to_classification(item, self.versions) for item in result.answers]

    @bentoml.api(input_spec=ClassifyInput)
    async def classify(self, text: TicketText) -> Classification:
        """Category, confidence, answering model, language, explanation, review flag, PII counts (and priority)."""
        answers = await self.answer([text])
        return answers if isinstance(answers, JSONResponse) else answers[0]

    @bentoml.api(input_spec=ClassifyBatchInput)
    async def classify_batch(self, texts: TicketBatch) -> Annotated[list[Classification], JSON]:
        """The same answer for each text, in order."""
        return await self.answer(texts)
