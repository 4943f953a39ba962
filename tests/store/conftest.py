"""Every store test runs twice: on a SQLite file and on a real PostgreSQL database, both migrated to head."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from devkit.stores import BACKENDS, fresh_database_url, migrated_database
from store.database import Database
from store.schema import Channel
from store.tickets import TicketDraft

SCORES = {"Access": 0.1, "Hardware": 0.7, "Network": 0.2}


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated database of each backend."""
    postgres = request.getfixturevalue("postgres") if request.param == "postgresql" else None
    with migrated_database(fresh_database_url(request.param, tmp_path, postgres)) as database:
        yield database


def draft(text: str = "my <PERSON> laptop screen is broken", **changes: object) -> TicketDraft:
    """A triaged ticket as the agent's pipeline would hand it over (scrubbed text)."""
    values = {
        "text": text,
        "language": "en",
        "pii": {"PERSON": 1},
        "category": "Hardware",
        "confidence": 0.7,
        "scores": SCORES,
        "model": "tfidf",
        "model_version": "ticket-tfidf:v1-abc",
        "explanation": "TF-IDF chose Hardware (0.70)",
        "needs_review": False,
        "channel": Channel.API,
    }
    return TicketDraft(**{**values, **changes})
