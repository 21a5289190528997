"""The transcript: every inbound and outbound message of a user.

Entries are compact JSON (one-letter fields, empty ones left out) in a Redis list per
customer, appended by a script that gives each an id like a stream's (`<ms>-<seq>`,
server time, increasing) and trims the list to the latest `keep` entries
(`TRANSCRIPT_KEEP`; 0 keeps everything). A list costs what its entries weigh; a stream
preallocates 4 KB for its first entries, most of a one-greeting customer's memory.
Transcripts written before this format stay readable (their stream is read first).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any, Literal

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from bot import fast_json
from bot.effects import Reply
from bot.store.keys import Keys

Direction = Literal["in", "out"]
TAIL_SECONDS = 0.25  # how often a live tail (the console's inbox) looks for new entries

# Appends ARGV body (a JSON object) to list `key` with the next id, trims to `keep`.
APPEND = """
local function append(key, body, keep)
  local now = redis.call('time')
  local ms, seq = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000), 0
  local last = redis.call('lindex', key, -1)
  if last then
    local lms, lseq = string.match(last, '^{"id":"(%d+)-(%d+)"')
    if tonumber(lms) >= ms then ms, seq = tonumber(lms), tonumber(lseq) + 1 end
  end
  local id = string.format('%d-%d', ms, seq)
  redis.call('rpush', key, '{"id":"' .. id .. '",' .. string.sub(body, 2))
  if keep > 0 then redis.call('ltrim', key, -keep, -1) end
end
"""
# Entry field -> its one-letter name in the stored JSON.
_SHORT = {
    "dir": "d",
    "channel": "c",
    "text": "x",
    "at": "a",
    "turn": "t",
    "intent": "i",
    "buttons": "b",
    "author": "u",
    "revision": "r",
}
_LONG = {short: name for name, short in _SHORT.items()}


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

    def to_json(self) -> str:
        """The stored form: compact JSON without the id (the append script adds it)."""
        data: dict[str, Any] = {"d": self.direction, "c": self.channel, "x": self.text}
        data["a"], data["t"] = self.at, self.turn
        if self.intent:
            data["i"] = self.intent
        if self.buttons:
            data["b"] = [[b["title"], b["payload"]] for b in self.buttons]
        if self.author:
            data["u"] = self.author
        if self.revision:
            data["r"] = self.revision
        return fast_json.dumps(data)

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

    def __init__(self, redis: Redis, keys: Keys, *, keep: int = 0) -> None:
        self._redis = redis
        self._keys = keys
        self.keep = keep

    def append(self, pipe: Pipeline, user_id: str, entry: Entry) -> None:
        """Queue `entry` on `pipe`, so it lands with the rest of its transaction."""
        key, body, keep = self.command(user_id, entry)[1:]
        pipe.eval(APPEND + "append(KEYS[1], ARGV[1], tonumber(ARGV[2]))", 1, key, body, keep)

    def command(self, user_id: str, entry: Entry) -> tuple[str, ...]:
        """The append as a turn commit's command: `TAPPEND` key body keep (see `APPEND`)."""
        return ("TAPPEND", self._keys.transcript_list(user_id), entry.to_json(), str(self.keep))

    async def read(self, user_id: str, *, count: int | None = None) -> list[dict[str, Any]]:
        """Entries oldest first; with `count`, the latest `count` entries."""
        async with self._redis.pipeline(transaction=False) as pipe:
            old_key = self._keys.transcript(user_id)
            if count is None:
                pipe.xrange(old_key)
            else:
                pipe.xrevrange(old_key, count=count)
            pipe.lrange(self._keys.transcript_list(user_id), -(count or 0), -1)
            old, new = await pipe.execute()
        if count is not None:
            old.reverse()
        entries = [_entry_json(i, fields) for i, fields in old] + [stored_entry(raw) for raw in new]
        return entries if count is None else entries[-count:]

    async def after(
        self, user_id: str, entry_id: str, *, wait_ms: int = 15_000
    ) -> list[dict[str, Any]]:
        """Entries newer than `entry_id` (`$`: the latest), waiting up to `wait_ms` for one.

        A live tail for people watching a conversation: it looks every `TAIL_SECONDS`.
        """
        key = self._keys.transcript_list(user_id)
        deadline = time.monotonic() + wait_ms / 1000
        if entry_id == "$":
            last = await self._redis.lindex(key, -1)  # type: ignore[misc]
            entry_id = stored_entry(last)["id"] if last else "0-0"
        since = _order(entry_id)
        while True:
            recent = [stored_entry(raw) for raw in await self._redis.lrange(key, -100, -1)]  # type: ignore[misc]
            newer = [e for e in recent if _order(e["id"]) > since]
            if newer or time.monotonic() >= deadline:
                return newer
            await asyncio.sleep(TAIL_SECONDS)


def _order(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def stored_entry(raw: str) -> dict[str, Any]:
    """An entry of the list, in the form readers get (as the stream's entries were)."""
    data: dict[str, Any] = {_LONG.get(k, k): v for k, v in fast_json.loads(raw).items()}
    if "buttons" in data:
        data["buttons"] = [{"title": t, "payload": p} for t, p in data["buttons"]]
    return data


def _entry_json(entry_id: str, fields: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": entry_id, **fields}
    data["at"] = float(fields["at"])
    if "buttons" in fields:
        data["buttons"] = json.loads(fields["buttons"])
    return data
