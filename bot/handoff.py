"""Human handoff: support staff take over a conversation, and hand it back.

While a handoff is open (`state["handoff"]`), the engine records the customer's messages
and stays silent; the guardrails keep proactive messages away. Staff reply through the
API (or the Telegram support group), and closing the handoff asks the customer for a
CSAT score. Each handoff is kept (who, when, why, first response, resolution) for the
analytics; `SupportRelay`s (the Telegram support group) hear about every step.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis

from bot.channels.registry import Channels
from bot.customer_state import CSAT_FOR, HANDOFF, Handoff
from bot.effects import Button, Effect, KeepHandoff, Record, Reply
from bot.errors import BotError
from bot.inbound import Inbound
from bot.policies.active import ActivePolicies
from bot.policies.handoff_texts import BACK_TO_BOT
from bot.policies.render import Renderer
from bot.policies.texts import LocalizedText
from bot.scheduler.jobs import Job, JobQueue
from bot.store.handoff_records import closed_handoffs
from bot.store.keys import Keys
from bot.store.ordering import TurnLocks
from bot.store.transcript import Entry
from bot.store.turns import Turns, TurnWrite
from bot.store.users import Users
from bot.support_relay import SupportRelay, open_handoff
from bot.user import User

log = logging.getLogger(__name__)

SLA_KIND = "handoff_sla"


class HandoffClosed(BotError):
    """The customer has no open handoff."""


class HandoffDesk:
    """Starts, answers, lists and closes handoffs."""

    def __init__(
        self,
        *,
        redis: Redis,
        keys: Keys,
        users: Users,
        turns: Turns,
        locks: TurnLocks,
        jobs: JobQueue,
        delivery: Channels,
        policies: ActivePolicies,
        renderer: Renderer,
        sla_minutes: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self._open = keys.open_handoffs()
        self._keys = keys
        self._users = users
        self._turns = turns
        self._locks = locks
        self._jobs = jobs
        self._delivery = delivery
        self._policies = policies
        self._renderer = renderer
        self._sla_seconds = sla_minutes * 60
        self._clock = clock
        self.relays: list[SupportRelay] = []
        # Set by the wiring once the engine exists: what shows the customer where they were.
        self.on_return: Callable[[TurnWrite], list[Reply]] | None = None

    @property
    def sla_minutes(self) -> float:
        """How long a customer should wait at most for a first staff reply."""
        return self._sla_seconds / 60

    async def opened(self, user: User) -> None:
        """After a turn opened a handoff: list it, watch its SLA, tell the relays."""
        handoff = user.state[HANDOFF]
        await self._redis.zadd(self._open, {user.id: handoff["started"]})
        job = Job(
            f"{SLA_KIND}:{user.id}:{handoff['id']}",
            {"kind": SLA_KIND, "user": user.id, "handoff": handoff["id"]},
        )
        await self._jobs.schedule(job, handoff["started"] + self._sla_seconds)
        for relay in self.relays:
            await relay.opened(user)

    async def start(self, user_id: str, *, by: str, reason: str) -> Handoff:
        """Staff take over; returns the open handoff (an already open one stays).

        Raises:
            HandoffClosed: there is no such customer.

        """
        async with self._locks.hold(user_id):
            user = await self._users.load(user_id)
            if user is None:
                raise HandoffClosed(f"no customer {user_id}")
            handoff = open_handoff(user, reason, by, self._clock())
            if handoff is None:
                return user.state[HANDOFF].copy()
            write = TurnWrite(user=user, at=handoff["started"])
            write.events.append(Record("handoff_started", {"by": by, "reason": reason}))
            await self._turns.commit(write)
        await self.opened(user)
        return handoff

    async def staff_reply(self, user_id: str, text: str, *, author: str) -> None:
        """Send a staff member's message to the customer, on whatever channel they use.

        Raises:
            HandoffClosed: the customer has no open handoff.

        """
        async with self._locks.hold(user_id):
            user = await self._active(user_id)
            now = self._clock()
            handoff = user.state[HANDOFF]
            if handoff["first_response"] is None:
                handoff["first_response"] = now
            reply = Reply(text, author=author.removeprefix("staff:"))
            target = await self._delivery.reply_target(user)  # where they wrote last
            channel = target[0] if target else self._channel(user)
            write = TurnWrite(user=user, at=now)
            write.entries.append(
                Entry.outbound(
                    reply, channel=channel, at=now, turn=f"handoff:{handoff['id']}", author=author
                )
            )
            await self._turns.commit(write)
        await self._delivery.deliver(user, [reply], staff=True)

    async def close(self, user_id: str, *, by: str) -> dict[str, Any]:
        """End the handoff, give the customer back to the bot and ask for a CSAT score.

        Raises:
            HandoffClosed: the customer has no open handoff.

        """
        async with self._locks.hold(user_id):
            user = await self._active(user_id)
            # Nobody to rate when no staff member wrote.
            staff_wrote = user.state[HANDOFF]["first_response"] is not None
            record, replies = self._end(user, by, ask_csat=staff_wrote)
            await self._commit_end(user, record, replies)
        await self._after_end(user, record, replies)
        return record

    def customer_back_to_bot(self, user: User) -> tuple[list[Effect], dict[str, Any]]:
        """The customer chose the bot again: effects for their turn; then call `ended`."""
        record, replies = self._end(user, "customer", ask_csat=False)
        return [KeepHandoff(record), *replies], record

    async def ended(self, user: User, record: dict[str, Any]) -> None:
        """After a handoff's end was committed: unlist it and tell the relays."""
        await self._redis.zrem(self._open, user.id)
        for relay in self.relays:
            await relay.closed(user, record)

    async def customer_message(self, user: User, inbound: Inbound) -> None:
        """A message during a handoff: copied to the support relays."""
        for relay in self.relays:
            await relay.customer_message(user, inbound)

    async def sla_due(self, job: Job) -> None:
        """Nobody answered in time: tell the customer, and offer the bot back."""
        user_id = await self._users.living(job.body["user"])  # the handoff moves with a merge
        async with self._locks.hold(user_id):
            user = await self._users.load(user_id)
            handoff = None if user is None else user.state.get(HANDOFF)
            if user is None or not handoff or handoff["id"] != job.body["handoff"]:
                return
            if handoff["first_response"] is not None:
                return
            texts = self._policies.current.common.handoff
            render = self._render(user)
            button = Button(render(texts.back_to_bot_button), BACK_TO_BOT)
            reply = Reply(render(texts.sla_missed), (button,))
            now = self._clock()
            handoff["sla_missed"] = now
            write = TurnWrite(user=user, at=now)
            write.entries.append(
                Entry.outbound(reply, channel=self._channel(user), at=now, turn="handoff:sla")
            )
            write.events.append(Record("handoff_sla_missed", {"handoff": handoff["id"]}))
            await self._turns.commit(write)
        await self._delivery.deliver(user, [reply])
        for relay in self.relays:
            await relay.sla_missed(user, self.sla_minutes)

    async def rated(self, user: User, answer: dict[str, Any]) -> None:
        """After a turn recorded the CSAT answer of a handoff: tell the relays."""
        for relay in self.relays:
            await relay.rated(user, answer)

    async def open_handoffs(self) -> list[dict[str, Any]]:
        """Every open handoff, longest waiting first."""
        now = self._clock()
        rows = await self._redis.zrange(self._open, 0, -1, withscores=True)
        users = await self._users.load_many([str(user_id) for user_id, _ in rows])
        listed = []
        for user in users:
            handoff = user.state.get(HANDOFF)
            if not handoff:
                continue
            listed.append(
                {
                    "user_id": user.id,
                    "channel": self._channel(user),
                    "identities": user.identities,
                    "stage": user.stage.value,
                    "reason": handoff["reason"],
                    "started": handoff["started"],
                    "waiting_seconds": round(now - handoff["started"], 3),
                    "first_response": handoff["first_response"],
                }
            )
        return listed

    async def open_count(self) -> int:
        """How many handoffs are open."""
        return int(await self._redis.zcard(self._open))

    async def history(self, user_id: str) -> list[dict[str, Any]]:
        """Every closed handoff of a customer, oldest first, with its CSAT score if given."""
        return await closed_handoffs(self._redis, self._keys, user_id)

    async def _active(self, user_id: str) -> User:
        user = await self._users.load(user_id)
        if user is None or not user.state.get(HANDOFF):
            raise HandoffClosed(f"customer {user_id} has no open handoff")
        return user

    def _end(self, user: User, by: str, *, ask_csat: bool) -> tuple[dict[str, Any], list[Reply]]:
        now = self._clock()
        handoff = user.state.pop(HANDOFF)
        first = handoff["first_response"]
        waited = None if first is None else round(first - handoff["started"], 3)
        record = {
            **handoff,
            "closed": now,
            "closed_by": by,
            "first_response_seconds": waited,
            "resolution_seconds": round(now - handoff["started"], 3),
        }
        texts = self._policies.current.common.handoff
        render = self._render(user)
        if by == "customer":
            return record, [Reply(render(texts.back_to_bot))]
        if not ask_csat:
            return record, [Reply(render(texts.closed))]
        user.state[CSAT_FOR] = handoff["id"]
        scores = tuple(Button(str(s), f'/csat{{"score": {s}}}') for s in range(1, 6))
        return record, [Reply(render(texts.closed)), Reply(render(texts.csat), scores)]

    def _record(self, write: TurnWrite, record: dict[str, Any]) -> None:
        write.handoffs.append(record)
        write.events.append(Record("handoff_closed", record))

    async def _commit_end(self, user: User, record: dict[str, Any], replies: list[Reply]) -> None:
        now = self._clock()
        write = TurnWrite(user=user, at=now)
        self._record(write, record)
        if self.on_return is not None:
            replies[1:1] = self.on_return(write)  # after "ended", before the CSAT question
        channel = self._channel(user)
        write.entries.extend(
            Entry.outbound(r, channel=channel, at=now, turn=f"handoff:{record['id']}")
            for r in replies
        )
        await self._turns.commit(write)

    async def _after_end(self, user: User, record: dict[str, Any], replies: list[Reply]) -> None:
        await self._delivery.deliver(user, replies)
        await self.ended(user, record)

    def _channel(self, user: User) -> str:
        target = self._delivery.channel_of(user)
        return target[0] if target else user.identities[0].partition(":")[0]

    def _render(self, user: User) -> Callable[[LocalizedText], str]:
        render = self._renderer.for_customer(user, self._policies.current.catalog)
        return lambda text: render(text, wait_minutes=round(self.sla_minutes))
