"""A circuit breaker per model dependency: stop waiting on a model that keeps failing.

Closed: calls go through. After `failure_threshold` consecutive failures it opens: calls are
skipped (answered by the other model at once) for `cooldown_s`. Then one probe may go through
(half-open): success closes it, failure opens it for another cool-down.
"""

import asyncio
import time
from collections.abc import Callable
from enum import StrEnum
from typing import Any


class BreakerState(StrEnum):
    """Where a breaker stands; also the health detail's and the metric's value."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Consecutive-failure breaker with a cool-down; `clock` is injectable for tests."""

    def __init__(self, failure_threshold: int, cooldown_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.failure_threshold = failure_threshold
        self.cooldown_s = cooldown_s
        self.clock = clock
        self.failures = 0
        self.opened_at: float | None = None
        self.probing = False
        self.last_outcome_at: float | None = None  # when a call last succeeded or failed
        self.answered = False  # whether any call has succeeded yet
        self.waiting: list[asyncio.Future] = []  # calls in flight that give up as soon as it opens

    @classmethod
    def from_params(cls, breaker_params: dict[str, Any]) -> "CircuitBreaker":
        """Built from params.yaml `router.breaker`."""
        return cls(int(breaker_params["failure_threshold"]), float(breaker_params["cooldown_s"]))

    @property
    def state(self) -> BreakerState:
        """Closed, open (cooling down) or half-open (cool-down over: the next call probes)."""
        if self.opened_at is None:
            return BreakerState.CLOSED
        if self.clock() - self.opened_at < self.cooldown_s:
            return BreakerState.OPEN
        return BreakerState.HALF_OPEN

    def allow(self, probe: bool = True) -> bool:
        """Whether a call may go now; in half-open, only one probe at a time, and only if `probe`
        (a caller whose probing is done elsewhere, in the background, passes False)."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if probe and state is BreakerState.HALF_OPEN and not self.probing:
            self.probing = True
            return True
        return False

    def success(self) -> None:
        """A call answered: close."""
        self.failures, self.opened_at, self.probing = 0, None, False
        self.last_outcome_at, self.answered = self.clock(), True

    def idle_for(self, seconds: float) -> bool:
        """Whether no call ended in the last `seconds` (so the state may be stale)."""
        return self.last_outcome_at is None or self.clock() - self.last_outcome_at >= seconds

    def abandon(self) -> None:
        """A call was cancelled before it ended: it proves nothing, let another probe go."""
        self.probing = False

    def failure(self) -> None:
        """A call failed or timed out: open once the threshold is reached (a failed probe re-opens)."""
        self.failures += 1
        self.last_outcome_at = self.clock()
        if self.probing or self.failures >= self.failure_threshold:
            self.opened_at = self.clock()
            for waiter in self.waiting:
                if not waiter.done():
                    waiter.set_result(None)
            self.waiting.clear()
        self.probing = False

    def opening(self) -> asyncio.Future:
        """A future that completes when the breaker opens: calls still waiting on the model stop then."""
        waiter = asyncio.get_running_loop().create_future()
        self.waiting.append(waiter)
        return waiter

    def forget(self, waiter: asyncio.Future) -> None:
        """The call ended on its own: drop its waiter."""
        waiter.cancel()
        if waiter in self.waiting:
            self.waiting.remove(waiter)
