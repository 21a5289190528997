"""Counters of this bot process, exposed with Redis gauges at `/metrics` (bot/health.py).

Counters count what this process did since it started (Prometheus adds replicas up).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(slots=True)
class Metrics:
    """The counters the engine and the scheduler bump."""

    turns: Counter[str] = field(default_factory=Counter)  # by channel
    intents: Counter[str] = field(default_factory=Counter)
    proactive: Counter[str] = field(default_factory=Counter)  # sent / dropped / deferred
    # Batches sent by the Zalo and Messenger channels, by (channel, outcome).
    deliveries: Counter[tuple[str, str]] = field(default_factory=Counter)
    turn_seconds_sum: float = 0.0

    def turn(self, channel: str, intent: str | None, seconds: float) -> None:
        """Count one customer turn."""
        self.turns[channel] += 1
        self.intents[intent or "none"] += 1
        self.turn_seconds_sum += seconds
