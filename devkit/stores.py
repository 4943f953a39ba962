"""A migrated desk store on a fresh database (SQLite file or PostgreSQL), for tests and benchmarks."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

from core.params import load_params
from devkit.postgres import PostgresServer
from store.database import Database
from store.migrate import upgrade_head

BACKENDS = ("sqlite", "postgresql")


def fresh_database_url(backend: str, folder: Path, postgres: PostgresServer | None = None) -> str:
    """A new empty database: a SQLite file in `folder`, or a new database on the PostgreSQL server."""
    if backend == "sqlite":
        return f"sqlite:///{folder / f'desk-{uuid4().hex[:8]}.db'}"
    if postgres is None:
        raise ValueError("a PostgreSQL database needs a running server")
    return postgres.create_database(f"desk_{uuid4().hex[:12]}")


@contextmanager
def migrated_database(url: str) -> Iterator[Database]:
    """The store on `url` after `alembic upgrade head`; its connections closed after."""
    database = Database(url, load_params()["store"])
    try:
        upgrade_head(database)
        yield database
    finally:
        database.dispose()
