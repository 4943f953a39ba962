"""The agent's client of one model service: JSON over HTTP, concurrent calls coalesced, drops retried.

- JSON, never pickle: every service refuses `application/vnd.bentoml+pickle` (bentos/contracts.py),
  which BentoML's own proxy to a dependency would send.
- Coalescing: while a call is in flight, the texts of the calls that arrive wait and go together
  in the next one (up to the services' batch limit): one HTTP hop for many tickets under load, no
  added wait when idle.
- Idle connections expire before the services' keep-alive closes them, and a connection dropped
  under a call is retried once (`/predict` is idempotent); timeouts are never retried.
"""

import asyncio
import logging
from typing import Any
from urllib.parse import urlparse

import httpx
from _bentoml_impl.client import RemoteProxy  # what `bentoml.depends` resolves to when served

from bentos.metrics import DEPENDENCY_RETRIES
from core.names import ModelName
from core.params import load_params
from router.pipeline import ModelAnswer

logger = logging.getLogger("bentos.dependency")
SERVING = load_params()["serving"]
DROPPED = (httpx.NetworkError, httpx.RemoteProtocolError)  # the connection failed; timeouts are not here


class ModelCallError(RuntimeError):
    """The model service answered with an error status."""


def http_client(url: str, timeout_s: float, params: dict[str, Any]) -> httpx.AsyncClient:
    """An HTTP client for a BentoML dependency URL: `file://` (a Unix socket), `tcp://` or `http(s)://`."""
    parsed = urlparse(url)
    limits = httpx.Limits(
        max_connections=params["max_connections"],
        max_keepalive_connections=params["max_connections"],
        keepalive_expiry=params["keepalive_expiry_s"],
    )
    transport = None
    if parsed.scheme == "file":
        transport = httpx.AsyncHTTPTransport(uds=parsed.path, limits=limits)
        url = "http://localhost"
    elif parsed.scheme == "tcp":
        url = f"http://{parsed.netloc}"
    return httpx.AsyncClient(base_url=url, transport=transport, limits=limits, timeout=timeout_s)


class ModelClient:
    """`await client(texts)` -> one ModelAnswer per text, from one model service's `/predict`."""

    def __init__(self, name: ModelName, service: Any, timeout_s: float, params: dict[str, Any] | None = None) -> None:
        """`service`: the `bentoml.depends` attribute (a remote proxy when served, an instance in-process) or a URL."""
        self.name, self.timeout_s = name, timeout_s
        self.params = params or SERVING["dependency"]
        self.max_texts = SERVING["max_batch_texts"]
        self.service = service
        url = (
            service.to_async.url if isinstance(service, RemoteProxy) else service if isinstance(service, str) else None
        )
        # The HTTP call itself ends at the model's timeout too, so a hung service never blocks the queue.
        self.client = http_client(url, timeout_s, self.params) if url else None
        self.waiting: list[tuple[list[str], asyncio.Future]] = []
        self.in_flight = False
        self.drainer: asyncio.Task | None = None

    async def __call__(self, texts: list[str]) -> list[ModelAnswer]:
        """Answers for `texts`; they ride on the next call out (see the module's docstring)."""
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((texts, future))
        if not self.in_flight:
            self.in_flight = True
            self.drainer = asyncio.create_task(self.drain())
        return await future

    async def drain(self) -> None:
        """Send what waits, batch after batch, until nothing does."""
        try:
            while self.waiting:
                batch = self.take_batch()
                try:
                    scores = await self.predict([text for texts, _ in batch for text in texts])
                except Exception as error:  # handed to each caller: the pipeline turns it into a fallback
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    continue
                offset = 0
                for texts, future in batch:
                    if not future.done():
                        future.set_result(scores[offset : offset + len(texts)])
                    offset += len(texts)
        finally:
            self.in_flight = False

    def take_batch(self) -> list[tuple[list[str], asyncio.Future]]:
        """The waiting calls that fit in one request (always at least one); abandoned ones are dropped."""
        batch, size = [], 0
        while self.waiting and (not batch or size + len(self.waiting[0][0]) <= self.max_texts):
            texts, future = self.waiting.pop(0)
            if not future.done():
                batch.append((texts, future))
                size += len(texts)
        return batch

    async def predict(self, texts: list[str]) -> list[ModelAnswer]:
        """One `/predict` call (a local service instance when the agent runs in-process)."""
        if self.client is None:
            predictions = await self.service.to_async.predict(texts=texts)
            return [ModelAnswer(prediction.scores, prediction.known_terms) for prediction in predictions]
        for attempt in range(self.params["retries_on_drop"] + 1):
            try:
                response = await self.client.post("/predict", json={"texts": texts})
                break
            except DROPPED as error:
                if attempt == self.params["retries_on_drop"]:
                    raise
                DEPENDENCY_RETRIES.labels(dependency=self.name).inc()
                logger.info("%s: connection dropped (%s), retrying", self.name, type(error).__name__)
        if response.status_code != httpx.codes.OK:
            raise ModelCallError(f"{self.name} /predict answered {response.status_code}")
        return [ModelAnswer(prediction["scores"], prediction.get("known_terms")) for prediction in response.json()]

    async def close(self) -> None:
        """Close the HTTP connections."""
        if self.client is not None:
            await self.client.aclose()
