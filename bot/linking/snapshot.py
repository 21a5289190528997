"""Everything held under one customer's keys, read in one go.

It is what a merge folds into the survivor and keeps for an unmerge, and what an
unmerge writes back.

Stored answers (`in:<message id>`) and product-event ids (`event:<id>`) are not part of
it: they only deduplicate, so a merge copies them to the survivor (with their expiry)
and an unmerge leaves them there.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from redis.asyncio import Redis

from bot.store.keys import Keys
from bot.store.users import START_FIELD, history_of

Command = tuple[str, ...]
CHUNK = 500  # items per RPUSH/SADD: Lua's unpack takes a few thousand arguments at most
# Fields of an entry of the old transcript stream -> the list's one-letter names.
_LEGACY = {"dir": "d", "channel": "c", "text": "x", "turn": "t", "intent": "i", "author": "u",
           "revision": "r"}  # fmt: skip


@dataclass(slots=True)
class Snapshot:
    """One customer's stored data (JSON-ready), see the module."""

    user: dict[str, str]
    stages: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    events: list[dict[str, str]] = field(default_factory=list)
    handoffs: list[str] = field(default_factory=list)
    last_in: dict[str, str] = field(default_factory=dict)
    unreachable: dict[str, str] = field(default_factory=dict)
    outbox: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)
    credited: list[str] = field(default_factory=list)
    event_times: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    open_handoff: float | None = None
    support_topic: str | None = None  # `<chat>:<thread>` in the support group

    def to_json(self) -> str:
        """The form kept in the merge record."""
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str) -> Snapshot:
        """Inverse of `to_json`."""
        data: dict[str, Any] = json.loads(raw)
        data["event_times"] = {
            name: [(str(m), float(s)) for m, s in pairs]
            for name, pairs in data["event_times"].items()
        }
        return cls(**data)


async def read(redis: Redis, keys: Keys, user_id: str, user: dict[str, str]) -> Snapshot:
    """The customer's data as stored now (`user` is their hash, read under their lease)."""
    async with redis.pipeline(transaction=False) as pipe:
        pipe.lrange(keys.stage_history(user_id), 0, -1)
        pipe.xrange(keys.transcript(user_id))
        pipe.lrange(keys.transcript_list(user_id), 0, -1)
        pipe.xrange(keys.events(user_id))
        pipe.lrange(keys.handoffs(user_id), 0, -1)
        pipe.hgetall(keys.last_inbound(user_id))
        pipe.hgetall(keys.unreachable(user_id))
        pipe.lrange(keys.outbox(user_id), 0, -1)
        pipe.smembers(keys.referrals(user_id, "joined"))
        pipe.smembers(keys.referrals(user_id, "credited"))
        pipe.zscore(keys.open_handoffs(), user_id)
        pipe.get(keys.support_topic(user_id))
        found = await pipe.execute()
    stages, legacy, log, events, handoffs, last_in, unreachable, outbox, joined, credited = found[
        :10
    ]
    times = {}
    prefix = keys.event_times(user_id, "")
    async for key in redis.scan_iter(match=f"{prefix}*", count=1000):
        pairs = await redis.zrange(key, 0, -1, withscores=True)
        times[str(key)[len(prefix) :]] = [(str(m), float(s)) for m, s in pairs]
    # A customer's first transition lives in their hash (`h0`): the snapshot keeps the
    # whole history in `stages`, so it interleaves and restores like the rest.
    first = [t.to_json() for t in history_of(user.get(START_FIELD), [])]
    return Snapshot(
        user={name: value for name, value in user.items() if name != START_FIELD},
        stages=first + list(stages),
        log=[_from_stream(i, f) for i, f in legacy] + list(log),
        events=[dict(fields) for _, fields in events],
        handoffs=list(handoffs),
        last_in=dict(last_in),
        unreachable=dict(unreachable),
        outbox=list(outbox),
        joined=sorted(joined),
        credited=sorted(credited),
        event_times=times,
        open_handoff=None if found[10] is None else float(found[10]),
        support_topic=found[11],
    )


def _from_stream(entry_id: str, fields: dict[str, str]) -> str:
    """An entry of the old transcript stream in the list's stored form."""
    data: dict[str, Any] = {"id": entry_id}
    data.update({_LEGACY[k]: v for k, v in fields.items() if k in _LEGACY})
    data["a"] = float(fields.get("at", 0))
    if "buttons" in fields:
        data["b"] = [[b["title"], b["payload"]] for b in json.loads(fields["buttons"])]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def data_keys(keys: Keys, user_id: str, snapshot: Snapshot) -> list[str]:
    """The keys holding the customer's data (their user hash excepted)."""
    found = [
        keys.stage_history(user_id), keys.transcript(user_id), keys.transcript_list(user_id),
        keys.events(user_id), keys.handoffs(user_id), keys.last_inbound(user_id),
        keys.unreachable(user_id), keys.outbox(user_id), keys.referrals(user_id, "joined"),
        keys.referrals(user_id, "credited"),
    ]  # fmt: skip
    return found + [keys.event_times(user_id, name) for name in snapshot.event_times]


def pushes(name: str, key: str, items: list[str]) -> list[Command]:
    """`RPUSH`/`SADD` of many items, in chunks Lua can unpack."""
    return [(name, key, *items[i : i + CHUNK]) for i in range(0, len(items), CHUNK)]


def restore(keys: Keys, user_id: str, snapshot: Snapshot, *, events_kept: int) -> list[Command]:
    """The commands that write `snapshot` back under `user_id` (on emptied keys)."""
    hash_items = [x for pair in snapshot.user.items() for x in pair]
    commands: list[Command] = [("DEL", keys.user(user_id))]
    if hash_items:  # an identity that never had a turn has no record to restore
        commands.append(("HSET", keys.user(user_id), *hash_items))
    commands += pushes("RPUSH", keys.stage_history(user_id), snapshot.stages)
    commands += pushes("RPUSH", keys.transcript_list(user_id), snapshot.log)
    commands += event_adds(keys.events(user_id), snapshot.events, events_kept)
    commands += pushes("RPUSH", keys.handoffs(user_id), snapshot.handoffs)
    commands += pushes("RPUSH", keys.outbox(user_id), snapshot.outbox)
    commands += pushes("SADD", keys.referrals(user_id, "joined"), snapshot.joined)
    commands += pushes("SADD", keys.referrals(user_id, "credited"), snapshot.credited)
    for hash_key, values in ((keys.last_inbound(user_id), snapshot.last_in),
                             (keys.unreachable(user_id), snapshot.unreachable)):  # fmt: skip
        if values:
            commands.append(("HSET", hash_key, *[x for pair in values.items() for x in pair]))
    commands += times_adds(keys, user_id, snapshot.event_times)
    return commands


def event_adds(key: str, events: list[dict[str, str]], kept: int) -> list[Command]:
    """`XADD` of each event's fields, in order, trimmed as the turns trim."""
    trim = ("MAXLEN", "~", str(kept))
    return [("XADD", key, *trim, "*", *[x for p in e.items() for x in p]) for e in events]


def times_adds(
    keys: Keys, user_id: str, times: dict[str, list[tuple[str, float]]]
) -> list[Command]:
    """`ZADD` of the product events' times, per event name."""
    commands: list[Command] = []
    for name, pairs in times.items():
        flat = [x for member, score in pairs for x in (repr(score), member)]
        commands += pushes("ZADD", keys.event_times(user_id, name), flat)
    return commands
