"""Which forum topic of the support group belongs to which customer, created once.

Several bot replicas may see a customer's handoff start (or their message arrive) at
the same moment; only the one that claims the customer's creation key creates the
topic, the others wait for its id. The topic is remembered with the chat it lives in,
so a changed `SUPPORT_CHAT_ID` starts afresh instead of writing into a stranger's topic.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

from bot.errors import BotError
from bot.store.keys import Keys
from bot.store.living import living_id

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class TopicUnavailable(BotError):
    """No topic appeared in time (another replica claimed it and did not finish)."""


class SupportTopics:
    """Topic ids of customers in one support chat, and the reverse lookup."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        chat_id: int,
        *,
        claim_seconds: float = 30.0,
        poll_seconds: float = 0.05,
    ) -> None:
        self._redis = redis
        self._keys = keys
        self.chat_id = chat_id
        self._claim_ms = int(claim_seconds * 1000)
        self._poll = poll_seconds
        # Same script for releasing a claim and forgetting a topic: delete if unchanged.
        self._delete_if = redis.register_script(_RELEASE)

    async def topic_of(self, user_id: str) -> int | None:
        """The customer's topic in this chat, if they have one."""
        value = await self._redis.get(self._keys.support_topic(user_id))
        if value is None:
            return None
        chat, _, thread = str(value).partition(":")
        return int(thread) if int(chat) == self.chat_id else None

    async def customer_of(self, thread_id: int) -> str | None:
        """The user id whose topic `thread_id` is: the survivor, if they were merged since."""
        value = await self._redis.get(self._keys.support_thread(self.chat_id, thread_id))
        return None if value is None else await living_id(self._redis, self._keys, str(value))

    async def ensure(self, user_id: str, create: Callable[[], Awaitable[int]]) -> tuple[int, bool]:
        """The customer's topic; `create()` makes it when none exists, on one replica only.

        Returns the topic id and whether this call created it.

        Raises:
            TopicUnavailable: another replica holds the claim longer than it may.

        """
        claim = self._keys.support_topic_claim(user_id)
        deadline = time.monotonic() + self._claim_ms / 1000
        while True:
            topic = await self.topic_of(user_id)
            if topic is not None:
                return topic, False
            token = secrets.token_hex(8)
            if await self._redis.set(claim, token, nx=True, px=self._claim_ms):
                try:
                    # The previous holder may have finished between the read and the claim.
                    topic = await self.topic_of(user_id)
                    if topic is not None:
                        return topic, False
                    topic = await create()
                    await self._remember(user_id, topic)
                    return topic, True
                finally:
                    await self._delete_if(keys=[claim], args=[token])
            if time.monotonic() > deadline:
                raise TopicUnavailable(f"topic of customer {user_id} not created in time")
            await asyncio.sleep(self._poll)

    async def forget(self, user_id: str, thread_id: int) -> None:
        """The topic is gone (deleted in Telegram): the next message creates a new one.

        Only this topic is forgotten: a replica that already made a new one keeps it.
        """
        value = f"{self.chat_id}:{thread_id}"
        await self._delete_if(keys=[self._keys.support_topic(user_id)], args=[value])
        await self._redis.delete(self._keys.support_thread(self.chat_id, thread_id))

    async def _remember(self, user_id: str, thread_id: int) -> None:
        # Reverse key first: a topic id others can read always leads back to the customer.
        await self._redis.set(self._keys.support_thread(self.chat_id, thread_id), user_id)
        await self._redis.set(self._keys.support_topic(user_id), f"{self.chat_id}:{thread_id}")
