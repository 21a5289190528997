"""A customer talking to the engine, with an NLU that reads what each test scripts."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from redis.asyncio import Redis

from bot.config import Settings
from bot.inbound import Inbound
from bot.lifecycle import Locale, Stage
from bot.nlu.parse import Entity, Parse
from bot.user import User
from bot.wiring import Components, build_components
from tests.fakes.clock import Clock


class ScriptedNlu:
    """Reads each text as the test said; anything else is not understood (nlu_fallback)."""

    def __init__(self) -> None:
        self.readings: dict[str, Parse] = {}

    def reads(self, text: str, intent: str, confidence: float = 0.95, **entities: Any) -> None:
        found = tuple(Entity(name, value) for name, value in entities.items())
        self.readings[text] = Parse(intent, confidence, found)

    async def parse(self, text: str) -> Parse:
        return self.readings.get(text, Parse("nlu_fallback", 0.3))

    def health(self) -> dict[str, Any]:
        return {"state": "up"}


class Customer:
    """One REST customer of the engine; `say` returns the reply texts."""

    def __init__(self, services: Components, locale: Locale = "en") -> None:
        self.services = services
        self.sender = f"c-{uuid.uuid4().hex[:8]}"
        self.locale = locale
        self.last_replies: list[Any] = []

    async def say(self, text: str, **extra: Any) -> list[str]:
        inbound = Inbound("rest", self.sender, text, locale=self.locale, **extra)
        self.last_replies = await self.services.engine.handle(inbound)
        return [reply.text for reply in self.last_replies]

    def payloads(self) -> list[str]:
        return [b.payload for r in self.last_replies for b in r.buttons]

    async def user(self) -> User:
        user = await self.services.users.find("rest", self.sender)
        assert user is not None
        return user

    async def events(self, kind: str) -> list[dict[str, Any]]:
        """The data of the customer's recorded events of `kind` (feedback, flagged, ...)."""
        user = await self.user()
        entries = await self.services.redis.xrange(self.services.keys.events(user.id))
        return [json.loads(f["data"]) for _, f in entries if f["kind"] == kind]

    async def move_to(self, stage: str) -> None:
        """Put the customer in `stage` as staff would (creating them first)."""
        await self.say("/greet")
        user = await self.user()
        await self.services.engine.move_stage(user.id, Stage(stage), reason="test")


@pytest.fixture
def nlu() -> ScriptedNlu:
    return ScriptedNlu()


@pytest.fixture
def services(settings: Settings, redis: Redis, clock: Clock, nlu: ScriptedNlu) -> Components:
    clock.now = 1_795_000_000.0  # a weekday morning in Ho Chi Minh City
    return build_components(settings, redis, nlu=nlu, clock=clock)


@pytest.fixture
def customer(services: Components) -> Customer:
    return Customer(services)
