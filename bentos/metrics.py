"""The agent's Prometheus metrics, defined once per process (dashboards and alerts use these names).

Module level on purpose: a second definition in one process raises a duplicated-timeseries error.
Labels never carry ticket text: only model names, reasons, categories, entity types, languages.
"""

from typing import TYPE_CHECKING

from prometheus_client import Counter, Gauge, Histogram

from core.names import Fallback, ModelName
from core.params import load_params

if TYPE_CHECKING:  # router.pipeline imports presidio/spaCy/lingua: only the agent's worker loads it
    from router.pipeline import BatchResult, PreparedTicket

STAGE_BUCKETS = tuple(load_params()["router"]["stage_buckets_s"])

ROUTING_DECISIONS = Counter(
    "callcenter_routing_decisions", "Tickets routed, by answering model and reason", ["model", "reason"]
)
PREDICTIONS = Counter("callcenter_predictions", "Answers, by category and answering model", ["category", "model"])
NEEDS_REVIEW = Counter("callcenter_needs_review", "Answers flagged for human review (low confidence)")
PII_ENTITIES = Counter("callcenter_pii_entities", "PII entities scrubbed, by type", ["entity_type"])
LANGUAGES = Counter("callcenter_language", "Tickets by detected language", ["language"])
FALLBACKS = Counter("callcenter_fallbacks", "Degraded answers, by why a model did not answer", ["reason"])
UNRATED = "unrated"  # the priority label of answers without one (no priority model served, or it failed)
PRIORITIES = Counter("callcenter_priority", f"Answers by priority level ('{UNRATED}': none given)", ["priority"])
STAGE_SECONDS = Histogram(
    "callcenter_stage_seconds",
    "Time per agent stage (scrub, detect, tfidf, transformer, total)",
    ["stage"],
    buckets=STAGE_BUCKETS,
)
REFUSED = Counter("callcenter_refused", "Requests refused before any model answered, by reason", ["reason"])
DEPENDENCY_RETRIES = Counter(
    "callcenter_dependency_retries", "Model calls retried after a dropped connection", ["dependency"]
)
# 1 while the model's circuit breaker is closed; TF-IDF at 0 makes the agent unready, the transformer degraded.
DEPENDENCY_AVAILABLE = Gauge(
    "callcenter_dependency_available", "Whether a model service answers", ["dependency"], multiprocess_mode="livemax"
)
DEGRADED = Gauge(
    "callcenter_degraded", "1 while the agent answers without one of its models", multiprocess_mode="livemax"
)
PROCESS_MEMORY = Gauge(
    "callcenter_process_memory_bytes",
    "Memory of the agent's processes (worker and scrub pool), resident and proportional",
    ["process", "kind"],
    multiprocess_mode="livemax",
)
# Drift (bentos/retrain.py): the served window against the training baseline; NaN until both exist.
DRIFT_TICKETS = Gauge(
    "callcenter_drift_window_tickets", "Served tickets in the drift window", multiprocess_mode="mostrecent"
)
DRIFT_MIX_DISTANCE = Gauge(
    "callcenter_drift_mix_distance",
    "Total variation distance between the window's and the training baseline's mix (0 same, 1 disjoint)",
    ["mix"],
    multiprocess_mode="mostrecent",
)
DRIFT_MEAN_CONFIDENCE = Gauge(
    "callcenter_drift_mean_confidence", "Mean final confidence", ["window"], multiprocess_mode="mostrecent"
)
DRIFT_REVIEW_SHARE = Gauge(
    "callcenter_drift_review_share", "Share of tickets flagged for review", ["window"], multiprocess_mode="mostrecent"
)
DRIFT_OOV_SHARE = Gauge(
    "callcenter_drift_oov_share",
    "Share of TF-IDF-scored tickets with fewer than drift.min_known_terms known terms",
    ["window"],
    multiprocess_mode="mostrecent",
)
RETRAIN_RECOMMENDED = Gauge(
    "callcenter_retrain_recommended",
    "1 while retraining is recommended for this reason (drift past params' thresholds, or corrections)",
    ["reason"],
    multiprocess_mode="mostrecent",
)
CORRECTIONS_SINCE_RELEASE = Gauge(
    "callcenter_corrections_since_release",
    "Desk corrections of the served model versions' answers (live tickets), counted at each review and page view",
    multiprocess_mode="mostrecent",
)
# Every reason exists from start-up at 0, so fallback-rate panels and alerts have a series to read.
for reason in Fallback:
    FALLBACKS.labels(reason=reason)
for reason in ("too_large", "scrub_budget"):
    REFUSED.labels(reason=reason)


def record_batch(result: "BatchResult", total_seconds: float) -> None:
    """Count one answered batch: routes, categories, priorities, reviews, PII, languages, fallbacks, stage times."""
    for answer in result.answers:
        decision = answer.decision
        ROUTING_DECISIONS.labels(model=decision.model, reason=decision.route.reason).inc()
        PREDICTIONS.labels(category=decision.category, model=decision.model).inc()
        LANGUAGES.labels(language=answer.ticket.language).inc()
        if decision.needs_review:
            NEEDS_REVIEW.inc()
        if decision.fallback:
            FALLBACKS.labels(reason=decision.fallback).inc()
        PRIORITIES.labels(priority=answer.priority.level if answer.priority else UNRATED).inc()
        if ModelName.PRIORITY in result.failures:
            FALLBACKS.labels(reason=result.failures[ModelName.PRIORITY]).inc()
        for entity_type, count in answer.ticket.pii.items():
            PII_ENTITIES.labels(entity_type=entity_type).inc(count)
    for stage, seconds in result.seconds.items():
        STAGE_SECONDS.labels(stage=stage).observe(seconds)
    STAGE_SECONDS.labels(stage="total").observe(total_seconds)


def record_dependencies(available: dict[str, bool]) -> None:
    """Publish each model's availability and whether the agent is degraded."""
    for name, up in available.items():
        DEPENDENCY_AVAILABLE.labels(dependency=name).set(int(up))
    DEGRADED.set(int(not all(available.values())))


def record_memory(sizes: dict[tuple[str, str], int]) -> None:
    """Publish the memory of each agent process: (process, rss|pss) -> bytes."""
    for (process, kind), size in sizes.items():
        PROCESS_MEMORY.labels(process=process, kind=kind).set(size)


def record_unavailable(tickets: list["PreparedTicket"]) -> None:
    """Count tickets refused because no model answered."""
    FALLBACKS.labels(reason=Fallback.NO_MODEL).inc(len(tickets))
