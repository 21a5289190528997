"""Merging two customers into one: `Merger.merge(survivor, absorbed)`.

The two customers live in different Redis Cluster slots, so no single transaction can
hold both. Instead the merge takes both customers' turn leases (in the order of their
ids, so two merges never wait on each other) and writes only through fenced scripts: a
lease lost midway refuses every later write. In order:

1. the survivor's slot: the merge record (the absorbed customer's snapshot, kept for
   `retention` for an unmerge), the interleaved histories, transcript and events, and
   the copies of the absorbed customer's stored answers (so a retried message is still
   answered once);
2. the absorbed identities, trial and referral codes point to the survivor;
3. the absorbed slot: its data goes, its user hash stays as a tombstone with no
   identity and `merged_into`;
4. the absorbed customer's queued follow-ups become the survivor's (`follow_ups`);
5. the survivor's record, through the observed turn commit: the stage the rules chose
   and a `linked` event, which the webhook observer sends as `customer.linked`.

A turn of the absorbed identity that arrived meanwhile waited on the absorbed lease;
it then loads the tombstone, which lacks its identity, so the engine forgets what it
remembered of the identity, resolves it again and lands on the survivor. That holds
for every replica, whatever it remembered.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AsyncExitStack

from redis.asyncio import Redis

from bot.effects import Record
from bot.lifecycle import Transition
from bot.linking.fenced import Command, FencedWrites
from bot.linking.follow_ups import QueuedFollowUps
from bot.linking.record import MergeRecord, NothingToMerge
from bot.linking.rules import (
    interleaved_events,
    interleaved_history,
    interleaved_transcript,
    merged_user,
    winning_stage,
)
from bot.linking.snapshot import Snapshot, data_keys, event_adds, pushes, read, times_adds
from bot.store.answers import ANSWER_TTL_SECONDS, LATEST_FIELD
from bot.store.keys import Keys
from bot.store.lease import Begun
from bot.store.living import MERGED_INTO
from bot.store.ordering import TurnLocks
from bot.store.turns import EVENTS_KEPT, Turns, TurnWrite
from bot.store.users import START_FIELD
from bot.user import User


class Merger:
    """Merges customers (see the module) and keeps what an unmerge needs."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        turns: Turns,
        *,
        clock: Callable[[], float],
        retention_seconds: float,
        transcript_keep: int = 0,
    ) -> None:
        self.redis, self.keys, self.turns = redis, keys, turns
        self.locks = TurnLocks(redis, keys)
        self.fenced = FencedWrites(redis, keys)
        self.clock = clock
        self.retention = retention_seconds
        self._keep = transcript_keep
        self.follow_ups = QueuedFollowUps(redis, keys)

    async def merge(
        self, survivor_id: str, absorbed_id: str, *, by: str, identity: str | None = None
    ) -> User:
        """Join two customers into `survivor_id`; returns the survivor as merged.

        `identity` (`telegram:123`) belongs to the absorbed customer even when it never
        had a turn (a first message that is a link code). When the survivor was never
        stored but the absorbed customer was, they swap.

        Raises:
            NothingToMerge: one customer, neither stored, or one already merged away.

        """
        if survivor_id == absorbed_id:
            raise NothingToMerge("these are one customer already")
        async with AsyncExitStack() as stack:
            held: dict[str, Begun] = {}
            for user_id in sorted((survivor_id, absorbed_id)):
                held[user_id] = await stack.enter_async_context(self.locks.hold(user_id, load=True))
            stored_s, stored_a = held[survivor_id].user, held[absorbed_id].user
            if not stored_s:
                if identity is not None or not stored_a:
                    raise NothingToMerge("the surviving customer was never seen")
                survivor_id, absorbed_id = absorbed_id, survivor_id
                stored_s, stored_a = stored_a, stored_s
            if MERGED_INTO in stored_s or MERGED_INTO in stored_a:
                raise NothingToMerge("one of them was merged into another customer already")
            return await self._merge(held, survivor_id, absorbed_id, by, identity)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _merge(
        self, held: dict[str, Begun], survivor_id: str, absorbed_id: str, by: str,
        identity: str | None,
    ) -> User:  # fmt: skip
        now = self.clock()
        stored_s, stored_a = held[survivor_id].user, held[absorbed_id].user
        mine = await read(self.redis, self.keys, survivor_id, stored_s)
        theirs = await read(self.redis, self.keys, absorbed_id, stored_a)
        survivor = User.from_hash(stored_s)
        absorbed = User.from_hash(stored_a) if stored_a else _never_seen(absorbed_id, survivor)
        for extra in [identity, *await self._contacts(absorbed)]:
            if extra is not None and extra not in absorbed.identities:
                absorbed.identities.append(extra)
        histories = (_history(mine), _history(theirs))
        merged = merged_user(survivor, absorbed, histories)
        record = MergeRecord(
            survivor_id, absorbed_id, by, now, list(absorbed.identities), _codes(absorbed),
            theirs, merged.notes, await self.follow_ups.waiting(absorbed, survivor),
        )  # fmt: skip
        answers, copies = await self._answers(absorbed_id, survivor_id)
        copies += _latest_answer(self.keys, survivor_id, stored_a, now)
        s_lease, a_lease = held[survivor_id].lease, held[absorbed_id].lease
        assert s_lease is not None and a_lease is not None  # no message id: always a lease
        await self.fenced.run(s_lease, self._survivor(record, mine, theirs) + copies)
        await self._repoint(record, survivor_id)
        await self.fenced.run(a_lease, self._tombstone(absorbed, theirs, survivor_id, answers))
        await self._membership(record, survivor_id, merged.user)
        await self.follow_ups.carry(absorbed_id, merged.user, record.follow_ups)
        user = merged.user
        write = TurnWrite(user=user, at=now)
        stage, entered = winning_stage(survivor, absorbed, histories)
        if stage != user.stage:
            write.transitions.append(Transition(user.stage, stage, now, f"merge:{absorbed_id}"))
            user.stage, user.stage_entered_at = stage, entered
        data = {"absorbed": absorbed_id, "identities": record.identities, "by": by}
        write.events.append(Record("linked", {**data, "notes": merged.notes}))
        await self.turns.commit(write)
        return user

    def _survivor(self, record: MergeRecord, mine: Snapshot, theirs: Snapshot) -> list[Command]:
        """The survivor slot's writes: the record, then everything interleaved or combined."""
        s, k = record.survivor, self.keys
        commands: list[Command] = [
            ("HSET", k.merges(s), record.absorbed, record.to_json()),
            ("EXPIRE", k.merges(s), str(int(self.retention) + 1)),
        ]
        log = interleaved_transcript(mine.log, theirs.log)
        log = log[-self._keep :] if self._keep else log
        stages = [t.to_json() for t in interleaved_history(_history(mine), _history(theirs))]
        handoffs = sorted([*mine.handoffs, *theirs.handoffs], key=_started)
        for key, items in ((k.stage_history(s), stages), (k.transcript_list(s), log),
                           (k.handoffs(s), handoffs)):  # fmt: skip
            commands += [("DEL", key), *pushes("RPUSH", key, items)]
        commands.append(("HDEL", k.user(s), START_FIELD))  # the first is in the list now
        commands.append(("DEL", k.transcript(s)))  # its entries are in the list now
        commands.append(("DEL", k.events(s)))
        events = interleaved_events(mine.events, theirs.events)
        commands += event_adds(k.events(s), events, EVENTS_KEPT)
        last_in = {c: at for c, at in theirs.last_in.items()
                   if float(at) > float(mine.last_in.get(c, "0"))}  # fmt: skip
        marks = {c: why for c, why in theirs.unreachable.items() if c not in mine.unreachable}
        for key, values in ((k.last_inbound(s), last_in), (k.unreachable(s), marks)):
            if values:
                commands.append(("HSET", key, *[x for pair in values.items() for x in pair]))
        commands += pushes("RPUSH", k.outbox(s), theirs.outbox)
        commands += pushes("SADD", k.referrals(s, "joined"), theirs.joined)
        commands += pushes("SADD", k.referrals(s, "credited"), theirs.credited)
        if theirs.support_topic is not None:  # staff go on in the topic they know
            commands.append(("SET", k.support_topic(s), theirs.support_topic, "NX"))
        return commands + times_adds(k, s, theirs.event_times)

    async def _answers(self, absorbed_id: str, survivor_id: str) -> tuple[list[str], list[Command]]:
        """The absorbed customer's dedupe keys, and their copies for the survivor."""
        found: list[str] = []
        copies: list[Command] = []
        k = self.keys
        for make in (k.inbound, k.event_seen):
            prefix = make(absorbed_id, "")
            async for key in self.redis.scan_iter(match=f"{prefix}*", count=1000):
                value, ttl = await self.redis.get(key), await self.redis.pttl(key)
                found.append(str(key))
                if value is not None and ttl > 0:
                    target = make(survivor_id, str(key)[len(prefix) :])
                    copies.append(("SET", target, str(value), "PX", str(ttl)))
        return found, copies

    async def _contacts(self, user: User) -> list[str]:
        """`email:<address>`/`phone:<number>` identities the events API gave the customer."""
        found = []
        for kind in ("email", "phone"):
            value = user.profile.get(kind)
            if value and await self.redis.get(self.keys.identity(kind, str(value))) == user.id:
                found.append(f"{kind}:{value}")
        return found

    async def _repoint(self, record: MergeRecord, to: str) -> None:
        """The absorbed identities and codes name `to` from now on."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for identity in record.identities:
                channel, _, external_id = identity.partition(":")
                pipe.set(self.keys.identity(channel, external_id), to)
            for kind, code in record.codes:
                pipe.set(self.keys.code(kind, code), to)
            await pipe.execute()

    def _tombstone(
        self, absorbed: User, theirs: Snapshot, survivor_id: str, answers: list[str]
    ) -> list[Command]:
        """The absorbed slot's writes: its data goes, a record without identity stays."""
        tomb = User(absorbed.id, absorbed.created, absorbed.locale, absorbed.stage,
                    absorbed.stage_entered_at).to_hash()  # fmt: skip
        tomb[MERGED_INTO] = survivor_id
        key = self.keys.user(absorbed.id)
        gone = data_keys(self.keys, absorbed.id, theirs) + answers
        # One key per command: the script declares each key it touches (Redis Cluster).
        deletes: list[Command] = [("DEL", each) for each in [key, *gone]]
        return [*deletes, ("HSET", key, *[x for pair in tomb.items() for x in pair])]

    async def _membership(self, record: MergeRecord, survivor_id: str, user: User) -> None:
        """Broadcast audience and the open-handoff list: the survivor only."""
        open_key = self.keys.open_handoffs()
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.srem(self.keys.all_users(), record.absorbed)
            pipe.sadd(self.keys.all_users(), survivor_id)
            pipe.zrem(open_key, record.absorbed)
            handoff = user.state.get("handoff")
            if handoff:
                pipe.zadd(open_key, {survivor_id: handoff["started"]})
            await pipe.execute()


