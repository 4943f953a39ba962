"""The output rows: one Parquet schema for the local, HTTP and Spark jobs, and the agent's answer -> row.

Both scorers produce the agent's answer shape (`/classify`'s JSON: category, confidence, scores,
model, model_version, language, explanation, needs_review, fallback, pii and, when a priority model is
served, priority), so a row means the same whichever way it was scored.
"""

from typing import Any

import pyarrow as pa

from batch.source import ID, REASON, ROW

PROBABILITIES = pa.map_(pa.string(), pa.float64())
SCHEMA = pa.schema(
    [
        (ROW, pa.int64()),
        (ID, pa.string()),
        ("category", pa.string()),
        ("confidence", pa.float64()),
        ("scores", PROBABILITIES),
        ("model", pa.string()),
        ("model_version", pa.string()),
        ("language", pa.string()),
        ("needs_review", pa.bool_()),
        ("fallback", pa.string()),  # the model that did not answer and why (router Fallback); null when none
        ("priority", pa.string()),
        ("priority_confidence", pa.float64()),
        ("priority_scores", PROBABILITIES),
        ("pii", pa.map_(pa.string(), pa.int64())),
        ("explanation", pa.string()),
    ]
)
ERROR_SCHEMA = pa.schema([(ROW, pa.int64()), (ID, pa.string()), (REASON, pa.string())])


def output_row(row: int, ticket_id: str, answer: dict[str, Any]) -> dict[str, Any]:
    """One output row from the agent's answer for a ticket (`priority` fields null without a priority model)."""
    priority = answer.get("priority") or {}
    return {
        ROW: row,
        ID: ticket_id,
        "category": answer["category"],
        "confidence": answer["confidence"],
        "scores": answer["scores"],
        "model": answer["model"],
        "model_version": answer["model_version"],
        "language": answer["language"],
        "needs_review": answer["needs_review"],
        "fallback": answer.get("fallback"),
        "priority": priority.get("level"),
        "priority_confidence": priority.get("confidence"),
        "priority_scores": priority.get("scores"),
        "pii": answer["pii"],
        "explanation": answer["explanation"],
    }


def error_row(row: int, ticket_id: str | None, reason: str) -> dict[str, Any]:
    """A row that could not be scored, and why (never its text: it may hold personal data)."""
    return {ROW: row, ID: ticket_id, REASON: reason}
