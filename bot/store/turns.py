"""The atomic write of one turn, and the stored answers that make turns idempotent."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import WatchError

from bot.effects import ClaimCode, Record, Reply
from bot.errors import BotError
from bot.lifecycle import Transition
from bot.store.keys import Keys
from bot.store.ordering import LockLost, fence_of
from bot.store.transcript import Entry, Transcript
from bot.user import User

# Telegram retries a webhook for up to a day; a week covers every client we know.
COMMIT_ATTEMPTS = 3  # a renewal racing the commit is retried this often
ANSWER_TTL_SECONDS = 7 * 24 * 3600
EVENTS_KEPT = 10_000  # per customer; analytics reads them long before that


class CodeTaken(BotError):
    """A generated code already belongs to another customer."""


@dataclass(slots=True)
class TurnWrite:
    """Everything one turn changes. `commit` writes all of it or none of it."""

    user: User
    transitions: list[Transition] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    message_id: str | None = None
    replies: list[Reply] = field(default_factory=list)
    at: float = 0.0
    events: list[Record] = field(default_factory=list)
    claims: list[ClaimCode] = field(default_factory=list)
    handoffs: list[dict[str, Any]] = field(default_factory=list)
    """Closed handoff records to keep."""
    handoff_opened: bool = False
    referrals: list[tuple[str, str]] = field(default_factory=list)
    """`(referrer id, joined|credited)`: this customer counts for that referrer."""


class Turns:
    """Commits turns in one MULTI/EXEC; all keys share the user's hash tag."""

    def __init__(self, redis: Redis, keys: Keys, transcript: Transcript) -> None:
        self._redis = redis
        self._keys = keys
        self._transcript = transcript

    async def answered(self, user_id: str, message_id: str) -> list[Reply] | None:
        """The replies already given to `message_id`, or None if it was never processed."""
        raw = await self._redis.get(self._keys.inbound(user_id, message_id))
        if raw is None:
            return None
        return [Reply.from_dict(item) for item in json.loads(raw)]

    async def commit(self, write: TurnWrite) -> None:
        """Write the turn atomically: a failure before EXEC leaves the user untouched.

        Codes and referral counts live on keys of other slots, so they are written
        first: both writes are idempotent, and a turn retried after a crash redoes them.
        Under the customer's turn lock, the write happens only while this turn still
        holds it (its token, watched until EXEC); otherwise `LockLost` and nothing changes.
        """
        user_id = write.user.id
        await self._shared(write)
        # The lease's renewal touches the watched key too: a WatchError with the lock still
        # ours is retried; `_fenced` raises LockLost once the lock is someone else's.
        for _ in range(COMMIT_ATTEMPTS - 1):
            with contextlib.suppress(WatchError):
                return await self._transaction(write)
        try:
            await self._transaction(write)
        except WatchError as exc:
            raise LockLost(f"the turn lock of {user_id} changed hands before the commit") from exc

    async def _transaction(self, write: TurnWrite) -> None:
        """One MULTI/EXEC of every write of the turn, under its fence."""
        user_id = write.user.id
        async with self._redis.pipeline(transaction=True) as pipe:
            await self._fenced(pipe, user_id)
            pipe.hset(self._keys.user(user_id), mapping=write.user.to_hash())
            for transition in write.transitions:
                pipe.rpush(self._keys.stage_history(user_id), transition.to_json())
            for entry in write.entries:
                self._transcript.append(pipe, user_id, entry)
            for record in write.handoffs:
                pipe.rpush(self._keys.handoffs(user_id), json.dumps(record))
            for event in write.events:
                fields = {"kind": event.kind, "at": repr(write.at), "data": json.dumps(event.data)}
                pipe.xadd(self._keys.events(user_id), fields, maxlen=EVENTS_KEPT, approximate=True)  # type: ignore[arg-type]
            if write.message_id is not None:
                answer = json.dumps([r.to_dict() for r in write.replies], ensure_ascii=False)
                pipe.set(
                    self._keys.inbound(user_id, write.message_id), answer, ex=ANSWER_TTL_SECONDS
                )
            await pipe.execute()

    @staticmethod
    async def _fenced(pipe: Pipeline, user_id: str) -> None:
        """Watch the customer's lock and check it is still this turn's; then MULTI."""
        fence = fence_of(user_id)
        if fence is None:
            return  # not under a turn lock (tools, tests of the store alone)
        await pipe.watch(fence.key)
        holder = await pipe.get(fence.key)
        if isinstance(holder, bytes):
            holder = holder.decode()
        if holder != fence.token:
            raise LockLost(f"the turn lock of {user_id} expired before the commit")
        pipe.multi()  # type: ignore[no-untyped-call]

    async def _shared(self, write: TurnWrite) -> None:
        user_id = write.user.id
        for claim in write.claims:
            key = self._keys.code(claim.kind, claim.code)
            claimed = await self._redis.set(key, user_id, nx=True)
            if not claimed and await self._redis.get(key) != user_id:
                raise CodeTaken(f"{claim.kind} code {claim.code} belongs to someone else")
        for referrer, which in write.referrals:
            await self._redis.sadd(self._keys.referrals(referrer, which), user_id)  # type: ignore[misc]
