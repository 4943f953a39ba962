"""Score tickets in this process: the agent's pipeline (router/) with the served models (models/), batched.

Loads the exact store tags `served/` names (the ones the agent serves) from the BentoML store, checked
against the sha256 digests the champion gate recorded, and runs detect -> scrub -> route -> models as
TicketAgent does: the scrub is the agent pool's own (TicketPreparer.prepare_batch, spaCy once per
language), and there is one model call per chunk and model.
"""

import asyncio
from dataclasses import asdict
from pathlib import Path
from typing import Any

import bentoml
import pandas as pd

from batch.output import error_row, output_row
from batch.source import ID, ROW, TEXT
from core.integrity import STORE_FOLDER, decode_digests, verify_artifacts
from core.names import ModelName
from core.served import answered_by, require_served
from models.priority import load_priority_predictor
from models.tfidf import TfidfPredictor
from models.transformer import TransformerPredictor, packaged_model_dir
from router.pipeline import Answer, AskModel, ModelAnswer, PreparedTicket, TicketPipeline
from router.policy import NoModelAvailable, load_routing_config
from router.priority import served_priority


def store_dir(record: dict[str, Any]) -> Path:
    """The MLflow model folder of a served record's BentoML store tag, checked against the gate's digests."""
    folder = Path(bentoml.models.get(record["bento_tag"]).path_of(STORE_FOLDER))
    what = f"the served model {record['bento_tag']}"
    verify_artifacts(folder, decode_digests(record.get("sha256"), what), what)
    return folder


def asker(predictor: Any) -> AskModel:
    """A runtime as the pipeline's model call: one batched predict, python floats as the services return."""

    async def ask(texts: list[str]) -> list[ModelAnswer]:
        rows = predictor.predict_proba(texts)
        return [ModelAnswer({label: float(p) for label, p in zip(predictor.labels, row, strict=True)}) for row in rows]

    return ask


def answer_of(answer: Answer, tags: dict[str, str]) -> dict[str, Any]:
    """The router's answer in the agent's JSON shape (`/classify`), priority only when there is one."""
    decision = answer.decision
    shaped = {
        "category": decision.category,
        "confidence": decision.confidence,
        "scores": decision.scores,
        "model": str(decision.model),
        "model_version": answered_by(decision.model, tags),
        "language": answer.ticket.language,
        "explanation": answer.explanation,
        "needs_review": decision.needs_review,
        "fallback": decision.fallback and str(decision.fallback),
        "pii": answer.ticket.pii,
    }
    if answer.priority:
        rated = answer.priority
        shaped["priority"] = {"level": rated.level, "confidence": rated.confidence, "scores": rated.scores}
    return shaped


def invalid_reason(text: str, max_chars: int) -> str:
    """Why the agent would refuse this text ('' when it would not): the API's own limits."""
    if not text.strip():
        return "empty text"
    if len(text.strip()) > max_chars:
        return f"text longer than {max_chars} characters (serving.max_text_chars)"
    return ""


def split_valid(chunk: pd.DataFrame, max_chars: int) -> tuple[pd.DataFrame, list[dict]]:
    """Rows the agent would accept (text stripped, as its API does), and error rows for the others."""
    reasons = chunk[TEXT].map(lambda text: invalid_reason(text, max_chars))
    errors = [error_row(r, i, why) for r, i, why in zip(chunk[ROW], chunk[ID], reasons, strict=True) if why]
    valid = chunk[reasons == ""]
    return valid.assign(**{TEXT: valid[TEXT].str.strip()}), errors


def served_records(registry: dict[str, Any]) -> dict[ModelName, dict[str, Any]]:
    """The records of the served models: both category models, and the priority model when one is served."""
    records = {kind: require_served(registry, kind) for kind in (ModelName.TFIDF, ModelName.TRANSFORMER)}
    priority = served_priority(registry)
    return records | ({ModelName.PRIORITY: priority} if priority else {})


