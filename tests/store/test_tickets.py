"""Tickets on SQLite and PostgreSQL: idempotent create, filters and cursor pages, optimistic concurrency,
feedback events in the same transaction as the correction, soft delete."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from store.database import Database
from store.errors import InvalidField, TicketNotFound, VersionConflict
from store.schema import FeedbackEvent, Ticket, TicketStatus
from store.tickets import (
    TicketChange,
    TicketFilter,
    count_corrections,
    count_tickets,
    create_ticket,
    delete_ticket,
    feedback_events,
    get_ticket,
    list_tickets,
    review_queue,
    update_ticket,
)
from tests.store.conftest import draft


def create(database: Database, **changes: object) -> Ticket:
    with database.transaction(write=True) as session:
        ticket, created = create_ticket(session, draft(**changes))
        assert created
        return ticket


def rows(database: Database, model: type) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_created_ticket_reads_back_with_version_1_and_utc_timestamps(database: Database) -> None:
    ticket = create(database, external_id="ZD-1")
    with database.transaction() as session:
        stored = get_ticket(session, ticket.id)
    assert (stored.version, stored.status, stored.text) == (1, TicketStatus.NEW, "my <PERSON> laptop screen is broken")
    assert stored.scores == {"Access": 0.1, "Hardware": 0.7, "Network": 0.2} and stored.pii == {"PERSON": 1}
    assert stored.created_at.tzinfo == UTC and abs(datetime.now(UTC) - stored.created_at) < timedelta(minutes=1)


def test_a_retried_create_returns_the_same_ticket_instead_of_a_duplicate(database: Database) -> None:
    first = create(database, external_id="ZD-42")
    with database.transaction(write=True) as session:
        again, created = create_ticket(session, draft("another text", external_id="ZD-42"))
    assert (again.id, created) == (first.id, False)
    assert rows(database, Ticket) == 1


def test_concurrent_retries_of_one_create_store_one_row(database: Database) -> None:
    barrier, ids = threading.Barrier(6), []

    def send() -> None:
        barrier.wait()
        with database.transaction(write=True) as session:
            ids.append(create_ticket(session, draft(external_id="ZD-7"))[0].id)

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ids) == 6 and len(set(ids)) == 1
    assert rows(database, Ticket) == 1


def test_cursor_pages_cover_every_ticket_once_in_both_orders(database: Database) -> None:
    created = [create(database, text=f"ticket {i}").id for i in range(7)]
    for newest_first in (True, False):
        seen, after = [], None
        for _ in range(4):
            with database.transaction() as session:
                page, after = list_tickets(session, TicketFilter(), 3, after, newest_first)
            seen += [ticket.id for ticket in page]
            if after is None:
                break
        assert seen == sorted(created, reverse=newest_first)


def test_filters_select_by_status_final_category_review_language_and_creation_time(database: Database) -> None:
    english = create(database, needs_review=True)
    french = create(database, language="fr", category="Network")
    with database.transaction(write=True) as session:
        update_ticket(session, english.id, 1, TicketChange(status=TicketStatus.OPEN, category="Access"))
    cases = {
        TicketFilter(status=TicketStatus.OPEN): [english.id],
        TicketFilter(category="Access"): [english.id],  # the correction, not the model's Hardware
        TicketFilter(category="Hardware"): [],
        TicketFilter(needs_review=True): [english.id],
        TicketFilter(language="fr"): [french.id],
        TicketFilter(created_from=datetime.now(UTC) + timedelta(minutes=1)): [],
        TicketFilter(created_to=datetime.now(UTC) + timedelta(minutes=1)): [french.id, english.id],
        review_queue(): [],  # the only flagged ticket was reviewed
    }
    with database.transaction() as session:
        for where, expected in cases.items():
            assert [t.id for t in list_tickets(session, where, 10)[0]] == expected, where


def test_a_rated_ticket_keeps_its_priority_an_unrated_one_none_and_the_filter_tells_them_apart(
    database: Database,
) -> None:
    high = create(database, priority="high", priority_confidence=0.81)
    low = create(database, priority="low", priority_confidence=0.64)
    unrated = create(database)  # no priority model served, or it did not answer
    with database.transaction() as session:
        stored = {t.id: (t.priority, t.priority_confidence) for t in list_tickets(session, TicketFilter(), 10)[0]}
        by_level = {level: [t.id for t in list_tickets(session, TicketFilter(priority=level), 10)[0]]
                    for level in ("high", "low", "medium")}  # fmt: skip
    assert stored == {high.id: ("high", 0.81), low.id: ("low", 0.64), unrated.id: (None, None)}
    assert by_level == {"high": [high.id], "low": [low.id], "medium": []}


def test_a_stale_version_is_refused_and_changes_nothing(database: Database) -> None:
    ticket = create(database)
    with database.transaction(write=True) as session:
        update_ticket(session, ticket.id, 1, TicketChange(status=TicketStatus.OPEN))
    stale = TicketChange(status=TicketStatus.CLOSED, category="Access")
    with pytest.raises(VersionConflict, match="version 1 but it is at version 2"), database.transaction(True) as tx:
        update_ticket(tx, ticket.id, 1, stale)
    with database.transaction() as session:
        stored = get_ticket(session, ticket.id)
    assert (stored.status, stored.corrected_category, stored.version) == (TicketStatus.OPEN, None, 2)
    assert rows(database, FeedbackEvent) == 0


def test_two_reviewers_from_the_same_read_one_wins_one_gets_a_conflict(database: Database) -> None:
    ticket = create(database)
    barrier, outcomes = threading.Barrier(2), []

    def correct(category: str) -> None:
        barrier.wait()
        try:
            with database.transaction(write=True) as session:
                update_ticket(session, ticket.id, 1, TicketChange(category=category, reviewer=category))
            outcomes.append("ok")
        except VersionConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=correct, args=(name,)) for name in ("Access", "Network")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert rows(database, FeedbackEvent) == 1


def test_a_correction_appends_a_feedback_event_with_prediction_and_model_version(database: Database) -> None:
    ticket = create(database, needs_review=True)
    with database.transaction(write=True) as session:
        updated = update_ticket(session, ticket.id, 1, TicketChange(category="Access", reviewer="alice"))
        assert (updated.version, updated.final_category, updated.corrected_by) == (2, "Access", "alice")
    with database.transaction() as session:
        (event,) = feedback_events(session)
        assert (event.ticket_id, event.predicted, event.corrected) == (ticket.id, "Hardware", "Access")
        assert event.model_version == "ticket-tfidf:v1-abc" and event.created_at.tzinfo == UTC
        assert count_tickets(session, review_queue()) == 0


def test_an_unknown_category_names_the_field_and_writes_nothing(database: Database) -> None:
    ticket = create(database)
    change = TicketChange(status=TicketStatus.OPEN, category="Plumbing")
    with pytest.raises(InvalidField, match="category: unknown category 'Plumbing'"), database.transaction(True) as tx:
        update_ticket(tx, ticket.id, 1, change)
    with database.transaction() as session:
        assert get_ticket(session, ticket.id).status == TicketStatus.NEW


def test_when_the_feedback_event_cannot_be_written_the_correction_is_rolled_back(database: Database) -> None:
    """A failure in the middle of a request's transaction leaves nothing half-written."""
    ticket = create(database)
    refuse_feedback_inserts(database)
    with pytest.raises(DBAPIError, match="refused for the test"), database.transaction(write=True) as session:
        update_ticket(session, ticket.id, 1, TicketChange(status=TicketStatus.OPEN, category="Access"))
    with database.transaction() as session:
        stored = get_ticket(session, ticket.id)
    assert (stored.version, stored.status, stored.corrected_category) == (1, TicketStatus.NEW, None)


