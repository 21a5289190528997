"""Live reload: every bot process follows the current published revision.

A publish is announced on Redis pub/sub and picked up at once; a check every
`POLICY_POLL_SECONDS` covers a missed announcement (a reconnect), so every process
switches within about a second. A turn reads the policy set once, when it starts, so
a switch never splits a turn between two revisions.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from pathlib import Path

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.policies.active import ActivePolicies
from bot.policies.loader import PolicyError, content_hash, parse_policies
from bot.policies.revisions import Revision, Revisions
from bot.policies.source import read_directory
from bot.store.connection import supports_pubsub

log = logging.getLogger(__name__)


class PolicyFollower:
    """Keeps `ActivePolicies` on the current revision in Redis."""

    def __init__(
        self,
        redis: Redis,
        revisions: Revisions,
        active: ActivePolicies,
        intents: Iterable[str],
        *,
        poll_seconds: float = 1.0,
    ) -> None:
        self._redis = redis
        self._revisions = revisions
        self._active = active
        self._intents = frozenset(intents)
        self._poll_seconds = poll_seconds
        self._rejected: int | None = None

    async def seed(self, directory: Path) -> None:
        """Publish `directory` as revision 1 if nothing is published yet, then load the current one.

        Raises:
            PolicyError: nothing is published and `directory` is not a valid policy set.

        """
        files, problems = read_directory(directory)
        if await self._revisions.current_number() is None:
            parse_policies(files, self._intents, where=directory, problems=problems)
            number = await self._revisions.publish(
                files,
                author="seed",
                message=f"seeded from {directory}",
                at=time.time(),
                only_first=True,
            )
            if number is not None:
                log.info("published %s as policy revision %d", directory, number)
        await self.sync()
        current = await self._revisions.current()
        if current is not None and not problems and current.hash != content_hash(files):
            log.warning(
                "%s differs from the published policy revision %d; "
                "`python -m bot policies publish` publishes it",
                directory,
                current.number,
            )

    async def current(self) -> Revision | None:
        """The published revision (its files), if any."""
        return await self._revisions.current()

    async def sync(self) -> bool:
        """Switch to the current revision if it changed; True when it did."""
        number = await self._revisions.current_number()
        if number is None or number in (self._active.number, self._rejected):
            return False
        revision = await self._revisions.get(number)
        if revision is None:
            return False
        try:
            policies = parse_policies(revision.files, self._intents)
        except PolicyError as exc:
            # Published by a newer or older bot version: keep running the last good set.
            log.error(
                "policy revision %d does not load here, keeping the current one: %s", number, exc
            )
            self._rejected = number
            return False
        self._active.replace(policies, number)
        log.info(
            "now running policy revision %d (%s) by %s", number, revision.hash, revision.author
        )
        return True

    async def run(self) -> None:
        """Follow publishes until cancelled."""
        while True:
            try:
                if supports_pubsub(self._redis):
                    await self._listen()
                else:
                    await self._poll()
            except RedisError as exc:
                log.warning("policy reload: Redis error %s; retrying", exc)
                await asyncio.sleep(self._poll_seconds)

    async def _listen(self) -> None:
        async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
            await pubsub.subscribe(self._revisions.channel)
            await self.sync()
            while True:
                await pubsub.get_message(timeout=self._poll_seconds)
                await self.sync()

    async def _poll(self) -> None:
        while True:
            await self.sync()
            await asyncio.sleep(self._poll_seconds)
