"""The transcript: every inbound and outbound message of a user, in a Redis stream."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from bot.effects import Reply
from bot.store.keys import Keys

Direction = Literal["in", "out"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One message in the transcript.

    `turn` is the inbound message id the entry belongs to, so a reader can check that
    each inbound is followed by its own replies.
    """

    direction: Direction
    channel: str
    text: str
    at: float
    turn: str
    intent: str | None = None
    buttons: tuple[dict[str, str], ...] = ()
    author: str = ""
    revision: str = ""

    def to_fields(self) -> dict[str, str]:
        """Stream fields; empty optional fields are left out."""
        fields = {
            "dir": self.direction,
            "channel": self.channel,
            "text": self.text,
            "at": repr(self.at),
            "turn": self.turn,
        }
        if self.intent:
            fields["intent"] = self.intent
        if self.buttons:
            fields["buttons"] = json.dumps(self.buttons, ensure_ascii=False)
        if self.author:
            fields["author"] = self.author
        if self.revision:
            fields["revision"] = self.revision
        return fields

    @classmethod
    def outbound(
        cls,
        reply: Reply,
        *,
        channel: str,
        at: float,
        turn: str,
        author: str = "bot",
        revision: str = "",
    ) -> Entry:
        """The transcript entry of a reply; `revision` is the policy revision that chose it."""
        buttons = tuple({"title": b.title, "payload": b.payload} for b in reply.buttons)
        return cls(
            "out", channel, reply.text, at, turn, buttons=buttons, author=author, revision=revision
        )


class Transcript:
    """Reads and appends transcript entries."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys

    def append(self, pipe: Pipeline, user_id: str, entry: Entry) -> None:
        """Queue `entry` on `pipe`, so it lands with the rest of its transaction."""
        pipe.execute_command(*self.command(user_id, entry))

    def command(self, user_id: str, entry: Entry) -> tuple[str, ...]:
        """The Redis command appending `entry` (name, key, arguments), for a turn's commit."""
        fields = [item for pair in entry.to_fields().items() for item in pair]
        return ("XADD", self._keys.transcript(user_id), "*", *fields)

    async def read(self, user_id: str, *, count: int | None = None) -> list[dict[str, Any]]:
        """Entries oldest first; with `count`, the latest `count` entries."""
        key = self._keys.transcript(user_id)
        if count is None:
            rows = await self._redis.xrange(key)
        else:
            rows = list(reversed(await self._redis.xrevrange(key, count=count)))
        return [_entry_json(entry_id, fields) for entry_id, fields in rows]

    async def after(
        self, user_id: str, entry_id: str, *, wait_ms: int = 15_000
    ) -> list[dict[str, Any]]:
        """Entries newer than `entry_id`, waiting up to `wait_ms` for the first one."""
        found = await self._redis.xread(
            {self._keys.transcript(user_id): entry_id}, block=wait_ms, count=100
        )
        return [_entry_json(i, fields) for _, rows in found for i, fields in rows]


def _entry_json(entry_id: str, fields: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": entry_id, **fields}
    data["at"] = float(fields["at"])
    if "buttons" in fields:
        data["buttons"] = json.loads(fields["buttons"])
    return data