def local_fingerprint(params: dict[str, Any]) -> dict[str, Any]:
    """What decides a local job's output besides its input: the models' tags, the rules, the scrubber's settings."""
    records = served_records(params["registry"])
    priority = records.get(ModelName.PRIORITY)
    return {
        "scorer": "local",
        "models": {str(kind): record["bento_tag"] for kind, record in records.items()},
        "routing": asdict(load_routing_config(params["router"])),
        "priority_rule": priority["rule"] if priority else None,
        "pii": params["pii"],
    }


class LocalScorer:
    """The served champions and the agent's pipeline, loaded once per process."""

    def __init__(self, params: dict[str, Any]) -> None:
        serving = params["transformer"]["serving"]
        self.max_chars = params["serving"]["max_text_chars"]
        self.pipeline = TicketPipeline(params)
        records = served_records(params["registry"])
        self.tags = {kind: record["bento_tag"] for kind, record in records.items()}
        paths = {kind: store_dir(record) for kind, record in records.items()}
        self.ask = {
            ModelName.TFIDF: asker(TfidfPredictor(paths[ModelName.TFIDF])),
            ModelName.TRANSFORMER: asker(
                TransformerPredictor(
                    packaged_model_dir(paths[ModelName.TRANSFORMER]),
                    variant=serving["variant"],
                    batch_size=serving["max_batch_size"],
                    threads=serving["threads"],
                )
            ),
        }
        if ModelName.PRIORITY in paths:
            predictor = load_priority_predictor(
                paths[ModelName.PRIORITY], serving["variant"], serving["max_batch_size"], serving["threads"]
            )
            self.ask[ModelName.PRIORITY] = asker(predictor)

    def prepare(self, chunk: pd.DataFrame) -> tuple[list[tuple[int, str, PreparedTicket]], list[dict]]:
        """Detect and scrub the chunk in one batch; a row whose scrub fails is an error (never scored unscrubbed)."""
        rows = list(zip(chunk[ROW], chunk[ID], chunk[TEXT], strict=True))
        try:
            tickets = self.pipeline.preparer.prepare_batch([text for _, _, text in rows])
        except Exception:  # any scrub failure: scrub row by row to refuse only the rows that fail
            return self.prepare_each(rows)
        return [(row, ticket_id, ticket) for (row, ticket_id, _), ticket in zip(rows, tickets, strict=True)], []

    def prepare_each(
        self, rows: list[tuple[int, str, str]]
    ) -> tuple[list[tuple[int, str, PreparedTicket]], list[dict]]:
        """One scrub per row (same TicketPreparer), after a chunk's batch failed."""
        prepared, errors = [], []
        for row, ticket_id, text in rows:
            try:
                prepared.append((row, ticket_id, self.pipeline.preparer.prepare_batch([text])[0]))
            except Exception as error:  # the row is refused (never sent unscrubbed), the job goes on
                errors.append(error_row(row, ticket_id, f"PII scrubbing failed ({type(error).__name__}); not scored"))
        return prepared, errors

    def score(self, chunk: pd.DataFrame) -> tuple[list[dict], list[dict]]:
        """Output rows and error rows for a chunk of (row, id, text)."""
        valid, errors = split_valid(chunk, self.max_chars)
        prepared, failed = self.prepare(valid)
        errors += failed
        if not prepared:
            return [], errors
        tickets = [ticket for _, _, ticket in prepared]
        asks = (self.ask[ModelName.TFIDF], self.ask[ModelName.TRANSFORMER], self.ask.get(ModelName.PRIORITY))
        try:
            result = asyncio.run(self.pipeline.classify(tickets, *asks))
        except NoModelAvailable as error:
            return [], errors + [error_row(row, ticket_id, str(error)) for row, ticket_id, _ in prepared]
        rows = [
            output_row(row, ticket_id, answer_of(answer, self.tags))
            for (row, ticket_id, _), answer in zip(prepared, result.answers, strict=True)
        ]
        return rows, errors
