"""What the agent knows of its models: probed in the background, shown at `GET /health`, exported as metrics.

Readiness (`/readyz`) means "can classify": the scrub pool is up and TF-IDF answers. A transformer
outage leaves the agent ready but degraded (TF-IDF answers alone, each answer says so).
"""

import asyncio
import contextlib
import logging
import os
import time
from typing import Any

import bentoml
import psutil
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from bentos.dependency import ModelClient
from bentos.metrics import record_dependencies, record_memory
from core.names import ModelName
from router.breaker import BreakerState, CircuitBreaker

logger = logging.getLogger("bentos.health")


def memory_of(processes: dict[str, int]) -> dict[tuple[str, str], int]:
    """(process name, rss|pss) -> bytes, for the processes (name -> pid) still alive."""
    sizes = {}
    for name, pid in processes.items():
        with contextlib.suppress(psutil.Error):
            info = psutil.Process(pid).memory_full_info()
            sizes[(name, "rss")], sizes[(name, "pss")] = info.rss, info.pss
    return sizes


class HealthMonitor:
    """Probes each model when idle or while its breaker is open; publishes availability and memory."""

    def __init__(
        self, breakers: dict[ModelName, CircuitBreaker], models: dict[ModelName, ModelClient], pool: Any, params: dict
    ) -> None:
        self.breakers, self.models, self.pool = breakers, models, pool
        self.interval_s = params["probe_interval_s"]
        self.memory_interval_s = params["memory_interval_s"]
        self.probe_text = params["probe_text"]
        self.task: asyncio.Task | None = None

    def available(self, name: ModelName) -> bool:
        """The model has answered and its breaker is closed."""
        breaker = self.breakers[name]
        return breaker.answered and breaker.state is BreakerState.CLOSED

    def start(self) -> None:
        """Probe in the background from the running event loop."""
        self.task = asyncio.create_task(self.run())

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()

    async def run(self) -> None:
        """Every interval: start the probes that are due (a hung one does not hold the rest), publish."""
        probes: dict[ModelName, asyncio.Task] = {}
        memory_due = 0.0
        while True:
            for name in self.models:
                if name not in probes or probes[name].done():
                    probes[name] = asyncio.create_task(self.probe(name))
            record_dependencies({str(name): self.available(name) for name in self.models})
            if time.monotonic() >= memory_due:  # reading /proc/PID/smaps_rollup costs: not every probe
                record_memory(memory_of({"agent": os.getpid(), **self.pool.pids()}))
                memory_due = time.monotonic() + self.memory_interval_s
            await asyncio.sleep(self.interval_s)

    async def probe(self, name: ModelName) -> None:
        """One tiny prediction, when the model's state may be stale (idle) or its cool-down is over."""
        breaker = self.breakers[name]
        if not breaker.idle_for(self.interval_s) or not breaker.allow():
            return
        try:
            await asyncio.wait_for(self.models[name]([self.probe_text]), self.models[name].timeout_s)
        except asyncio.CancelledError:
            breaker.abandon()
            raise
        except Exception as error:  # any failure counts against the model
            logger.warning("%s probe failed: %s", name, type(error).__name__)
            breaker.failure()
        else:
            breaker.success()

    def detail(self) -> dict[str, Any]:
        """The health document: status (ok | degraded | unavailable), each model's state, the scrub pool."""
        models = {
            str(name): {"available": self.available(name), "breaker": self.breakers[name].state} for name in self.models
        }
        if not (self.pool.ready and self.available(ModelName.TFIDF)):
            status = "unavailable"
        else:
            status = "ok" if all(model["available"] for model in models.values()) else "degraded"
        return {
            "status": status,
            "models": models,
            "scrub_pool": {"ready": self.pool.ready, "killed": self.pool.killed},
        }


class HealthEndpoint:
    """ASGI middleware answering `GET /health` with the agent's health detail (200 ok | degraded, 503 unavailable)."""

    def __init__(self, app: ASGIApp, path: str = "/health") -> None:
        self.app, self.path = app, path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == self.path:
            detail = bentoml.get_current_service().health.detail()
            response = JSONResponse(detail, status_code=503 if detail["status"] == "unavailable" else 200)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
