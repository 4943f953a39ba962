"""TicketAgent: the entry service. Scrubs PII, detects the language, routes between the two models
(and rates the ticket's priority when a priority model is served).

The logic lives in router/ (plain Python); this class wires it to the BentoML dependencies, the
scrub pool, the HTTP API, health and the Prometheus metrics.
"""

import asyncio
import logging
import time
from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated

import bentoml
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import JSONResponse

from bentos.champions import model_versions
from bentos.contracts import CorrectedOpenApi, JsonOnly, api_routes, error_response
from bentos.dependency import ModelClient
from bentos.desk import desk_app
from bentos.health import HealthEndpoint, HealthMonitor
from bentos.metrics import REFUSED, record_batch, record_unavailable
from bentos.priority_service import PriorityClassifier
from bentos.retrain import retrain_signal
from bentos.schema import JSON
from bentos.tfidf_service import TfidfClassifier
from bentos.transformer_service import TransformerClassifier
from core.heap import freeze_startup_heap
from core.names import Fallback, ModelName
from core.params import load_params
from core.prediction import TicketBatch, TicketText
from router.policy import NoModelAvailable
from router.priority import served_priority

if TYPE_CHECKING:
    from router.pipeline import Answer, BatchResult, PreparedTicket

PARAMS = load_params()
SERVING = PARAMS["serving"]
# Decided when the module is imported, like the champions' tags: without a served priority model (no
# priority column in the data) the agent has no priority dependency and its answers no `priority`.
PRIORITY_SERVED = served_priority(PARAMS["registry"]) is not None
logger = logging.getLogger("bentos.agent")
# BentoML's handlers print what our loggers emit at this level (DEBUG adds each scrubbed text).
for name in ("bentos", "router"):
    logging.getLogger(name).setLevel(PARAMS["router"]["log_level"])
# Error answers of the agent's APIs besides 400 (declared in the served OpenAPI document).
API_ERRORS = (
    (413, f"The request's texts hold more than {SERVING['max_request_chars']} characters together"),
    (415, "The body is not application/json"),
    (422, "A text could not be scrubbed within its time budget: the request is refused, nothing was passed on"),
    (500, "Unexpected server error"),
    (503, "No model could answer"),
)


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
    """The agent's answer for one ticket; `pii` counts entities by type and never holds their values.

    `fallback` names the model that did not answer and why; such answers are flagged `needs_review`.
    """

    category: str
    confidence: float
    scores: dict[str, float]
    model: ModelName
    # The BentoML store tag(s) of the answering model(s); `<tfidf tag>+<transformer tag>` for the ensemble.
    model_version: str
    language: str
    explanation: str
    needs_review: bool
    fallback: Fallback | None = None
    pii: dict[str, int] = Field(default_factory=dict)
    # Absent (not null) when no priority model is served or it did not answer.
    priority: Priority | None = Field(default=None, exclude_if=lambda value: value is None)


def to_classification(answer: "Answer", versions: dict[str, str]) -> Classification:
    """Answer (router) -> API response; `versions`: the store tag behind each answering model."""
    decision, rated = answer.decision, answer.priority
    priority = Priority(level=rated.level, confidence=rated.confidence, scores=rated.scores) if rated else None
    return Classification(
        category=decision.category,
        confidence=decision.confidence,
        scores=decision.scores,
        model=decision.model,
        model_version=versions[decision.model],
        language=answer.ticket.language,
        explanation=answer.explanation,
        needs_review=decision.needs_review,
        fallback=decision.fallback,
        pii=answer.ticket.pii,
        priority=priority,
    )


