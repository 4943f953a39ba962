"""Which database, its engine, and one transaction per request that fails as StoreUnavailable when it is down."""

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from core.params import resolve_path
from store.errors import StoreUnavailable

DATABASE_URL_ENV = "CALLCENTER_DATABASE_URL"
# Connection options each store applies to every statement of a write transaction (SQLite: BEGIN IMMEDIATE).
WRITE = "callcenter_write"


def database_url(store_params: Mapping[str, Any]) -> str:
    """$CALLCENTER_DATABASE_URL, else params `store.url`, else the SQLite file `store.sqlite_path`."""
    url = os.environ.get(DATABASE_URL_ENV) or store_params.get("url")
    return url or f"sqlite:///{resolve_path(store_params['sqlite_path'])}"


def redacted(url: str) -> str:
    """The URL without its password, for logs and error messages."""
    return make_url(url).render_as_string(hide_password=True)


def create_store_engine(url: str, store_params: Mapping[str, Any]) -> Engine:
    """An engine for SQLite (WAL, foreign keys, BEGIN IMMEDIATE for writes) or PostgreSQL (psycopg 3)."""
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": store_params["sqlite_busy_timeout_ms"] / 1000})
        configure_sqlite(engine, store_params["sqlite_busy_timeout_ms"])
        return engine
    return create_engine(
        url,
        pool_size=store_params["pool_size"],
        pool_timeout=store_params["pool_timeout_s"],
        pool_pre_ping=True,  # a database restart costs one retried connection, not a failed request
        connect_args={"connect_timeout": store_params["connect_timeout_s"]},
    )


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL (readers never wait for the writer), foreign keys, and writers that queue instead of failing.

    pysqlite's own transaction handling is turned off so that a write transaction starts with
    BEGIN IMMEDIATE: it takes the write lock first and waits `busy_timeout` for it, instead of
    failing with 'database is locked' when it upgrades a read lock another writer holds.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable across crashes of the process in WAL mode
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Database:
    """The engine and a session factory; `transaction()` is the one way to read or write."""

    def __init__(self, url: str, store_params: Mapping[str, Any]) -> None:
        self.url = url
        self.engine = create_store_engine(url, store_params)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self, write: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back (nothing written) when it raises.

        Connection failures become StoreUnavailable, naming the database but never its password.
        """
        try:
            with self.sessions.begin() as session:
                session.connection(execution_options={WRITE: write})
                yield session
        except OperationalError as error:
            raise StoreUnavailable(self.unavailable_message(error)) from error
        except DBAPIError as error:
            if error.connection_invalidated:
                raise StoreUnavailable(self.unavailable_message(error)) from error
            raise

    def unavailable_message(self, error: DBAPIError) -> str:
        """What a 503 says: which database, and the driver's first line."""
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        return f"the ticket store ({redacted(self.url)}) is unavailable: {reason}"

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
