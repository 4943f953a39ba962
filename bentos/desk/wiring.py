"""What the desk loads in the agent's worker: the migrated store, the routes, the error answers.

Errors are answered as `{"error": "...", "fields": [...]}`: 400 unreadable body, 404 unknown ticket,
405 (with every method the path takes in `Allow`), 409 stale version or a deleted ticket's external_id,
422 invalid field (named; an unknown query parameter too), 413 body too large (limits.py), 503 store
or models unavailable.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from bentos.champions import model_versions
from bentos.desk.desk import Desk
from core.heap import freeze_startup_heap
from core.params import load_params
from router.policy import NoModelAvailable
from store.database import Database, database_url, redacted
from store.errors import ExternalIdDeleted, InvalidField, StoreUnavailable, TicketNotFound, VersionConflict

logger = logging.getLogger("bentos.desk")
STATUS_OF = {
    TicketNotFound: 404,
    VersionConflict: 409,
    ExternalIdDeleted: 409,
    InvalidField: 422,
    StoreUnavailable: 503,
}


@asynccontextmanager
async def desk_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open and migrate the store (or wait for it), add the routes, answer errors; dispose of it at shutdown."""
    from bentos.desk import api, chat, pages

    params = load_params()
    database = Database(database_url(params["store"]), params["store"])
    desk = Desk(database, params, model_versions())
    try:
        await run_in_threadpool(desk.ensure_schema)
    except StoreUnavailable as error:
        logger.error("ticket desk waits for its database (503 until it answers): %s", error)
    app.state.desk = desk
    app.state.chat = await run_in_threadpool(chat.open_chat, desk, params["desk"]["chat"])
    for module in (api, pages, chat):
        app.include_router(module.router)
    app.state.desk_routes = [route for module in (api, pages, chat) for route in module.router.routes]
    add_error_handlers(app)
    logger.info("ticket desk ready on %s", redacted(database.url))
    freeze_startup_heap()  # the intent model and the store's mappers: loaded for good
    try:
        yield
    finally:
        database.dispose()


def allowed_methods(request: Request) -> str:
    """Every method some route of the desk takes at this path (each FastAPI route holds its own)."""
    routes = getattr(request.app.state, "desk_routes", [])
    methods = {method for route in routes if route.path_regex.match(request.url.path) for method in route.methods}
    return ", ".join(sorted(methods))


def error(status: int, message: str, fields: list[str] | None = None, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "fields": fields or []}, status_code=status, headers=headers)


def add_error_handlers(app: FastAPI) -> None:
    """Typed store, scrub and model errors, and validation errors, as one-line JSON answers."""
    from router.prepare_pool import ScrubRefused  # the agent's worker only: it starts the scrub pool

    async def store_error(_request: Request, exc: Exception) -> JSONResponse:
        status = next(code for kind, code in STATUS_OF.items() if isinstance(exc, kind))
        if status == 503:
            logger.error("%s", exc)
        return error(status, str(exc), [exc.field] if isinstance(exc, InvalidField) else [])

    async def no_model(_request: Request, exc: Exception) -> JSONResponse:
        return error(503, f"No model is available to classify tickets: {exc}. Nothing was stored.")

    async def not_scrubbed(_request: Request, exc: Exception) -> JSONResponse:
        return error(422, f"{exc}; nothing was stored or passed on", ["text"])

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        headers = {"Allow": allowed_methods(request)} if exc.status_code == 405 else None
        return error(exc.status_code, str(exc.detail), headers=headers)

    async def invalid(_request: Request, exc: Exception) -> JSONResponse:
        problems = exc.errors() if isinstance(exc, RequestValidationError) else []
        fields = [".".join(str(part) for part in problem["loc"][1:]) or str(problem["loc"][0]) for problem in problems]
        message = "; ".join(f"{field}: {problem['msg']}" for field, problem in zip(fields, problems, strict=True))
        return error(422, message or "invalid request", fields)

    for kind in STATUS_OF:
        app.add_exception_handler(kind, store_error)
    app.add_exception_handler(NoModelAvailable, no_model)
    app.add_exception_handler(ScrubRefused, not_scrubbed)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(HTTPException, http_error)
