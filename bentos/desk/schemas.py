"""The desk's request and response bodies (pydantic): what /docs.json documents for every route."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from core.prediction import TicketText

# A helpdesk's own id ("ZD-1042"): no spaces and no '@', so no e-mail address can hide in it.
ExternalId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:\-]{1,128}$")]
Reviewer = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._\-]{1,64}$")]
SessionId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-]{1,64}$")]
Status = Literal["new", "open", "resolved", "closed"]
Channel = Literal["api", "email", "phone", "chat", "web"]
Category = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


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
    priority: str | None
    correction: Correction | None
    version: int


class TicketPage(BaseModel):
    """One page of `GET /tickets`; pass `next_cursor` as `cursor` for the next one (null at the end)."""

    items: list[TicketOut]
    next_cursor: str | None


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
