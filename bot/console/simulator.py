"""The simulator: a conversation against a draft policy set, touching no real customer.

It runs the real engine under a throw-away Redis key prefix (deleted afterwards), with
the draft as its policy set and the bot's NLU (payloads work without it).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

from bot.engine import Engine
from bot.inbound import Inbound
from bot.lifecycle import Locale, Stage
from bot.policies.schema import PolicySet
from bot.store.users import Users

CHANNEL = "simulator"


class Sandbox(Protocol):
    """An engine of its own, under its own key prefix."""

    @property
    def engine(self) -> Engine:
        """Runs the simulated turns."""
        ...

    @property
    def users(self) -> Users:
        """Where the simulated customer is stored."""
        ...


# Builds a sandbox for a key prefix and a policy set (`bot.wiring.build_core`).
SandboxFactory = Callable[[str, PolicySet], Sandbox]


@dataclass(frozen=True, slots=True)
class SimulatedTurn:
    """One message of the simulation: what was said, the replies, the stage after it."""

    message: str
    replies: list[str]
    stage: str


class Simulator:
    """Runs simulations in sandboxes under `prefix:sim:<random>`."""

    def __init__(self, redis: Redis, prefix: str, sandbox: SandboxFactory) -> None:
        self._redis = redis
        self._prefix = prefix
        self._sandbox = sandbox

    async def run(
        self, draft: PolicySet, stage: Stage, locale: Locale, messages: list[str]
    ) -> list[SimulatedTurn]:
        """Run `messages` for a new customer placed in `stage`, against `draft`."""
        prefix = f"{self._prefix}:sim:{uuid.uuid4().hex[:10]}"
        sandbox = self._sandbox(prefix, draft)
        engine = sandbox.engine
        turns: list[SimulatedTurn] = []
        try:
            await engine.handle(Inbound(CHANNEL, "customer", "/nlu_fallback", locale=locale))
            user_id = await sandbox.users.resolve(CHANNEL, "customer")
            await engine.move_stage(user_id, stage, "manual:simulator")
            for message in messages:
                replies = await engine.handle(Inbound(CHANNEL, "customer", message))
                user = await sandbox.users.load(user_id)
                turns.append(
                    SimulatedTurn(
                        message, [r.text for r in replies], user.stage.value if user else ""
                    )
                )
        finally:
            keys = [k async for k in self._redis.scan_iter(match=f"{prefix}:*", count=500)]
            if keys:
                await self._redis.delete(*keys)
        return turns
