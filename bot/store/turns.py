"""The atomic write of one turn (its stored answer: `bot.store.answers`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from bot.customer_state import REFERRED_BY
from bot.effects import ClaimCode, Record, Reply
from bot.errors import BotError
from bot.lifecycle import Transition
from bot.store.answers import REMEMBER, Answers, answer_command, in_transcript
from bot.store.keys import Keys
from bot.store.lease import WAKE, LockLost, lease_of
from bot.store.living import living_id
from bot.store.transcript import APPEND, Entry, Transcript
from bot.store.users import START_FIELD, start_value
from bot.user import User

EVENTS_KEPT = 10_000  # per customer; analytics reads them long before that
_REFERRER_FIELD = {"referred": "by", "referral_credited": "referrer"}  # see bot.referral


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


# KEYS: lock, wake, wanted, then the keys of the writes; ARGV: token ("" outside a
# lease: no fence), wake list ms,
# "1" to end the lease, then each write as: its argument count, command, key index, args.
_COMMIT = (
    APPEND
    + REMEMBER
    + """
if ARGV[1] ~= '' and redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
local i = 4
while i <= #ARGV do
  local count = tonumber(ARGV[i])
  local call = {ARGV[i + 1], KEYS[tonumber(ARGV[i + 2])]}
  for j = 1, count do call[j + 2] = ARGV[i + 2 + j] end
  if call[1] == 'TAPPEND' then
    append(call[2], call[3], tonumber(call[4]))
  elseif call[1] == 'TANSWER' then
    remember(call[2], call[3], call[4], call[5], tonumber(call[6]))
  else
    redis.call(unpack(call))
  end
  i = i + count + 3
end
if ARGV[3] == '1' then
"""
    + WAKE
    + """
end
return 1
"""
)
WAKE_LIST_MS = 60_000  # a push nobody took is dropped after this (the waiter gave up)

Command = tuple[str, ...]
"""A Redis command: its name, its key, its arguments."""


class Turns:
    """Commits turns atomically; all keys share the user's hash tag (one cluster slot)."""

    def __init__(self, redis: Redis, keys: Keys, transcript: Transcript) -> None:
        self._redis = redis
        self._keys = keys
        self._transcript = transcript
        self._commit = redis.register_script(_COMMIT)
        self.answers = Answers(redis, keys)

    async def answered(self, user_id: str, message_id: str) -> list[Reply] | None:
        """The replies already given to `message_id`, or None if it was never processed."""
        raw = await self.answers.stored(user_id, message_id)
        return None if raw is None else await self.answers.replies(user_id, message_id, raw)

    async def commit(self, write: TurnWrite, *, release: bool = False) -> None:
        """Write the turn atomically: a failure before it leaves the user untouched.

        Under the customer's lease (`TurnLocks.hold`) the write is one script that first
        checks the lease's fencing token, so a holder whose lease expired cannot write
        (`LockLost`, and nothing is written); `release` ends the lease in the same
        script. Codes and referral counts live on keys of other slots, so they are written
        first: both writes are idempotent, and a turn retried after a crash redoes them.
        """
        await self._shared(write)
        commands = self._commands(write)
        lease = lease_of(write.user.id)
        if lease is None:
            keys, args = _script_form(self._end_keys(write.user.id), commands)
            await self._commit(keys=keys, args=["", WAKE_LIST_MS, "0", *args])
            return
        if lease.released:
            raise LockLost(f"a second commit of user {lease.user_id} after its lease ended")
        keys, args = _script_form(self._end_keys(lease.user_id), commands)
        done = await self._commit(keys=keys, args=[lease.token, WAKE_LIST_MS, int(release), *args])
        if not done:
            lease.released = True
            raise LockLost(f"the lease of user {lease.user_id} expired before its commit")
        lease.released = release

    def _end_keys(self, user_id: str) -> list[str]:
        k = self._keys
        return [k.turn_lock(user_id), k.wake(user_id), k.wanted(user_id)]

    def _commands(self, write: TurnWrite) -> list[Command]:
        user_id, k = write.user.id, self._keys
        fields = write.user.to_hash()
        stale = write.user.stale_fields(fields)
        commands: list[Command] = [("HDEL", k.user(user_id), *stale)] if stale else []
        commands.append(("HSET", k.user(user_id), *[x for pair in fields.items() for x in pair]))
        for t in write.transitions:
            # The first one (the customer's creation) lives in the hash: one key less.
            if t.from_stage is None:
                commands.append(("HSET", k.user(user_id), START_FIELD, start_value(t)))
            else:
                commands.append(("RPUSH", k.stage_history(user_id), t.to_json()))
        commands += [self._transcript.command(user_id, e) for e in write.entries]
        commands += [("RPUSH", k.handoffs(user_id), json.dumps(r)) for r in write.handoffs]
        for event in write.events:
            data = ("kind", event.kind, "at", repr(write.at), "data", json.dumps(event.data))
            trim = ("MAXLEN", "~", str(EVENTS_KEPT))
            commands.append(("XADD", k.events(user_id), *trim, "*", *data))
        if write.message_id is not None:
            kept = in_transcript(
                write.message_id, write.replies, write.entries, self._transcript.keep
            )
            commands.append(answer_command(k, user_id, write.message_id, write.replies, kept))
        return commands

    async def _shared(self, write: TurnWrite) -> None:
        user_id = write.user.id
        for claim in write.claims:
            key = self._keys.code(claim.kind, claim.code)
            claimed = await self._redis.set(key, user_id, nx=True)
            if not claimed and await self._redis.get(key) != user_id:
                raise CodeTaken(f"{claim.kind} code {claim.code} belongs to someone else")
        for stored, which in write.referrals:
            # The friend may name a referrer merged into another customer since.
            referrer = await living_id(self._redis, self._keys, stored)
            await self._redis.sadd(self._keys.referrals(referrer, which), user_id)  # type: ignore[misc]
            if referrer != stored:
                _renamed(write, stored, referrer)


def _renamed(write: TurnWrite, absorbed: str, survivor: str) -> None:
    """The friend's record and their credit event name the survivor from now on."""
    if write.user.state.get(REFERRED_BY) == absorbed:
        write.user.state[REFERRED_BY] = survivor
    for event in write.events:
        name = _REFERRER_FIELD.get(event.kind)
        if name is not None and event.data.get(name) == absorbed:
            event.data[name] = survivor


def _script_form(keys: list[str], commands: list[Command]) -> tuple[list[str], list[str]]:
    """KEYS and ARGV of the commit script: every key once, commands naming them by index."""
    index = {key: i for i, key in enumerate(keys, start=1)}
    args: list[str] = []
    for name, key, *rest in commands:
        if key not in index:
            keys.append(key)
            index[key] = len(keys)
        args += [str(len(rest)), name, str(index[key]), *rest]
    return keys, args
