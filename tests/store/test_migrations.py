"""The migrations build exactly the models' schema on both backends, the CLI runs them, and a database
that goes down answers StoreUnavailable (then works again without a restart of the caller)."""

import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import insert, inspect

from devkit.postgres import postgres_server
from devkit.project import REPO
from devkit.stores import migrated_database
from store.database import DATABASE_URL_ENV, WRITE, Database
from store.errors import StoreUnavailable
from store.migrate import alembic_config, upgrade_head
from store.schema import Ticket, utc_now
from store.tickets import TicketFilter, create_ticket, get_ticket, list_tickets
from tests.store.conftest import draft

ALEMBIC = str(Path(sys.executable).with_name("alembic"))
# A row as revision 0001 stores it: every column that revision has, none of the later ones.
OLD_TICKET = {
    **{key: value for key, value in vars(draft()).items() if not key.startswith("priority")},
    "id": 7,
    "created_at": utc_now(),
    "updated_at": utc_now(),
    "status": "new",
    "version": 1,
}


def test_the_migrations_build_the_models_schema(database: Database) -> None:
    config = alembic_config()
    with database.engine.connect().execution_options(**{WRITE: True}) as connection:
        config.attributes["connection"] = connection
        command.check(config)  # raises when autogenerate finds any difference


def test_downgrade_to_base_and_upgrade_again(database: Database) -> None:
    config = alembic_config()
    with database.engine.connect().execution_options(**{WRITE: True}) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
        connection.commit()
        assert set(inspect(connection).get_table_names()) == {"alembic_version"}
    upgrade_head(database)
    assert {"tickets", "feedback_events", "chat_sessions"} <= set(inspect(database.engine).get_table_names())


def test_alembic_upgrade_head_from_the_project_root_uses_the_configured_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {"PATH": str(Path(sys.executable).parent), DATABASE_URL_ENV: url}
    subprocess.run([ALEMBIC, "upgrade", "head"], cwd=REPO, env=env, check=True, capture_output=True, timeout=120)
    result = subprocess.run([ALEMBIC, "current"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert "0002 (head)" in result.stdout


def test_tickets_stored_before_the_priority_migration_stay_and_read_as_unrated(database: Database) -> None:
    config = alembic_config()
    with database.engine.connect().execution_options(**{WRITE: True}) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
        connection.execute(insert(Ticket.__table__).values(**OLD_TICKET))
        connection.commit()
    upgrade_head(database)
    with database.transaction() as session:
        ticket = get_ticket(session, OLD_TICKET["id"])
        unrated = list_tickets(session, TicketFilter(priority="high"), 10)[0]
    assert (ticket.text, ticket.priority, ticket.priority_confidence, unrated) == (OLD_TICKET["text"], None, None, [])


@pytest.mark.slow
def test_a_database_that_goes_down_answers_unavailable_then_recovers() -> None:
    with postgres_server() as server, migrated_database(server.url()) as database:
        with database.transaction(write=True) as session:
            ticket_id = create_ticket(session, draft())[0].id
        server.stop()
        unavailable = pytest.raises(StoreUnavailable, match=r"ticket store \(postgresql\+psycopg://callcenter@127")
        with unavailable, database.transaction(write=True) as session:
            create_ticket(session, draft("written while down"))
        server.start()
        with database.transaction() as session:
            assert get_ticket(session, ticket_id).text == draft().text
            assert session.get(Ticket, ticket_id + 1) is None  # nothing of the refused request
