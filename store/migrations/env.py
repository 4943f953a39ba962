"""Alembic environment: `alembic upgrade head` (CLI, pyproject's [tool.alembic]) or store.migrate (on start, in tests).

The database is the store's (store.database_url): $CALLCENTER_DATABASE_URL, params `store.url`, or the
SQLite file. store.migrate hands over its own connection, so SQLite's pragmas apply here too.
"""

from alembic import context
from sqlalchemy import text

from core.params import load_params
from store.database import WRITE, create_store_engine, database_url
from store.schema import Base

# One lock id for "migrating the desk's store": PostgreSQL serialises concurrent starts on it.
MIGRATION_LOCK = 0x6465736B


def run_migrations(connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    store_params = load_params()["store"]
    engine = create_store_engine(database_url(store_params), store_params)
    try:
        with engine.connect().execution_options(**{WRITE: True}) as connection:
            run_migrations(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run against the database")
run_online()
