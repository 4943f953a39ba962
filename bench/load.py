"""Closed-loop HTTP load for the serving benches: C clients for T seconds, each posting as soon as answered.

Counts what an operator cares about besides latency: client errors (transport failures and
non-2xx) and, for the agent, answers that carry a `fallback`.
"""

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx


@dataclass
class LoadResult:
    """What one load run measured."""

    latencies_s: list[float]
    seconds: float
    errors: Counter = field(default_factory=Counter)
    fallbacks: Counter = field(default_factory=Counter)

    def percentile_ms(self, q: float) -> float:
        """The q-th quantile (0..1) of the latencies, in ms (nearest rank)."""
        ordered = sorted(self.latencies_s)
        return 1000 * ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")

    @property
    def rps(self) -> float:
        return len(self.latencies_s) / self.seconds

    def __str__(self) -> str:
        return (
            f"{self.rps:6.1f} rps, p50 {self.percentile_ms(0.5):7.1f} ms, p99 {self.percentile_ms(0.99):7.1f} ms, "
            f"{len(self.latencies_s)} ok, {sum(self.errors.values())} errors, {sum(self.fallbacks.values())} fallbacks"
        )


def fallbacks_of(body: object) -> list[str]:
    """The `fallback` values of an agent answer (one object or a list); none for other services."""
    answers = body if isinstance(body, list) else [body]
    return [answer["fallback"] for answer in answers if isinstance(answer, dict) and answer.get("fallback")]


async def closed_loop(
    url: str, make_body: Callable[[random.Random], dict], clients: int, seconds: float, seed: int = 0
) -> LoadResult:
    """`clients` concurrent keep-alive clients posting `make_body(rng)` to `url` for `seconds`."""
    result = LoadResult([], seconds)
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(rng: random.Random, http: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                response = await http.post(url, json=make_body(rng))
            except httpx.HTTPError as error:
                result.errors[type(error).__name__] += 1
                continue
            if not response.is_success:
                result.errors[f"HTTP {response.status_code}"] += 1
                continue
            result.latencies_s.append(time.perf_counter() - started)
            result.fallbacks.update(fallbacks_of(response.json()))

    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(random.Random(seed + i), http) for i in range(clients)))
        result.seconds = time.perf_counter() - started
    return result


def run_load(url: str, make_body: Callable[[random.Random], dict], clients: int, seconds: float) -> LoadResult:
    """`closed_loop` from synchronous code."""
    return asyncio.run(closed_loop(url, make_body, clients, seconds))
