"""Undoing a merge by staff, within the retention period.

The absorbed customer comes back from the snapshot the merge kept: their record, stage
history, transcript, events and the rest, as they were at the merge; their identities
and codes point to them again. The survivor loses those identities and the absorbed
customer's transcript entries, stage moves and event counts; what the survivor wrote
after the merge, on any channel, stays with the survivor, and so does the state the
merge combined (an opt-out given by either stays: asking again is the safe side). A
stage the merge gave the survivor goes back, unless the survivor moved on since.
Follow-ups carried over by the merge that have not fired go back (`follow_ups`).
Both turn leases are held, as for a merge.
"""

from __future__ import annotations

from contextlib import AsyncExitStack

from bot.effects import Record
from bot.lifecycle import Transition
from bot.linking.fenced import Command
from bot.linking.merge import Merger
from bot.linking.record import MergeRecord, NoSuchMerge
from bot.linking.snapshot import data_keys, restore
from bot.store.lease import Begun
from bot.store.living import MERGED_INTO
from bot.store.turns import EVENTS_KEPT, TurnWrite
from bot.user import User


async def merges_of(merger: Merger, survivor_id: str) -> list[MergeRecord]:
    """The merges into the customer that can still be undone, oldest first."""
    raw = await merger.redis.hgetall(merger.keys.merges(survivor_id))  # type: ignore[misc]
    records = [MergeRecord.from_json(value) for value in raw.values()]
    now = merger.clock()
    return sorted((r for r in records if now - r.at <= merger.retention), key=lambda r: r.at)


async def unmerge(merger: Merger, survivor_id: str, identity: str, *, by: str) -> str:
    """Give `identity`'s customer back their own record; returns their id.

    Raises:
        NoSuchMerge: no merge into `survivor_id` brought `identity`, or it is too old.

    """
    record = next((r for r in await merges_of(merger, survivor_id) if identity in r.identities),
                  None)  # fmt: skip
    if record is None:
        raise NoSuchMerge(f"no merge of {identity} into {survivor_id} to undo")
    async with AsyncExitStack() as stack:
        held: dict[str, Begun] = {}
        for user_id in sorted((survivor_id, record.absorbed)):
            held[user_id] = await stack.enter_async_context(merger.locks.hold(user_id, load=True))
        tomb, stored = held[record.absorbed].user, held[survivor_id].user
        if tomb.get(MERGED_INTO) != survivor_id or not stored:
            raise NoSuchMerge(f"{record.absorbed} is not merged into {survivor_id}")
        a_lease, s_lease = held[record.absorbed].lease, held[survivor_id].lease
        assert a_lease is not None and s_lease is not None
        snapshot, absorbed = record.snapshot, record.absorbed
        gone: list[Command] = [("DEL", key) for key in data_keys(merger.keys, absorbed, snapshot)]
        back = restore(merger.keys, absorbed, snapshot, events_kept=EVENTS_KEPT)
        await merger.fenced.run(a_lease, gone + back)
        await _point_back(merger, record)
        await merger.fenced.run(s_lease, _survivor_without(merger, record))
        await _topic_back(merger, record)
        user = User.from_hash(stored)
        user.identities = [i for i in user.identities if i not in record.identities]
        await merger.follow_ups.give_back(record.absorbed, user, record.follow_ups)
        write = TurnWrite(user=user, at=merger.clock())
        await _stage_back(merger, write, record.absorbed)
        write.events.append(Record("unlinked", {"absorbed": record.absorbed, "by": by}))
        await merger.turns.commit(write)
    return record.absorbed


async def _stage_back(merger: Merger, write: TurnWrite, absorbed: str) -> None:
    """The stage the survivor had, when the merge moved it and nothing moved it since."""
    raw = await merger.redis.lindex(merger.keys.stage_history(write.user.id), -1)  # type: ignore[misc]
    last = None if raw is None else Transition.from_json(raw)
    if last is None or last.reason != f"merge:{absorbed}" or last.from_stage is None:
        return
    user = write.user
    write.transitions.append(
        Transition(user.stage, last.from_stage, write.at, f"unmerge:{absorbed}")
    )
    user.stage, user.stage_entered_at = last.from_stage, write.at


async def _point_back(merger: Merger, record: MergeRecord) -> None:
    """Identities, codes, the audience and an open handoff: the absorbed customer's again."""
    keys, absorbed = merger.keys, record.absorbed
    async with merger.redis.pipeline(transaction=False) as pipe:
        for identity in record.identities:
            channel, _, external_id = identity.partition(":")
            pipe.set(keys.identity(channel, external_id), absorbed)
        for kind, code in record.codes:
            pipe.set(keys.code(kind, code), absorbed)
        if record.snapshot.user:
            pipe.sadd(keys.all_users(), absorbed)
        if record.snapshot.open_handoff is not None:
            pipe.zadd(keys.open_handoffs(), {absorbed: record.snapshot.open_handoff})
        await pipe.execute()


async def _topic_back(merger: Merger, record: MergeRecord) -> None:
    """The survivor took the absorbed customer's support topic: it is theirs again."""
    topic, key = record.snapshot.support_topic, merger.keys.support_topic(record.survivor)
    if topic is not None and await merger.redis.get(key) == topic:
        await merger.redis.delete(key)


def _survivor_without(merger: Merger, record: MergeRecord) -> list[Command]:
    """The survivor slot's writes: the absorbed entries and counts out, the record gone."""
    keys, s, snapshot = merger.keys, record.survivor, record.snapshot
    commands: list[Command] = [("HDEL", keys.merges(s), record.absorbed)]
    commands += [("LREM", keys.transcript_list(s), "1", raw) for raw in snapshot.log]
    commands += [("LREM", keys.stage_history(s), "1", raw) for raw in snapshot.stages]
    for name, pairs in snapshot.event_times.items():
        if pairs:
            commands.append(("ZREM", keys.event_times(s, name), *[m for m, _ in pairs]))
    return commands
