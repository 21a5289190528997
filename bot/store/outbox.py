"""Per-customer outbox of the REST channel: messages that arose outside a request."""

from __future__ import annotations

import json

from redis.asyncio import Redis

from bot.effects import Reply
from bot.store.keys import Keys
from bot.store.transcript import Entry, Transcript


class Outbox:
    """Queues messages for a REST customer until they fetch them, each exactly once."""

    def __init__(self, redis: Redis, keys: Keys, transcript: Transcript) -> None:
        self._redis = redis
        self._keys = keys
        self._transcript = transcript

    async def push(self, user_id: str, replies: list[Reply], entries: list[Entry]) -> None:
        """Queue `replies` and record `entries` in the transcript, atomically."""
        async with self._redis.pipeline(transaction=True) as pipe:
            for reply in replies:
                pipe.rpush(
                    self._keys.outbox(user_id), json.dumps(reply.to_dict(), ensure_ascii=False)
                )
            for entry in entries:
                self._transcript.append(pipe, user_id, entry)
            await pipe.execute()

    async def drain(self, user_id: str) -> list[Reply]:
        """Every waiting message, oldest first; they are removed in the same step."""
        key = self._keys.outbox(user_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.lrange(key, 0, -1)
            pipe.delete(key)
            raw, _ = await pipe.execute()
        return [Reply.from_dict(json.loads(item)) for item in raw]