def _history(snapshot: Snapshot) -> list[Transition]:
    return [Transition.from_json(raw) for raw in snapshot.stages]


def _started(raw: str) -> float:
    return float(json.loads(raw).get("started", 0))


def _codes(user: User) -> list[tuple[str, str]]:
    codes: list[tuple[str, str]] = []
    trial, referral = user.state.get("trial"), user.state.get("referral_code")
    if trial:
        codes.append(("trial", trial["code"]))
    if referral:
        codes.append(("referral", referral))
    return codes


def _never_seen(user_id: str, survivor: User) -> User:
    """An absorbed customer with no record: an identity that never had a turn."""
    s = survivor
    return User(user_id, s.created, s.locale, s.stage, s.stage_entered_at)


def _latest_answer(
    keys: Keys, survivor_id: str, stored: dict[str, str], now: float
) -> list[Command]:
    """The absorbed customer's latest answer marker (kept in their hash) as a survivor key.

    The marker names the turn whose replies the interleaved transcript still holds, so a
    retry of that message on either identity is answered once, from the survivor.
    """
    latest = stored.get(LATEST_FIELD)
    if not latest:
        return []
    count, at, message_id = latest.split(" ", 2)
    left = int(float(at) + ANSWER_TTL_SECONDS - now)
    if left <= 0:
        return []
    return [("SET", keys.inbound(survivor_id, message_id), "=" + count, "EX", str(left))]
