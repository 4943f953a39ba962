"""Tickets and their feedback events: create (idempotent on external_id), read, list, update, soft delete.

Each function works inside the caller's transaction (`Database.transaction()`): a request's writes
all land together or not at all, e.g. a correction and its feedback event.
"""

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from store.errors import ExternalIdDeleted, InvalidField, TicketNotFound, VersionConflict
from store.schema import Channel, FeedbackEvent, Ticket, TicketStatus, utc_now


@dataclass(frozen=True)
class TicketDraft:
    """What the agent's pipeline produced for one ticket: scrubbed text, triage, where it came from."""

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
    priority: str | None = None  # None: no priority model served, or it did not answer
    priority_confidence: float | None = None
    external_id: str | None = None
    channel: Channel = Channel.API
    chat_session_id: str | None = None


@dataclass(frozen=True)
class TicketFilter:
    """GET /tickets filters; None means any."""

    status: TicketStatus | None = None
    category: str | None = None  # the final one: the correction when there is one
    needs_review: bool | None = None
    reviewed: bool | None = None
    language: str | None = None
    priority: str | None = None
    created_from: datetime | None = None  # inclusive
    created_to: datetime | None = None  # exclusive
    chat_session_id: str | None = None
    statuses: tuple[TicketStatus, ...] = field(default_factory=tuple)  # any of these (the chat's "open" ones)


@dataclass(frozen=True)
class TicketChange:
    """A PATCH: a new status and/or a reviewed category (a confirmation when it equals the model's)."""

    status: TicketStatus | None = None
    category: str | None = None
    reviewer: str | None = None


def find_by_external_id(session: Session, external_id: str) -> Ticket | None:
    """The live ticket a helpdesk already sent under this id; ExternalIdDeleted when it was deleted (the id
    stays taken: a retried create must neither bring it back nor make a second ticket)."""
    ticket = session.scalars(select(Ticket).where(Ticket.external_id == external_id)).one_or_none()
    if ticket is not None and ticket.deleted_at is not None:
        raise ExternalIdDeleted(external_id, ticket.id)
    return ticket


def create_ticket(session: Session, draft: TicketDraft) -> tuple[Ticket, bool]:
    """Store a triaged ticket; (ticket, True), or (the existing one, False) when external_id is known.

    The insert runs in a savepoint: when a concurrent retry inserted the same external_id first,
    the unique constraint refuses ours and the existing ticket is returned instead of a duplicate.
    """
    if draft.external_id and (existing := find_by_external_id(session, draft.external_id)):
        return existing, False
    now = utc_now()
    ticket = Ticket(**vars(draft), created_at=now, updated_at=now, status=TicketStatus.NEW)
    try:
        with session.begin_nested():
            session.add(ticket)
    except IntegrityError:
        existing = find_by_external_id(session, draft.external_id) if draft.external_id else None
        if existing is None:
            raise
        return existing, False
    return ticket, True


