"""Turns nobody's message starts: proactive messages, staff stage moves, language choice."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from actions.context import Referrals
from bot.effects import Reply
from bot.errors import BotError
from bot.lifecycle import Locale, Stage, Transition
from bot.nlu.parse import Parse
from bot.policies.active import ActivePolicies
from bot.policies.schema import PolicySet
from bot.scheduler.follow_ups import FollowUpPlanner
from bot.scheduler.guardrails import Verdict
from bot.scheduler.proactive import PROACTIVE_INTENT, ProactiveChooser, ProactiveOutcome
from bot.store.ordering import TurnLocks
from bot.store.referrals import ReferralStore
from bot.store.transcript import Entry
from bot.store.turns import Turns, TurnWrite
from bot.store.users import Users
from bot.turn.apply import Performer
from bot.turn.context import Turn
from bot.user import User


class Initiated:
    """What the bot or staff start for a customer, each under the customer's lock."""

    def __init__(
        self,
        users: Users,
        turns: Turns,
        locks: TurnLocks,
        policies: ActivePolicies,
        referrals: ReferralStore,
        performer: Performer,
        clock: Callable[[], float],
        planner: FollowUpPlanner | None,
    ) -> None:
        self._users = users
        self._turns = turns
        self._locks = locks
        self._policies = policies
        self._referrals = referrals
        self._performer = performer
        self._clock = clock
        self._planner = planner

    async def proactive(self, user_id: str, choose: ProactiveChooser) -> ProactiveOutcome:
        """Run a message the bot starts (a follow-up, a broadcast) under the customer's lock.

        `choose` sees the customer, the policy set and the time, and returns what to do
        or why not (a `Verdict`). The replies are committed with their transcript entries
        and whatever `choose` marks on the customer, in one step; sending is the caller's.
        """
        user_id = await self._users.living(user_id)  # queued before a merge: the survivor
        async with self._locks.hold(user_id):
            user = await self._users.load(user_id)
            if user is None:
                return ProactiveOutcome(None, [], Verdict("drop", "no such customer"))
            now, policies = self._clock(), self._policies.current
            choice = await choose(user, policies, now)
            if isinstance(choice, Verdict):
                return ProactiveOutcome(user, [], choice)
            write = TurnWrite(user=user, at=now)
            referrals = await self._referrals.counts(user_id)
            turn = Turn(write, policies, "", Parse(PROACTIVE_INTENT, 1.0), now, referrals)
            replies = self._performer.perform(turn, choice.calls, choice.reason)
            replies = [] if choice.silent else [*replies, *choice.ready]
            if choice.hold is not None:  # sent later, transcribed then
                await choice.hold(user, replies)
                replies = []
            choice.mark(user)
            turn_id = f"{choice.reason}:{uuid.uuid4().hex[:8]}"
            write.entries.extend(
                Entry.outbound(
                    r, channel=choice.channel, at=now, turn=turn_id, revision=policies.revision
                )
                for r in replies
            )
            await self._plan(user, policies)
            await self._turns.commit(write)
            return ProactiveOutcome(user, replies, None, choice.channel)

    async def move_stage(self, user_id: str, stage: Stage, reason: str) -> User:
        """A manual move by staff, recorded in the history; no on_enter messages are sent."""
        async with self._locks.hold(user_id):
            user = await self._users.load(user_id)
            if user is None:
                raise BotError(f"no user {user_id}")
            write = TurnWrite(user=user)
            if stage != user.stage:
                now = self._clock()
                write.transitions.append(Transition(user.stage, stage, now, reason))
                user.stage, user.stage_entered_at = stage, now
                await self._plan(user, self._policies.current)
                await self._turns.commit(write)
            return user

    async def set_locale(self, channel: str, external_id: str, locale: Locale) -> bool:
        """Change a known customer's language (their own choice); False if they are new."""
        user_id = await self._users.resolve(channel, external_id)
        async with self._locks.hold(user_id):
            user = await self._users.load(user_id)
            if user is None:
                return False
            user.locale = locale
            await self._turns.commit(TurnWrite(user=user))
            return True

    def returned(self, write: TurnWrite) -> list[Reply]:
        """Where the customer was, shown when a handoff ends (the stage's `on_return`)."""
        policies = self._policies.current
        turn = Turn(write, policies, "", Parse(PROACTIVE_INTENT, 1.0), write.at, Referrals())
        calls = policies.stages[write.user.stage].on_return
        return self._performer.perform(turn, calls, "on_return")

    async def _plan(self, user: User, policies: PolicySet) -> None:
        if self._planner is not None:
            await self._planner.plan(user, policies)
