"""The desk on PostgreSQL: migrated on start, 503 with a clear message while the database is down (nothing
half-written), and back without a restart of the agent."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from devkit.postgres import PostgresServer, postgres_server
from tests.desk.conftest import TICKETS, Desk, served_desk


@pytest.fixture(scope="module")
def postgres_desk(
    project_copy: Path, tfidf_pipeline: dict, transformer_in_project: dict, intents_in_project: Path
) -> Iterator[tuple[Desk, PostgresServer]]:
    """A served agent whose desk stores into its own PostgreSQL server (which the test may stop)."""
    with postgres_server() as server, served_desk(project_copy, server.create_database("desk")) as desk:
        yield desk, server


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