@bentoml.service(
    name="ticket_agent",
    traffic={"timeout": PARAMS["router"]["request_timeout_s"]},
    # /readyz is ours (`__is_ready__`): ready when TF-IDF answers; BentoML's probe of every dependency
    # would make a transformer outage (degraded, still answering) take the agent out of service.
    runner_probe={"enabled": False, "timeout": 1, "period": 10},
)
@bentoml.asgi_app(desk_app, path="/")  # the ticket desk (bentos/desk): /tickets, /desk, /chat on this port
class TicketAgent:
    """`POST /classify {"text": ...}` and `POST /classify_batch {"texts": [...]}`; `GET /health` for details."""

    tfidf = bentoml.depends(TfidfClassifier)
    transformer = bentoml.depends(TransformerClassifier)
    if PRIORITY_SERVED:
        priority = bentoml.depends(PriorityClassifier)

    def __init__(self) -> None:
        # Imported here, not at module level: every worker of `bentoml serve` imports this module.
        from router.pipeline import TicketRouter
        from router.prepare_pool import PreparePool

        self.router = TicketRouter(PARAMS, background_probes=True)  # HealthMonitor probes open breakers
        # Detect + scrub in worker processes (presidio, spaCy, lingua live there, not in this worker).
        self.pool = PreparePool(SERVING["scrub_pool"])
        services = {ModelName.TFIDF: self.tfidf, ModelName.TRANSFORMER: self.transformer}
        if PRIORITY_SERVED:  # probed and shown at /health like the others; its outage only degrades
            services[ModelName.PRIORITY] = self.priority
        self.models = {
            name: ModelClient(name, service, self.router.timeouts[name]) for name, service in services.items()
        }
        self.versions = model_versions()  # the store tags the model services load (bentos.champions)
        self.health = HealthMonitor(self.router.breakers, self.models, self.pool, SERVING["dependency"])
        self.retrain = retrain_signal()  # drift of what is served; the desk adds its corrections

    @bentoml.on_startup
    async def start_background_work(self) -> None:
        """Start serving the scrub lanes and probing the models."""
        self.pool.start()
        self.health.start()
        freeze_startup_heap()  # the desk's lifespan freezes what it loads too, whichever starts last

    @bentoml.on_shutdown
    async def stop_background_work(self) -> None:
        """Stop the probes, the scrub workers and the model connections."""
        self.health.stop()
        self.pool.close()
        await asyncio.gather(*(client.close() for client in self.models.values()))

    def __is_ready__(self) -> bool:
        """Ready = can classify: the scrub pool is up and TF-IDF answers (the transformer may be out)."""
        return self.pool.ready and self.health.available(ModelName.TFIDF)

    async def scrub(self, texts: list[str]) -> list["PreparedTicket"]:
        """Detect and scrub in the pool (raises ScrubRefused); the desk's chat scrubs its messages with it too."""
        tickets, _ = await self.pool.prepare(texts)
        return tickets

    async def triage(self, texts: list[str]) -> "BatchResult":
        """Scrub, route, count and log; raises ScrubRefused or NoModelAvailable.

        /classify, /classify_batch and the desk's POST /tickets all answer through it.
        """
        started = time.perf_counter()
        tickets, seconds = await self.pool.prepare(texts)
        try:
            models = self.models
            result = await self.router.classify(
                tickets, models[ModelName.TFIDF], models[ModelName.TRANSFORMER], models.get(ModelName.PRIORITY)
            )
        except NoModelAvailable:
            record_unavailable(tickets)
            raise
        result.seconds |= seconds
        record_batch(result, time.perf_counter() - started)
        self.retrain.observe(result.answers)
        for item in result.answers:
            logger.info(
                "ticket routed: language=%s model=%s reason=%s category=%s fallback=%s pii=%s",
                item.ticket.language,
                item.decision.model,
                item.decision.route.reason,
                item.decision.category,
                item.decision.fallback,
                item.ticket.pii,
            )
        return result

    async def answer(self, texts: list[str]) -> list[Classification] | JSONResponse:
        """The API's answers, or an error JSON when the request is too big, cannot be scrubbed or answered."""
        from router.prepare_pool import ScrubRefused

        if (chars := sum(map(len, texts))) > SERVING["max_request_chars"]:
            REFUSED.labels(reason="too_large").inc()
            limit = SERVING["max_request_chars"]
            message = f"the texts hold {chars} characters together; at most {limit} per request"
            return error_response(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, message)
        try:
            result = await self.triage(texts)
        except ScrubRefused as error:
            REFUSED.labels(reason="scrub_budget").inc()
            return error_response(HTTPStatus.UNPROCESSABLE_ENTITY, f"{error}; nothing was passed on")
        except NoModelAvailable as error:
            logger.error("no model available: %s", error)
            return error_response(
                HTTPStatus.SERVICE_UNAVAILABLE, f"No model is available to classify tickets: {error}."
            )
        return [to_classification(item, self.versions) for item in result.answers]

    @bentoml.api(input_spec=ClassifyInput)
    async def classify(self, text: TicketText) -> Classification:
        """Category, confidence, model and its version, language, explanation, review flag, fallback, PII counts
        (and priority)."""
        answers = await self.answer([text])
        return answers if isinstance(answers, JSONResponse) else answers[0]

    @bentoml.api(input_spec=ClassifyBatchInput)
    async def classify_batch(self, texts: TicketBatch) -> Annotated[list[Classification], JSON]:
        """The same answer for each text, in order."""
        return await self.answer(texts)


TicketAgent.add_asgi_middleware(JsonOnly, routes=api_routes(TicketAgent))
TicketAgent.add_asgi_middleware(HealthEndpoint)
TicketAgent.add_asgi_middleware(CorrectedOpenApi, service=TicketAgent, api_errors=API_ERRORS)
