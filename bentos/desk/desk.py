"""The desk's use of its store: one method per request, each one transaction, metrics after each write.

Methods are synchronous (SQLAlchemy sessions); the routes run them on a worker thread.
"""

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bentos.desk.metrics import CORRECTIONS, REVIEW_QUEUE, TICKETS_CREATED
from bentos.desk.schemas import Correction, FeedbackOut, TicketOut, TicketPatch
from bentos.retrain import retrain_signal
from router.priority import served_priority
from store.database import Database
from store.migrate import upgrade_head
from store.schema import Ticket, TicketStatus
from store.tickets import (
    TicketChange,
    TicketDraft,
    TicketFilter,
    count_corrections,
    count_tickets,
    create_ticket,
    delete_ticket,
    feedback_events,
    find_by_external_id,
    get_ticket,
    known_categories,
    list_tickets,
    review_queue,
    update_ticket,
)


def to_out(ticket: Ticket) -> TicketOut:
    """A stored ticket as the API shows it."""
    correction = None
    if ticket.corrected_category and ticket.corrected_at:
        correction = Correction(category=ticket.corrected_category, by=ticket.corrected_by, at=ticket.corrected_at)
    fields = {name: getattr(ticket, name) for name in TicketOut.model_fields if name != "correction"}
    return TicketOut(**fields, correction=correction)


@dataclass
class Page:
    """One page of tickets and the id to continue after (None at the end)."""

    tickets: list[TicketOut]
    after_id: int | None


class Desk:
    """The store behind the desk's routes, with the model versions of what the agent serves."""

    def __init__(self, database: Database, params: Mapping[str, Any], versions: dict[str, str]) -> None:
        self.database = database
        self.params = params
        self.versions = versions
        self.languages = tuple(params["router"]["language"]["supported"])
        # The page offers the priority filter only when the agent rates priority (a priority model is served).
        self.priorities = tuple(params["priority"]["levels"]) if served_priority(params["registry"]) else ()
        self.migrated = False
        self.migrating = threading.Lock()

    def ensure_schema(self) -> None:
        """`alembic upgrade head` once: at start, or at the first request after the database came back.

        Raises StoreUnavailable (503) while the database cannot be reached; /classify serves on meanwhile.
        """
        if self.migrated:
            return
        with self.migrating:
            if not self.migrated:
                upgrade_head(self.database)
                REVIEW_QUEUE.set(self.queue_size())
                self.retrain_reasons()
                self.migrated = True

    def existing(self, external_id: str | None) -> TicketOut | None:
        """The ticket already stored under this helpdesk id (a retried create), if any."""
        if not external_id:
            return None
        with self.database.transaction() as session:
            ticket = find_by_external_id(session, external_id)
            return to_out(ticket) if ticket else None

    def create(self, draft: TicketDraft) -> tuple[TicketOut, bool]:
        """Store a triaged ticket (or return the one stored under its external_id)."""
        with self.database.transaction(write=True) as session:
            ticket, created = create_ticket(session, draft)
            session.flush()
            out, queue = to_out(ticket), count_tickets(session, review_queue())
        if created:
            TICKETS_CREATED.labels(channel=draft.channel).inc()
            REVIEW_QUEUE.set(queue)
        return out, created

    def get(self, ticket_id: int) -> TicketOut:
        with self.database.transaction() as session:
            return to_out(get_ticket(session, ticket_id))

    def page(self, where: TicketFilter, limit: int, after_id: int | None, newest_first: bool) -> Page:
        """A page of tickets (a category no ticket has matches nothing: categories grow with the models)."""
        with self.database.transaction() as session:
            tickets, after = list_tickets(session, where, limit, after_id, newest_first)
            return Page([to_out(ticket) for ticket in tickets], after)

    def update(self, ticket_id: int, patch: TicketPatch) -> TicketOut:
        """Apply a PATCH from the version the caller read; a category is a review (feedback event)."""
        status = TicketStatus(patch.status) if patch.status else None
        change = TicketChange(status=status, category=patch.category, reviewer=patch.corrected_by)
        with self.database.transaction(write=True) as session:
            ticket = update_ticket(session, ticket_id, patch.version, change)
            out, queue = to_out(ticket), count_tickets(session, review_queue())
            corrections = count_corrections(session, self.versions.values()) if patch.category else None
        if corrections is not None:
            CORRECTIONS.labels(predicted=out.category, corrected=patch.category).inc()
            retrain_signal().corrections(corrections)
        REVIEW_QUEUE.set(queue)
        return out

    def delete(self, ticket_id: int, version: int) -> None:
        """Soft delete from the version the caller read."""
        with self.database.transaction(write=True) as session:
            delete_ticket(session, ticket_id, version)
            queue = count_tickets(session, review_queue())
        REVIEW_QUEUE.set(queue)

    def feedback(self, after_id: int, limit: int) -> list[FeedbackOut]:
        with self.database.transaction() as session:
            events = feedback_events(session, after_id, limit)
            return [FeedbackOut.model_validate(event, from_attributes=True) for event in events]

    def queue_size(self) -> int:
        with self.database.transaction() as session:
            return count_tickets(session, review_queue())

    def retrain_reasons(self) -> dict[str, str]:
        """Why retraining is recommended (reason -> one line), after counting the corrections of the served versions."""
        with self.database.transaction() as session:
            count = count_corrections(session, self.versions.values())
        signal = retrain_signal()
        signal.corrections(count)
        return dict(signal.reasons)

    def categories(self) -> list[str]:
        with self.database.transaction() as session:
            return sorted(known_categories(session))
