"""Published policy sets, kept in Redis as numbered revisions.

Every revision holds the full text of every policy file, its author, message, time and
content hash. Publishing is one Lua script: it numbers the revision, stores it, makes it
current and announces it on a pub/sub channel, so replicas never see half of it. All
keys share the `{policies}` hash tag and live in one Redis Cluster slot.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from bot.errors import BotError
from bot.policies.loader import content_hash, parse_policies
from bot.store.keys import Keys

_PUBLISH = """
if ARGV[3] == '1' and redis.call('exists', KEYS[3]) == 1 then
  return -1
end
local number = redis.call('incr', KEYS[1])
redis.call('hset', KEYS[2], number, ARGV[1])
redis.call('set', KEYS[3], number)
redis.call('publish', ARGV[2], number)
return number
"""


class UnknownRevision(BotError):
    """A revision number that was never published."""


@dataclass(frozen=True, slots=True)
class Revision:
    """One published policy set."""

    number: int
    files: dict[str, str]
    author: str
    message: str
    at: float
    hash: str

    def summary(self) -> dict[str, Any]:
        """Everything but the file texts."""
        return {
            "number": self.number,
            "author": self.author,
            "message": self.message,
            "at": self.at,
            "hash": self.hash,
        }


class Revisions:
    """Stores, lists and publishes policy revisions."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._seq, self._all = keys.policies("seq"), keys.policies("revisions")
        self._current = keys.policies("current")
        self.channel = keys.policies_channel()
        self._script = redis.register_script(_PUBLISH)

    async def publish(
        self,
        files: dict[str, str],
        *,
        author: str,
        message: str,
        at: float,
        only_first: bool = False,
    ) -> int | None:
        """Store `files` as the new current revision and announce it; returns its number.

        With `only_first`, nothing is published when a revision already exists (the
        seeding from `stage_policies/` by whichever replica starts first) and None is returned.
        """
        body = json.dumps(
            {
                "files": files,
                "author": author,
                "message": message,
                "at": at,
                "hash": content_hash(files),
            },
            ensure_ascii=False,
        )
        number = await self._script(
            keys=[self._seq, self._all, self._current],
            args=[body, self.channel, "1" if only_first else "0"],
        )
        return None if int(number) < 0 else int(number)

    async def rollback(self, number: int, intents: Iterable[str], *, author: str, at: float) -> int:
        """Publish revision `number` again, as a new revision; returns the new number.

        Raises:
            UnknownRevision: there is no revision `number`.
            PolicyError: it no longer validates (the bot or `nlu/domain.yml` changed).

        """
        old = await self.get(number)
        if old is None:
            raise UnknownRevision(f"no revision {number}")
        parse_policies(old.files, intents)
        published = await self.publish(
            old.files, author=author, message=f"rollback to {number}", at=at
        )
        assert published is not None  # only the first-seed publish can decline
        return published

    async def current_number(self) -> int | None:
        """The number of the current revision, or None before the first publish."""
        value = await self._redis.get(self._current)
        return None if value is None else int(value)

    async def get(self, number: int) -> Revision | None:
        """Revision `number`, if it exists."""
        raw = await self._redis.hget(self._all, str(number))  # type: ignore[misc]
        return None if raw is None else _revision(number, raw)

    async def current(self) -> Revision | None:
        """The current revision, or None before the first publish."""
        number = await self.current_number()
        return None if number is None else await self.get(number)

    async def history(self) -> list[Revision]:
        """Every revision, oldest first."""
        rows = await self._redis.hgetall(self._all)  # type: ignore[misc]
        return sorted((_revision(int(n), raw) for n, raw in rows.items()), key=lambda r: r.number)


def diff(old: Revision, new: Revision) -> str:
    """A unified diff of two revisions, file by file."""
    lines: list[str] = []
    for name in sorted(set(old.files) | set(new.files)):
        lines += difflib.unified_diff(
            old.files.get(name, "").splitlines(keepends=True),
            new.files.get(name, "").splitlines(keepends=True),
            fromfile=f"r{old.number}/{name}",
            tofile=f"r{new.number}/{name}",
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _revision(number: int, raw: str) -> Revision:
    data = json.loads(raw)
    return Revision(
        number=number,
        files=data["files"],
        author=data["author"],
        message=data["message"],
        at=float(data["at"]),
        hash=data["hash"],
    )