def get_ticket(session: Session, ticket_id: int) -> Ticket:
    """A live (not deleted) ticket, or TicketNotFound."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.deleted_at is not None:
        raise TicketNotFound(ticket_id)
    return ticket


def filtered(query: Select, where: TicketFilter) -> Select:
    """Apply the filters of `where` to a SELECT over live tickets."""
    query = query.where(Ticket.deleted_at.is_(None))
    if where.status is not None:
        query = query.where(Ticket.status == where.status)
    if where.statuses:
        query = query.where(Ticket.status.in_(where.statuses))
    if where.category is not None:
        query = query.where(func.coalesce(Ticket.corrected_category, Ticket.category) == where.category)
    if where.needs_review is not None:
        query = query.where(Ticket.needs_review.is_(where.needs_review))
    if where.reviewed is not None:
        query = query.where(Ticket.corrected_at.is_not(None) if where.reviewed else Ticket.corrected_at.is_(None))
    if where.language is not None:
        query = query.where(Ticket.language == where.language)
    if where.priority is not None:
        query = query.where(Ticket.priority == where.priority)
    if where.created_from is not None:
        query = query.where(Ticket.created_at >= where.created_from)
    if where.created_to is not None:
        query = query.where(Ticket.created_at < where.created_to)
    if where.chat_session_id is not None:
        query = query.where(Ticket.chat_session_id == where.chat_session_id)
    return query


def list_tickets(
    session: Session, where: TicketFilter, limit: int, after_id: int | None = None, newest_first: bool = True
) -> tuple[list[Ticket], int | None]:
    """One page of live tickets by id (keyset pagination); and the id to continue after, or None at the end."""
    query = filtered(select(Ticket), where)
    if after_id is not None:
        query = query.where(Ticket.id < after_id if newest_first else Ticket.id > after_id)
    query = query.order_by(Ticket.id.desc() if newest_first else Ticket.id.asc()).limit(limit + 1)
    tickets = list(session.scalars(query))
    more = len(tickets) > limit
    return tickets[:limit], (tickets[limit - 1].id if more else None)


def review_queue(where: TicketFilter | None = None) -> TicketFilter:
    """The filter of the review queue: flagged by the model, not reviewed yet (narrowed by `where`)."""
    base = where or TicketFilter()
    return TicketFilter(**{**vars(base), "needs_review": True, "reviewed": False})


def count_tickets(session: Session, where: TicketFilter) -> int:
    """How many live tickets match (e.g. the review queue's size)."""
    return session.scalar(filtered(select(func.count(Ticket.id)), where)) or 0


def update_ticket(session: Session, ticket_id: int, expected_version: int, change: TicketChange) -> Ticket:
    """Apply a status and/or a reviewed category from a read at `expected_version`; 409 if it is stale.

    A reviewed category is also appended as a feedback event, in the same transaction.
    """
    ticket = get_ticket(session, ticket_id)
    if ticket.version != expected_version:
        raise VersionConflict(ticket_id, expected_version, ticket.version)
    now = utc_now()
    if change.status is not None:
        ticket.status = change.status
    if change.category is not None:
        review(session, ticket, change.category, change.reviewer, now)
    ticket.updated_at = now
    try:
        session.flush()  # UPDATE ... WHERE id = :id AND version = :expected
    except StaleDataError as error:
        raise VersionConflict(ticket_id, expected_version, None) from error
    return ticket


def review(session: Session, ticket: Ticket, category: str, reviewer: str | None, now: datetime) -> None:
    """Record a reviewer's category on the ticket and as an append-only feedback event."""
    if category not in ticket.scores:
        known = ", ".join(sorted(ticket.scores))
        raise InvalidField("category", f"unknown category {category!r}; the model's categories are: {known}")
    ticket.corrected_category, ticket.corrected_by, ticket.corrected_at = category, reviewer, now
    session.add(
        FeedbackEvent(
            ticket_id=ticket.id,
            predicted=ticket.category,
            corrected=category,
            model_version=ticket.model_version,
            corrected_by=reviewer,
            created_at=now,
        )
    )


def delete_ticket(session: Session, ticket_id: int, expected_version: int) -> Ticket:
    """Soft delete: the row and its feedback events stay (the learning loop still counts them)."""
    ticket = get_ticket(session, ticket_id)
    if ticket.version != expected_version:
        raise VersionConflict(ticket_id, expected_version, ticket.version)
    ticket.deleted_at = ticket.updated_at = utc_now()
    try:
        session.flush()
    except StaleDataError as error:
        raise VersionConflict(ticket_id, expected_version, None) from error
    return ticket


def known_categories(session: Session) -> set[str]:
    """The categories the served model answers (from the newest ticket's scores) and any stored correction."""
    newest = session.scalars(select(Ticket.scores).order_by(Ticket.id.desc()).limit(1)).first() or {}
    corrected = session.scalars(select(Ticket.corrected_category).where(Ticket.corrected_category.is_not(None)))
    return set(newest) | set(corrected)


def feedback_events(session: Session, after_id: int = 0, limit: int = 100) -> list[FeedbackEvent]:
    """Feedback events in the order they happened, after `after_id` (deleted tickets' included)."""
    query = select(FeedbackEvent).where(FeedbackEvent.id > after_id).order_by(FeedbackEvent.id).limit(limit)
    return list(session.scalars(query))


def reviews_for_training(session: Session) -> Iterator[tuple[str, FeedbackEvent]]:
    """(stored scrubbed text, feedback event) of live tickets, in the order the reviews happened.

    What the learning loop exports: a deleted ticket's reviews stay in the store but never train a model.
    """
    query = (
        select(Ticket.text, FeedbackEvent)
        .join(Ticket, Ticket.id == FeedbackEvent.ticket_id)
        .where(Ticket.deleted_at.is_(None))
        .order_by(FeedbackEvent.id)
        .execution_options(yield_per=1000)
    )
    yield from session.execute(query).tuples()


def count_corrections(session: Session, model_versions: Collection[str]) -> int:
    """Reviews of live tickets that changed the category answered by one of `model_versions` (not confirmations)."""
    query = (
        select(func.count(FeedbackEvent.id))
        .join(Ticket, Ticket.id == FeedbackEvent.ticket_id)
        .where(
            Ticket.deleted_at.is_(None),
            FeedbackEvent.predicted != FeedbackEvent.corrected,
            FeedbackEvent.model_version.in_(list(model_versions)),
        )
    )
    return session.scalar(query) or 0