def refuse_feedback_inserts(database: Database) -> None:
    """A real trigger in the real database that fails every feedback insert."""
    if database.engine.dialect.name == "postgresql":
        statements = [
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$",
            "CREATE TRIGGER refuse BEFORE INSERT ON feedback_events FOR EACH ROW EXECUTE FUNCTION refuse()",
        ]
    else:
        statements = [
            "CREATE TRIGGER refuse BEFORE INSERT ON feedback_events "
            "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"
        ]
    with database.transaction(write=True) as session:
        for statement in statements:
            session.execute(text(statement))


@pytest.mark.parametrize("statement", ["UPDATE feedback_events SET corrected = 'x'", "DELETE FROM feedback_events"])
def test_the_database_refuses_to_rewrite_feedback_events(database: Database, statement: str) -> None:
    ticket = create(database)
    with database.transaction(write=True) as session:
        update_ticket(session, ticket.id, 1, TicketChange(category="Access"))
    with pytest.raises(DBAPIError, match="append-only"), database.transaction(write=True) as session:
        session.execute(text(statement))
    assert rows(database, FeedbackEvent) == 1


def test_a_deleted_ticket_is_gone_from_reads_but_its_feedback_stays(database: Database) -> None:
    ticket = create(database)
    with database.transaction(write=True) as session:
        update_ticket(session, ticket.id, 1, TicketChange(category="Network"))
    with pytest.raises(VersionConflict), database.transaction(write=True) as session:
        delete_ticket(session, ticket.id, 1)
    with database.transaction(write=True) as session:
        delete_ticket(session, ticket.id, 2)
    with database.transaction() as session:
        with pytest.raises(TicketNotFound, match=f"ticket {ticket.id} not found"):
            get_ticket(session, ticket.id)
        assert list_tickets(session, TicketFilter(), 10)[0] == []
        assert [event.ticket_id for event in feedback_events(session)] == [ticket.id]
    assert rows(database, Ticket) == 1


def test_corrections_are_counted_per_served_model_version_without_confirmations_or_deleted_tickets(
    database: Database,
) -> None:
    def reviewed(category: str, version: str = "ticket-tfidf:v1-abc") -> Ticket:
        ticket = create(database, model_version=version)
        with database.transaction(write=True) as session:
            return update_ticket(session, ticket.id, ticket.version, TicketChange(category=category))

    reviewed("Network")
    reviewed("Access")
    reviewed("Hardware")  # the model's own category: a confirmation
    reviewed("Network", version="ticket-tfidf:v0-old")  # an older model's mistake
    deleted = reviewed("Access")
    with database.transaction(write=True) as session:
        delete_ticket(session, deleted.id, deleted.version)
        assert count_corrections(session, ["ticket-tfidf:v1-abc", "ticket-transformer:v1"]) == 2
        assert count_corrections(session, ["ticket-tfidf:v0-old"]) == 1
        assert count_corrections(session, []) == 0
