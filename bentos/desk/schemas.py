"""The desk's request and response bodies (pydantic): what /docs.json documents for every route."""

from datetime import UTC, datetime
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from core.params import load_params
from core.prediction import TicketText

# A helpdesk's own id ("ZD-1042"): no spaces and no '@', so no e-mail address can hide in it.
ExternalId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:\-]{1,128}$")]
REVIEWER_CHAR = r"[A-Za-z0-9._\-]"
Reviewer = Annotated[str, StringConstraints(pattern=rf"^{REVIEWER_CHAR}{{1,64}}$")]
SessionId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-]{1,64}$")]
Status = Literal["new", "open", "resolved", "closed"]
# The review page's filter form sends every field, empty ones too ("any" status, no reviewer name yet);
# an empty reviewer is in the one pattern, as OpenAPI 3.0 has no `const` for a Literal[""] beside it.
AnyStatus = Literal[("", *get_args(Status))]
AnyReviewer = Annotated[str, StringConstraints(pattern=rf"^{REVIEWER_CHAR}{{0,64}}$")]
# A free-text query filter is a plain string, empty for "every": `str | None` is documented as
# anyOf[string, null], and a fuzzer's "not a string" (the number 1445) reaches the server as the valid "1445".
CategoryFilter = Annotated[str, StringConstraints(max_length=100)]
Channel = Literal["api", "email", "phone", "chat", "web"]
Category = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
# The languages the agent detects, so the OpenAPI document lists them (a filter on another is a 422).
SUPPORTED_LANGUAGES = tuple(load_params()["router"]["language"]["supported"])
Language = Literal[SUPPORTED_LANGUAGES]
AnyLanguage = Literal[("", *SUPPORTED_LANGUAGES)]  # the page's "every language"
# The helpdesk's priority levels (params, least to most urgent; the priority stage refuses data with others):
# fixed, so the document is the same whether or not a priority model is served, and a filter stays valid.
PRIORITY_LEVELS = tuple(load_params()["priority"]["levels"])
Priority = Literal[PRIORITY_LEVELS]
AnyPriority = Literal[("", *PRIORITY_LEVELS)]  # the page's "every priority"


def iso_8601(value: object) -> object:
    """A query time is ISO 8601 text ("2026-11-23T10:00"), not a number pydantic would read as epoch seconds."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def in_utc(moment: datetime) -> datetime:
    """A time without an offset is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


Moment = Annotated[datetime, BeforeValidator(iso_8601), AfterValidator(in_utc)]
# Ids and versions: the largest integer a JSON number carries exactly (a larger one is malformed, not a lookup).
MAX_ID = 2**53 - 1


def documented_errors(*codes: int) -> dict[int | str, dict]:
    """The error answers a JSON router declares in /docs.json, all `ErrorOut`."""
    return {code: {"model": ErrorOut} for code in codes}


def documented_page_errors(*codes: int) -> dict[int | str, dict]:
    """A page's error answers: `ErrorOut` JSON too (FastAPI would document them as the page's text/html)."""
    json_error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    return {code: {"content": json_error, "description": "Error"} for code in codes}


class StrictBody(BaseModel):
    """Unknown fields are refused (a typo must not be ignored); values never echo back in errors."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class TicketIn(StrictBody):
    """`POST /tickets`: the raw text is scrubbed and triaged by the agent; only the scrubbed text is stored."""

    text: TicketText
    external_id: ExternalId | None = None
    channel: Channel = "api"


class TicketPatch(StrictBody):
    """`PATCH /tickets/{id}`: `version` is the one you read (409 if it moved); a category is a review."""

    version: int = Field(ge=1)
    status: Status | None = None
    category: Category | None = None
    corrected_by: Reviewer | None = None


class Correction(BaseModel):
    category: str
    by: str | None
    at: datetime


class TicketOut(BaseModel):
    """A stored ticket. `text` is the scrubbed text; `pii` counts what was removed."""

    id: int
    external_id: str | None
    channel: Channel
    status: Status
    created_at: datetime
    updated_at: datetime
    text: str
    language: str
    pii: dict[str, int]
    category: str
    confidence: float
    scores: dict[str, float]
    model: str
    model_version: str
    explanation: str
    needs_review: bool
    priority: str | None = Field(description="the priority model's level; null when none rated the ticket")
    priority_confidence: float | None = Field(description="the probability of `priority`")
    correction: Correction | None
    version: int


class TicketPage(BaseModel):
    """One page of `GET /tickets`; pass `next_cursor` as `cursor` for the next one (null at the end)."""

    items: list[TicketOut]
    next_cursor: int | None


class FeedbackOut(BaseModel):
    """One review: what the model said, what the reviewer said, which model version."""

    id: int
    ticket_id: int
    predicted: str
    corrected: str
    model_version: str
    corrected_by: str | None
    created_at: datetime


class FeedbackPage(BaseModel):
    items: list[FeedbackOut]
    next_after: int | None


class ChatIn(StrictBody):
    """`POST /chat`: one message of a conversation; the session's state lives in the store."""

    session_id: SessionId
    message: TicketText


class ChatOut(BaseModel):
    """The reply, what was understood, and the ticket(s) it is about."""

    session_id: str
    reply: str
    intent: str
    confidence: float
    language: str
    awaiting: str | None = None
    ticket: TicketOut | None = None
    tickets: list[TicketOut] = Field(default_factory=list)


class ErrorOut(BaseModel):
    """Every 4xx/5xx of the desk: one line, and the fields it is about."""

    error: str
    fields: list[str] = Field(default_factory=list)
