"""`/desk`: the review page (server-rendered, Jinja2, no JavaScript). Confirm or correct in one click."""

from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi import Path as UrlPath
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.templating import Jinja2Templates

from bentos.desk.deps import current_desk, refuse_unknown_query
from bentos.desk.desk import Desk
from bentos.desk.schemas import (
    MAX_ID,
    AnyLanguage,
    AnyPriority,
    AnyReviewer,
    AnyStatus,
    CategoryFilter,
    TicketPatch,
    documented_page_errors,
)
from store.errors import VersionConflict
from store.schema import TicketStatus
from store.tickets import TicketFilter, review_queue

templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
router = APIRouter(
    tags=["review page"],
    responses=documented_page_errors(400, 404, 413, 422, 503),
    dependencies=[Depends(refuse_unknown_query)],
)
DeskDep = Annotated[Desk, Depends(current_desk)]


FILTERS = ("category", "language", "priority", "status", "reviewer")


def filters_of(values: dict[str, str | None]) -> dict:
    """The page's filters as query parameters (empty ones left out)."""
    return {name: values[name] for name in FILTERS if values.get(name)}


@router.get("/desk", response_class=HTMLResponse)
async def review_page(
    request: Request,
    desk: DeskDep,
    category: Annotated[CategoryFilter, Query(description="empty: every category")] = "",
    language: Annotated[AnyLanguage | None, Query(description="empty: every language")] = None,
    priority: Annotated[AnyPriority | None, Query(description="empty: every priority")] = None,
    status: Annotated[AnyStatus | None, Query(description="empty: every status")] = None,
    reviewer: Annotated[AnyReviewer, Query(description="empty: none given yet")] = "",
    reviewed: Annotated[int | None, Query(ge=1, le=MAX_ID, description="ticket just reviewed (notice)")] = None,
    conflict: Annotated[int | None, Query(ge=1, le=MAX_ID, description="ticket changed meanwhile (notice)")] = None,
) -> HTMLResponse:
    """Tickets waiting for review, oldest first, filtered by category, language, priority and status."""
    category, language, priority, status = category or None, language or None, priority or None, status or None
    where = review_queue(TicketFilter(status=TicketStatus(status) if status else None, category=category,
                                      language=language, priority=priority))  # fmt: skip
    selected = {"category": category, "language": language, "priority": priority, "status": status}
    page = await run_in_threadpool(desk.page, where, desk.params["desk"]["page_size"], None, False)
    context = {
        "tickets": page.tickets,
        "more": page.after_id is not None,
        "queue": await run_in_threadpool(desk.queue_size),
        "categories": await run_in_threadpool(desk.categories),
        "retrain": await run_in_threadpool(desk.retrain_reasons),
        "languages": desk.languages,
        "priorities": desk.priorities,
        "urgent": desk.params["priority"]["urgent"],
        "statuses": [value.value for value in TicketStatus],
        "selected": selected,
        "reviewer": reviewer or "",
        "query": urlencode(filters_of(selected | {"reviewer": reviewer})),
        "reviewed": reviewed,
        "conflict": conflict,
    }
    return templates.TemplateResponse(request, "desk.html", context)


@router.post("/desk/tickets/{ticket_id}/review", response_class=RedirectResponse, status_code=303)
async def review_ticket(
    ticket_id: Annotated[int, UrlPath(ge=1, le=MAX_ID)],
    desk: DeskDep,
    category: Annotated[str, Form(min_length=1, max_length=100)],
    version: Annotated[int, Form(ge=1, le=MAX_ID)],
    corrected_by: Annotated[AnyReviewer, Form(description="empty: no name given")] = "",
    back: Annotated[str, Form(max_length=500)] = "",
) -> RedirectResponse:
    """The page's one-click review (form post); back to the page, saying what happened."""
    patch = TicketPatch(version=version, category=category, corrected_by=corrected_by or None)
    try:
        await run_in_threadpool(desk.update, ticket_id, patch)
        notice = {"reviewed": ticket_id}
    except VersionConflict:
        notice = {"conflict": ticket_id}
    kept = {name: value for name, value in parse_qsl(back) if name in FILTERS}  # only the page's own filters
    return RedirectResponse(f"/desk?{urlencode(kept | notice)}", status_code=303)
