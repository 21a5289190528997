"""A circuit breaker, so a dead NLU server costs no timeout per message.

After `failure_threshold` consecutive failures the circuit opens and calls are refused
at once. After `cooldown_seconds` one probe call is let through (half-open): its success
closes the circuit, its failure opens it for another cool-down.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum


class BreakerState(StrEnum):
    """The state of a circuit breaker."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Counts consecutive failures of one server and decides whether to call it."""

    def __init__(
        self,
        failure_threshold: int = 3,
        cooldown_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.failure_threshold = failure_threshold
        self.cooldown_seconds = cooldown_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._probe_started_at: float | None = None

    @property
    def state(self) -> BreakerState:
        """Closed, open, or half-open (cool-down over, a probe may go or is going)."""
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock() - self._opened_at < self.cooldown_seconds:
            return BreakerState.OPEN
        return BreakerState.HALF_OPEN

    @property
    def consecutive_failures(self) -> int:
        """Failures since the last success."""
        return self._failures

    def allow(self) -> bool:
        """Whether a call may go now; in half-open state, only one probe at a time."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.OPEN:
            return False
        now = self._clock()
        # A probe whose caller vanished (cancelled) without reporting must not wedge
        # the breaker: after another cool-down a new probe may go.
        if self._probe_started_at is not None and (
            now - self._probe_started_at < self.cooldown_seconds
        ):
            return False
        self._probe_started_at = now
        return True

    def record_success(self) -> None:
        """Record a successful call: the circuit closes."""
        self._failures = 0
        self._opened_at = None
        self._probe_started_at = None

    def record_failure(self) -> None:
        """Record a failed call: the circuit opens at the threshold or after a failed probe."""
        self._failures += 1
        self._probe_started_at = None
        if self._opened_at is not None or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()
