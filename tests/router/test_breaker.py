"""The circuit breaker's states on a controlled clock, and the pipeline skipping a model whose breaker is open."""

import asyncio

from core.names import ModelName
from router.breaker import BreakerState, CircuitBreaker
from router.pipeline import BatchResult, ask_with_timeout


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_consecutive_failures_then_probes_once_after_the_cooldown() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=2, cooldown_s=5.0, clock=clock)
    breaker.failure()
    assert breaker.state is BreakerState.CLOSED and breaker.allow()
    breaker.failure()
    assert breaker.state is BreakerState.OPEN and not breaker.allow()
    clock.now = 5.0
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allow() and not breaker.allow()  # one probe at a time
    breaker.failure()  # the probe failed: another full cool-down
    assert breaker.state is BreakerState.OPEN
    clock.now = 10.0
    assert breaker.allow()
    breaker.success()
    assert breaker.state is BreakerState.CLOSED and breaker.failures == 0


def test_a_success_resets_the_count_of_consecutive_failures() -> None:
    breaker = CircuitBreaker(failure_threshold=2, cooldown_s=5.0, clock=Clock())
    breaker.failure()
    breaker.success()
    breaker.failure()
    assert breaker.state is BreakerState.CLOSED


def test_an_abandoned_probe_lets_the_next_one_go() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown_s=1.0, clock=clock)
    breaker.failure()
    clock.now = 1.0
    assert breaker.allow()
    breaker.abandon()
    assert breaker.allow()


def test_an_open_breaker_skips_the_model_without_calling_it() -> None:
    calls: list[list[str]] = []

    async def failing(texts: list[str]) -> list[dict[str, float]]:
        calls.append(texts)
        raise ConnectionError("down")

    breaker = CircuitBreaker(failure_threshold=1, cooldown_s=60.0, clock=Clock())
    first, second = BatchResult(answers=[]), BatchResult(answers=[])
    assert asyncio.run(ask_with_timeout(ModelName.TFIDF, failing, ["a"], 1.0, first, breaker)) is None
    assert asyncio.run(ask_with_timeout(ModelName.TFIDF, failing, ["b"], 1.0, second, breaker)) is None
    assert first.failures == {"tfidf": "tfidf_error"} and second.failures == {"tfidf": "tfidf_circuit_open"}
    assert calls == [["a"]]


def test_calls_waiting_on_a_hung_model_stop_when_the_breaker_opens() -> None:
    """Two calls fail and open the breaker; a third, stuck on the same hung model, returns at once."""

    async def hung(texts: list[str]) -> list[dict[str, float]]:
        await asyncio.sleep(60)
        return []

    async def failing(texts: list[str]) -> list[dict[str, float]]:
        await asyncio.sleep(0.05)
        raise ConnectionError("down")

    async def scenario() -> tuple[BatchResult, float, int]:
        breaker = CircuitBreaker(failure_threshold=2, cooldown_s=60.0)
        stuck = BatchResult(answers=[])
        waiting = asyncio.create_task(ask_with_timeout(ModelName.TFIDF, hung, ["a"], 30.0, stuck, breaker))
        await asyncio.sleep(0.01)
        for _ in range(2):
            await ask_with_timeout(ModelName.TFIDF, failing, ["b"], 30.0, BatchResult(answers=[]), breaker)
        assert await asyncio.wait_for(waiting, 1.0) is None
        return stuck, stuck.seconds["tfidf"], len(breaker.waiting)

    stuck, seconds, left = asyncio.run(scenario())
    assert stuck.failures == {"tfidf": "tfidf_circuit_open"}
    assert seconds < 1.0
    assert left == 0  # no waiter left behind


def test_with_background_probes_a_ticket_never_takes_the_half_open_probe() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown_s=1.0, clock=clock)
    breaker.failure()
    clock.now = 1.0
    assert breaker.state is BreakerState.HALF_OPEN
    assert not breaker.allow(probe=False)  # a ticket: answered by the other model at once
    assert breaker.allow(probe=True)  # the health monitor's probe
