"""`alembic upgrade head` from code: the desk runs it on start, the tests and benches on each new database."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.exc import OperationalError

from store.database import WRITE, Database
from store.errors import StoreUnavailable

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    """The migrations folder; the database comes with the connection upgrade_head hands over."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade_head(database: Database) -> None:
    """Bring the schema to the newest revision (a no-op when it already is); StoreUnavailable when unreachable."""
    config = alembic_config()
    try:
        with database.engine.connect().execution_options(**{WRITE: True}) as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
    except OperationalError as error:
        raise StoreUnavailable(database.unavailable_message(error)) from error
