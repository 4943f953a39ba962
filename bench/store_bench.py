"""The desk's store under 8 concurrent clients creating, updating and reading (`python -m bench.store_bench`).

For SQLite (WAL file) and PostgreSQL (a throwaway server from Debian's package), each migrated fresh:
N threads loop for the given seconds over create -> read -> update (from the version read) -> list
a page, one transaction each, as the API does. Prints operations/s, p50/p99 per operation, errors,
and checks that the rows stored equal the creates acknowledged.
"""

import argparse
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TypeVar

import numpy as np
from sqlalchemy import func, select

from devkit.postgres import postgres_server
from devkit.stores import BACKENDS, fresh_database_url, migrated_database
from store.database import Database
from store.schema import Ticket, TicketStatus
from store.tickets import (
    TicketChange,
    TicketDraft,
    TicketFilter,
    create_ticket,
    get_ticket,
    list_tickets,
    update_ticket,
)

T = TypeVar("T")
SCORES = {"Access": 0.2, "Hardware": 0.5, "Network": 0.3}


def draft(client: int, number: int) -> TicketDraft:
    return TicketDraft(
        text=f"client {client} ticket {number}: my <PERSON> laptop screen is broken",
        language="en",
        pii={"PERSON": 1},
        category="Hardware",
        confidence=0.5,
        scores=SCORES,
        model="tfidf",
        model_version="ticket-tfidf:bench",
        explanation="bench",
        needs_review=True,
        external_id=f"bench-{client}-{number}",
    )


class Results:
    """Latencies per operation, errors, creates acknowledged; shared by the client threads."""

    def __init__(self) -> None:
        self.seconds: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.acknowledged = 0
        self.lock = threading.Lock()

    def timed(self, name: str, action: Callable[..., T], *args: object) -> T:
        started = time.perf_counter()
        result = action(*args)
        with self.lock:
            self.seconds[name].append(time.perf_counter() - started)
        return result


def create(database: Database, client: int, number: int) -> int:
    with database.transaction(write=True) as session:
        return create_ticket(session, draft(client, number))[0].id


def read(database: Database, ticket_id: int) -> int:
    with database.transaction() as session:
        return get_ticket(session, ticket_id).version


def update(database: Database, ticket_id: int, version: int) -> None:
    with database.transaction(write=True) as session:
        update_ticket(session, ticket_id, version, TicketChange(status=TicketStatus.OPEN))


def list_page(database: Database) -> None:
    with database.transaction() as session:
        list_tickets(session, TicketFilter(needs_review=True), 50)


def client_loop(database: Database, client: int, deadline: float, results: Results) -> None:
    """create -> read -> update -> list until the deadline, each timed with its commit; any exception is an error."""
    number = 0
    while time.monotonic() < deadline:
        number += 1
        try:
            ticket_id = results.timed("create", create, database, client, number)
            with results.lock:
                results.acknowledged += 1
            version = results.timed("read", read, database, ticket_id)
            results.timed("update", update, database, ticket_id, version)
            results.timed("list", list_page, database)
        except Exception as error:  # the bench counts every failure, whatever it is
            with results.lock:
                results.errors.append(f"{type(error).__name__}: {error}")


def run(database: Database, clients: int, seconds: float) -> Results:
    results = Results()
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=client_loop, args=(database, c, deadline, results)) for c in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def report(backend: str, database: Database, results: Results, seconds: float) -> None:
    with database.transaction() as session:
        stored = session.scalar(select(func.count(Ticket.id)))
    operations = sum(len(values) for values in results.seconds.values())
    print(f"\n{backend}: {operations / seconds:.0f} operations/s, {results.acknowledged / seconds:.0f} creates/s")
    for name, values in results.seconds.items():
        ms = np.array(values) * 1000
        print(f"  {name:6s} n={len(ms):6d}  p50 {np.percentile(ms, 50):6.1f} ms  p99 {np.percentile(ms, 99):6.1f} ms")
    print(f"  errors: {len(results.errors)} {results.errors[:3]}")
    verdict = "OK" if stored == results.acknowledged and not results.errors else "LOST OR FAILED"
    print(f"  rows stored {stored} == creates acknowledged {results.acknowledged}: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS), choices=BACKENDS)
    args = parser.parse_args()
    print(f"{args.clients} clients, {args.seconds:.0f} s per backend")
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="store-bench-")))
        postgres = stack.enter_context(postgres_server()) if "postgresql" in args.backends else None
        for backend in args.backends:
            with migrated_database(fresh_database_url(backend, folder, postgres)) as database:
                results = run(database, args.clients, args.seconds)
                report(backend, database, results, args.seconds)


if __name__ == "__main__":
    main()
