"""The ticket desk: a FastAPI app mounted on the agent (`@bentoml.asgi_app`), so `bentoml serve` answers
/tickets, /feedback, /desk and /chat on the same port as /classify, and /docs.json documents them.

Every worker of `bentoml serve` imports the agent's module, so this one stays light: the routes,
SQLAlchemy, the templates and the intent model load when the agent's worker starts the app.
A route reaches the agent instance (its scrub + triage pipeline) with `bentoml.get_current_service()`,
which BentoML sets before it starts mounted apps.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from bentos.desk.limits import BodySizeLimit
from core.params import load_params


@asynccontextmanager
async def open_desk(app: FastAPI) -> AsyncIterator[None]:
    """Migrate the store (`alembic upgrade head`), add the routes, close the store when the worker stops."""
    from bentos.desk.wiring import desk_lifespan

    async with desk_lifespan(app):
        yield


# BentoML serves its own /docs.json and index: FastAPI's documentation routes would shadow them.
desk_app = FastAPI(
    title="CallCenterAI ticket desk", lifespan=open_desk, docs_url=None, redoc_url=None, openapi_url=None
)
desk_app.add_middleware(BodySizeLimit, max_bytes=load_params()["desk"]["max_body_bytes"])
