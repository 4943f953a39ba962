"""The REST API: POST/GET /tickets, GET/PATCH/DELETE /tickets/{id}, GET /feedback."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response
from starlette.concurrency import run_in_threadpool

from bentos.desk.deps import current_agent, current_desk, refuse_unknown_query
from bentos.desk.desk import Desk
from bentos.desk.schemas import (
    MAX_ID,
    CategoryFilter,
    FeedbackPage,
    Language,
    Moment,
    Priority,
    Status,
    TicketIn,
    TicketOut,
    TicketPage,
    TicketPatch,
    documented_errors,
)
from bentos.desk.triage import Agent, to_draft
from core.params import load_params
from store.schema import Channel, TicketStatus
from store.tickets import TicketFilter

DESK = load_params()["desk"]
router = APIRouter(
    tags=["tickets"],
    responses=documented_errors(400, 404, 409, 413, 422, 503),
    dependencies=[Depends(refuse_unknown_query)],
)
DeskDep = Annotated[Desk, Depends(current_desk)]
AgentDep = Annotated[Agent, Depends(current_agent)]
TicketId = Annotated[int, Path(ge=1, le=MAX_ID)]
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


ALREADY_STORED = {200: {"model": TicketOut, "description": "Already stored under this external_id"}}


@router.post("/tickets", status_code=201, response_model=TicketOut, responses=ALREADY_STORED)
async def post_ticket(ticket: TicketIn, response: Response, desk: DeskDep, agent: AgentDep) -> TicketOut:
    """Triage a ticket (scrub, language, category) and store it: 201, or 200 with the ticket already
    stored under the same `external_id` (a retried create never makes a duplicate)."""
    return await create_ticket(ticket, response, desk, agent, None)


@router.get("/tickets/{ticket_id}", response_model=TicketOut)
async def read_ticket(ticket_id: TicketId, desk: DeskDep) -> TicketOut:
    """One ticket; 404 when unknown or deleted."""
    return await run_in_threadpool(desk.get, ticket_id)


@router.get("/tickets", response_model=TicketPage)
async def list_tickets(
    desk: DeskDep,
    status: Status | None = None,
    category: Annotated[
        CategoryFilter, Query(description="final category (the correction if any); empty: every category")
    ] = "",
    needs_review: bool | None = None,
    reviewed: bool | None = None,
    language: Language | None = None,
    priority: Annotated[
        Priority | None, Query(description="the priority model's level (unrated tickets never match)")
    ] = None,
    created_from: Annotated[Moment | None, Query(description="inclusive, ISO 8601; UTC when no offset")] = None,
    created_to: Annotated[Moment | None, Query(description="exclusive, ISO 8601; UTC when no offset")] = None,
    limit: Annotated[int, Query(ge=1, le=DESK["max_page_size"])] = DESK["page_size"],
    cursor: Annotated[int | None, Query(ge=0, le=MAX_ID, description="next_cursor of the previous page")] = None,
    order: Order = "newest",
) -> TicketPage:
    """Live tickets matching every filter given, by creation order, one page at a time (keyset cursor)."""
    where = TicketFilter(
        status=TicketStatus(status) if status else None,
        category=category or None,
        needs_review=needs_review,
        reviewed=reviewed,
        language=language,
        priority=priority,
        created_from=created_from,
        created_to=created_to,
    )
    page = await run_in_threadpool(desk.page, where, limit, cursor, order == "newest")
    return TicketPage(items=page.tickets, next_cursor=page.after_id)


@router.patch("/tickets/{ticket_id}", response_model=TicketOut)
async def patch_ticket(ticket_id: TicketId, patch: TicketPatch, desk: DeskDep) -> TicketOut:
    """Change the status and/or review the category (confirm: the model's; correct: another one).
    `version` must be the one you read: 409 when someone changed the ticket since."""
    return await run_in_threadpool(desk.update, ticket_id, patch)


@router.delete("/tickets/{ticket_id}", status_code=204)
async def delete_ticket(
    ticket_id: TicketId, version: Annotated[int, Query(ge=1, le=MAX_ID)], desk: DeskDep
) -> Response:
    """Soft delete (the ticket's feedback events stay for the learning loop); 409 on a stale version."""
    await run_in_threadpool(desk.delete, ticket_id, version)
    return Response(status_code=204)


@router.get("/feedback", response_model=FeedbackPage, tags=["feedback"])
async def list_feedback(
    desk: DeskDep,
    after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=DESK["max_page_size"])] = DESK["page_size"],
) -> FeedbackPage:
    """Feedback events (confirmations and corrections) in the order they happened, after event id `after`."""
    events = await run_in_threadpool(desk.feedback, after, limit)
    return FeedbackPage(items=events, next_after=events[-1].id if len(events) == limit else None)
