"""The REST API: POST/GET /tickets, GET/PATCH/DELETE /tickets/{id}, GET /feedback."""

import base64
import binascii
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from starlette.concurrency import run_in_threadpool

from bentos.desk.desk import Desk
from bentos.desk.schemas import ErrorOut, FeedbackPage, Status, TicketIn, TicketOut, TicketPage, TicketPatch
from bentos.desk.triage import Agent, to_draft
from bentos.desk.wiring import current_agent, current_desk
from core.params import load_params
from store.errors import InvalidField
from store.schema import Channel, TicketStatus
from store.tickets import TicketFilter

DESK = load_params()["desk"]
ERRORS = {code: {"model": ErrorOut} for code in (404, 409, 413, 422, 503)}
router = APIRouter(tags=["tickets"], responses=ERRORS)
DeskDep = Annotated[Desk, Depends(current_desk)]
AgentDep = Annotated[Agent, Depends(current_agent)]
Order = Literal["newest", "oldest"]


async def create_ticket(ticket: TicketIn, response: Response, desk: Desk, agent: Agent, chat_session: str | None):
    """Scrub and triage with the agent's own pipeline, then store; a known external_id returns its ticket."""
    if existing := await run_in_threadpool(desk.existing, ticket.external_id):
        response.status_code = 200
        return existing
    (answer,) = (await agent.triage([ticket.text])).answers
    draft = to_draft(answer, desk.versions, ticket.external_id, Channel(ticket.channel), chat_session)
    stored, created = await run_in_threadpool(desk.create, draft)
    response.status_code = 201 if created else 200
    return stored


@router.post("/tickets", status_code=201, response_model=TicketOut)
async def post_ticket(ticket: TicketIn, response: Response, desk: DeskDep, agent: AgentDep) -> TicketOut:
    """Triage a ticket (scrub, language, category) and store it: 201, or 200 with the ticket already
    stored under the same `external_id` (a retried create never makes a duplicate)."""
    return await create_ticket(ticket, response, desk, agent, None)


@router.get("/tickets/{ticket_id}", response_model=TicketOut)
async def read_ticket(ticket_id: int, desk: DeskDep) -> TicketOut:
    """One ticket; 404 when unknown or deleted."""
    return await run_in_threadpool(desk.get, ticket_id)


def encode_cursor(after_id: int, order: Order) -> str:
    return base64.urlsafe_b64encode(f"{order}:{after_id}".encode()).decode()


def decode_cursor(cursor: str | None, order: Order) -> int | None:
    """The id to continue after; a cursor from another order or not ours is refused, naming the field."""
    if cursor is None:
        return None
    try:
        cursor_order, after_id = base64.urlsafe_b64decode(cursor.encode()).decode().split(":")
        if cursor_order != order:
            raise ValueError
        return int(after_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidField("cursor", "not a cursor of this listing: pass next_cursor as it came, same order") from None


def as_utc(moment: datetime | None) -> datetime | None:
    """Query times without an offset are UTC."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


@router.get("/tickets", response_model=TicketPage)
async def list_tickets(
    desk: DeskDep,
    status: Status | None = None,
    category: Annotated[str | None, Query(max_length=100, description="final category (the correction if any)")] = None,
    needs_review: bool | None = None,
    reviewed: bool | None = None,
    language: Annotated[str | None, Query(max_length=8)] = None,
    created_from: Annotated[datetime | None, Query(description="inclusive; UTC when no offset")] = None,
    created_to: Annotated[datetime | None, Query(description="exclusive; UTC when no offset")] = None,
    limit: Annotated[int, Query(ge=1, le=DESK["max_page_size"])] = DESK["page_size"],
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    order: Order = "newest",
) -> TicketPage:
    """Live tickets matching every filter given, by creation order, one page at a time (keyset cursor)."""
    desk.check_language(language)
    where = TicketFilter(
        status=TicketStatus(status) if status else None,
        category=category,
        needs_review=needs_review,
        reviewed=reviewed,
        language=language,
        created_from=as_utc(created_from),
        created_to=as_utc(created_to),
    )
    page = await run_in_threadpool(desk.page, where, limit, decode_cursor(cursor, order), order == "newest")
    next_cursor = encode_cursor(page.after_id, order) if page.after_id is not None else None
    return TicketPage(items=page.tickets, next_cursor=next_cursor)


@router.patch("/tickets/{ticket_id}", response_model=TicketOut)
async def patch_ticket(ticket_id: int, patch: TicketPatch, desk: DeskDep) -> TicketOut:
    """Change the status and/or review the category (confirm: the model's; correct: another one).
    `version` must be the one you read: 409 when someone changed the ticket since."""
    return await run_in_threadpool(desk.update, ticket_id, patch)


@router.delete("/tickets/{ticket_id}", status_code=204)
async def delete_ticket(ticket_id: int, version: Annotated[int, Query(ge=1)], desk: DeskDep) -> Response:
    """Soft delete (the ticket's feedback events stay for the learning loop); 409 on a stale version."""
    await run_in_threadpool(desk.delete, ticket_id, version)
    return Response(status_code=204)


@router.get("/feedback", response_model=FeedbackPage, tags=["feedback"])
async def list_feedback(
    desk: DeskDep,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=DESK["max_page_size"])] = DESK["page_size"],
) -> FeedbackPage:
    """Feedback events (confirmations and corrections) in the order they happened, after event id `after`."""
    events = await run_in_threadpool(desk.feedback, after, limit)
    return FeedbackPage(items=events, next_after=events[-1].id if len(events) == limit else None)
