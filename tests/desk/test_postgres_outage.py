"""The desk on PostgreSQL: the agent starts while the database is down (503, then migrated when it comes),
503 with a clear message during an outage (nothing half-written), and back without a restart."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from devkit.postgres import PostgresServer, postgres_server
from tests.desk.conftest import TICKETS, Desk, served_desk


@pytest.fixture(scope="module")
def postgres_desk(
    project_copy: Path, tfidf_pipeline: dict, transformer_in_project: dict, intents_in_project: Path
) -> Iterator[tuple[Desk, PostgresServer]]:
    """A served agent whose desk stores into its own PostgreSQL server, started while that server is down."""
    with postgres_server() as server:
        url = server.create_database("desk")
        server.stop()
        with served_desk(project_copy, url) as desk:
            yield desk, server


@pytest.mark.slow
def test_the_agent_starts_without_its_database_and_the_desk_migrates_when_it_comes(
    postgres_desk: tuple[Desk, PostgresServer],
) -> None:
    desk, server = postgres_desk
    waiting = desk.http.post("/tickets", json={"text": TICKETS["access"]})
    assert waiting.status_code == 503 and "is unavailable" in waiting.json()["error"]
    assert desk.http.post("/classify", json={"text": TICKETS["access"]}).status_code == 200
    server.start()
    assert desk.http.get("/tickets").json() == {"items": [], "next_cursor": None}  # migrated, nothing half-written


@pytest.mark.slow
def test_a_database_outage_answers_503_and_loses_nothing(postgres_desk: tuple[Desk, PostgresServer]) -> None:
    desk, server = postgres_desk
    acknowledged = [desk.create(TICKETS[name])["id"] for name in ("hardware", "access")]
    server.stop()
    try:
        refused = desk.http.post("/tickets", json={"text": TICKETS["french"]})
        assert refused.status_code == 503
        assert "ticket store (postgresql+psycopg://callcenter@127.0.0.1" in refused.json()["error"]
        assert desk.http.patch(f"/tickets/{acknowledged[0]}", json={"version": 1, "status": "open"}).status_code == 503
        assert desk.http.get("/tickets").status_code == 503
        assert desk.http.get("/desk").status_code == 503
        assert desk.http.post("/classify", json={"text": TICKETS["access"]}).status_code == 200  # triage goes on
    finally:
        server.start()
    stored = desk.http.get("/tickets", params={"limit": 200}).json()["items"]
    assert sorted(ticket["id"] for ticket in stored) == sorted(acknowledged)
    assert all(ticket["version"] == 1 for ticket in stored)
