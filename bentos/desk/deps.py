"""The FastAPI dependencies the desk's routers share: this worker's desk and agent, and strict queries.

Apart from `wiring` (which includes the routers at start-up), so the routers never import it back.
"""

import bentoml
from fastapi import Request
from fastapi.dependencies.models import Dependant

from bentos.desk.desk import Desk
from bentos.desk.triage import Agent
from store.errors import InvalidField


def current_desk(request: Request) -> Desk:
    """The desk of this worker, its schema migrated (a FastAPI dependency: 503 while the database is down)."""
    desk = request.app.state.desk
    desk.ensure_schema()
    return desk


def current_agent() -> Agent:
    """The TicketAgent instance serving this worker: its scrub + triage pipeline (a FastAPI dependency)."""
    return bentoml.get_current_service()


def query_names(dependant: Dependant) -> set[str]:
    """The query parameters a route takes, its dependencies' included."""
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= query_names(dependency)
    return names


def refuse_unknown_query(request: Request) -> None:
    """A query parameter the route does not take is refused: a misspelt filter must not match everything."""
    if not request.query_params:  # most requests: nothing to check
        return
    route = request.scope.get("route")
    known = query_names(route.dependant) if route else set()
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise InvalidField(unknown[0], f"unknown query parameter(s) {unknown}; this route takes {sorted(known)}")
