"""Each marketer's draft: the policy files they changed and have not published yet.

The studio saves as the marketer types, so nothing is lost when they switch stages or
close the page. A draft holds only the changed files; the others are the live revision's.
"""

from __future__ import annotations

from pathlib import Path

from redis.asyncio import Redis

from bot.policies.revisions import Revisions
from bot.policies.source import POLICY_FILES, read_directory
from bot.store.keys import Keys


class Drafts:
    """Drafts in Redis, one hash per console user: file name -> text."""

    def __init__(self, redis: Redis, keys: Keys, revisions: Revisions, seed: Path) -> None:
        self._redis = redis
        self._keys = keys
        self._revisions = revisions
        self._seed = seed

    async def live(self) -> dict[str, str]:
        """The published files (the policy folder before the first publish)."""
        current = await self._revisions.current()
        if current is not None:
            return dict(current.files)
        return read_directory(self._seed)[0]

    async def changed(self, author: str) -> dict[str, str]:
        """The files `author` changed, with their draft text."""
        stored: dict[str, str] = await self._redis.hgetall(self._key(author))  # type: ignore[misc]
        return {name: text for name, text in stored.items() if name in POLICY_FILES}

    async def stale(self, author: str, live: dict[str, str]) -> list[str]:
        """Drafted files someone published a change to since `author` began editing them.

        Publishing the draft would replace that change, so the studio warns about it.
        """
        stored: dict[str, str] = await self._redis.hgetall(self._key(author))  # type: ignore[misc]
        return [
            name
            for name in POLICY_FILES
            if name in stored and stored.get(f"base:{name}", live.get(name)) != live.get(name)
        ]

    async def working_set(self, author: str) -> tuple[dict[str, str], dict[str, str]]:
        """The live files with `author`'s draft over them, and the live files alone."""
        live = await self.live()
        return {**live, **await self.changed(author)}, live

    async def save(self, author: str, name: str, text: str) -> bool:
        """Keep `text` as the draft of file `name`; True when it differs from the live one."""
        live = (await self.live()).get(name)
        if text == live:
            await self._redis.hdel(self._key(author), name, f"base:{name}")  # type: ignore[misc]
            return False
        await self._redis.hset(self._key(author), name, text)  # type: ignore[misc]
        # What the file was when this draft of it began (kept until it is published).
        await self._redis.hsetnx(self._key(author), f"base:{name}", live or "")  # type: ignore[misc]
        return True

    async def discard(self, author: str, name: str | None = None) -> None:
        """Forget the draft of one file, or all of it."""
        if name is None:
            await self._redis.delete(self._key(author))
        else:
            await self._redis.hdel(self._key(author), name, f"base:{name}")  # type: ignore[misc]

    def _key(self, author: str) -> str:
        return self._keys.console(f"draft:{author}")
