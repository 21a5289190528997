"""Running conversation tests against the real bot: its REST channel and admin API.

The bot is built from the settings (policies from POLICIES_DIR or a draft folder, the
given NLU) and served on a free local port, under a throw-away Redis key prefix that is
deleted afterwards. Each conversation is a fresh customer; its turns go through
`POST /webhooks/rest/webhook` as a customer's would, and what the bot did is read back
through the admin API, so the tests hold whatever the engine looks like inside.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from aiohttp import web
from pydantic import SecretStr
from redis.asyncio import Redis

from bot.config import Settings
from bot.conversations.checks import Outcome, failures
from bot.conversations.fallbacks import fallback_texts
from bot.conversations.format import Suite, Turn
from bot.conversations.recording import RecordingNlu, understood
from bot.nlu import Nlu
from bot.policies.active import ActivePolicies
from bot.policies.render import Renderer
from bot.web.app import build_app
from bot.wiring import build_components

HOST = "127.0.0.1"
SET_UP_MESSAGE = "/greet"  # creates the customer before a staff move to the start stage
REQUEST_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class TurnFailure:
    """The first turn of a conversation that did not go as written."""

    suite: Suite
    conversation: int
    turn: int
    problems: list[str]
    outcome: Outcome

    def __str__(self) -> str:
        conversation = self.suite.conversations[self.conversation]
        message = conversation.turns[self.turn].user
        where = f"{self.suite.path}:{self.suite.line_of(self.conversation, self.turn)}"
        lines = [
            f"FAIL {where}: {conversation.name!r}, turn {self.turn + 1}: {message!r}",
            *(f"  {problem}" for problem in self.problems),
            "  " + self.outcome.describe().replace("\n", "\n  "),
        ]
        if self.turn + 1 < len(conversation.turns):
            lines.append(f"  (the {len(conversation.turns) - self.turn - 1} later turns not run)")
        return "\n".join(lines)


class BotUnderTest:
    """A running bot that conversations are played against."""

    def __init__(
        self, http: httpx.AsyncClient, policies: ActivePolicies, nlu: RecordingNlu | None
    ) -> None:
        self._http = http
        self._policies = policies
        self._nlu = nlu
        self._renderer = Renderer()

    async def play(self, suite: Suite, index: int) -> TurnFailure | None:
        """Play one conversation as a new customer; the first failing turn, if any."""
        conversation = suite.conversations[index]
        sender = f"conversation-{uuid.uuid4().hex[:12]}"
        set_up = _metadata(conversation.locale, conversation.profile, None)
        if conversation.stage is not None:
            await self._send(sender, SET_UP_MESSAGE, set_up)
            await self._put(sender, {"stage": conversation.stage.value, "reason": "test set-up"})
            set_up = {}
        for number, turn in enumerate(conversation.turns):
            metadata = _merged(set_up, _metadata(turn.locale, turn.profile, turn.ref))
            set_up = {}  # a new customer's language and profile come with the first message
            outcome = await self._turn(sender, turn, metadata)
            problems = failures(turn, outcome)
            if problems:
                return TurnFailure(suite, index, number, problems, outcome)
        return None

    async def _turn(self, sender: str, turn: Turn, metadata: dict[str, Any]) -> Outcome:
        replies = await self._send(sender, turn.user, metadata)
        user = await self._user(sender)
        parse = understood(turn.user, self._nlu)
        policies = self._policies.current
        return Outcome(
            intent=parse.intent if parse else None,
            confidence=parse.confidence if parse else None,
            replies=replies,
            user=user,
            fallback_texts=fallback_texts(policies, user.get("locale", "vi"), user, self._renderer),
        )

    async def _send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[Any]:
        body: dict[str, Any] = {"sender": sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        response = await self._http.post("/webhooks/rest/webhook", json=body)
        response.raise_for_status()
        replies: list[Any] = response.json()
        return replies

    async def _user(self, sender: str) -> dict[str, Any]:
        response = await self._http.get(f"/api/users/rest/{sender}")
        response.raise_for_status()
        user: dict[str, Any] = response.json()
        return user

    async def _put(self, sender: str, body: dict[str, str]) -> None:
        response = await self._http.put(f"/api/users/rest/{sender}/stage", json=body)
        response.raise_for_status()


def _metadata(
    locale: str | None, profile: dict[str, Any] | None, ref: str | None
) -> dict[str, Any]:
    metadata: dict[str, Any] = {}
    if locale is not None:
        metadata["locale"] = locale
    if profile:
        metadata["profile"] = dict(profile)
    if ref is not None:
        metadata["ref"] = ref
    return metadata


def _merged(set_up: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    merged = {**set_up, **own}
    if "profile" in set_up or "profile" in own:
        merged["profile"] = {**set_up.get("profile", {}), **own.get("profile", {})}
    return merged


@asynccontextmanager
async def bot_under_test(
    settings: Settings, redis: Redis, nlu: Nlu | None
) -> AsyncIterator[BotUnderTest]:
    """The bot of `settings` on a local port, with its keys under a prefix deleted afterwards.

    Raises:
        PolicyError: the policies of POLICIES_DIR do not load.

    """
    # Beside REDIS_PREFIX, not under it: nothing of the live bot's can match this prefix.
    prefix = f"{settings.redis_prefix}-conversations-{uuid.uuid4().hex[:12]}"
    token = secrets.token_urlsafe(24)
    own = settings.model_copy(
        update={
            "redis_prefix": prefix,
            "admin_token": SecretStr(token),
            "telegram_bot_token": None,
            "support_chat_id": None,
        }
    )
    recording = RecordingNlu(nlu) if nlu is not None else None
    try:
        services = build_components(own, redis, recording)
        runner = web.AppRunner(build_app(services), access_log=None)
        await runner.setup()
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((HOST, 0))  # a free port; the site owns and closes the socket
            site = web.SockSite(runner, sock)
            await site.start()
            url = f"http://{HOST}:{sock.getsockname()[1]}"
            async with httpx.AsyncClient(
                base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=REQUEST_SECONDS
            ) as http:
                yield BotUnderTest(http, services.policies, recording)
        finally:
            await runner.cleanup()
    finally:
        keys = [key async for key in redis.scan_iter(match=f"{prefix}:*", count=1000)]
        if keys:
            await redis.delete(*keys)


async def play_all(
    bot: BotUnderTest, suites: Sequence[Suite], jobs: int = 4
) -> tuple[int, int, list[TurnFailure]]:
    """Play every conversation, `jobs` at a time; (conversations, turns, failures in order)."""
    gate = asyncio.Semaphore(jobs)

    async def play(suite: Suite, index: int) -> TurnFailure | None:
        async with gate:
            return await bot.play(suite, index)

    plays = [(s, i) for s in suites for i in range(len(s.conversations))]
    results = await asyncio.gather(*(play(s, i) for s, i in plays))
    turns = sum(len(c.turns) for s in suites for c in s.conversations)
    return len(plays), turns, [r for r in results if r is not None]
