"""The studio's simulator: one made-up customer talking to a draft, and why the bot answered.

Each simulated customer lives under its own throw-away Redis key prefix, so it touches
no real customer, keeps its stage and language between messages, and disappears on
"reset" or an hour after its last message. The real engine runs the turn; the policy
set it runs is traced, so each reply comes with the intent, the rule or transition that
answered, the actions and the stage moves.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from pydantic import PrivateAttr

from bot.console.studio.needs import StudioNeeds
from bot.customer_state import HANDOFF, REFERRAL_CODE, TRIAL
from bot.inbound import Inbound
from bot.lifecycle import Locale, Stage
from bot.nlu.parse import Parse
from bot.policies.conditions import TurnFacts
from bot.policies.schema import Decision, PolicySet
from bot.store.keys import Keys
from bot.store.users import Users

CHANNEL, CUSTOMER = "simulator", "customer"
SIM_TTL_SECONDS = 3600
_SIM_ID = re.compile(r"^[0-9a-f]{16}$")


class TracedPolicySet(PolicySet):
    """A policy set that remembers every decision it makes, with the parse it saw."""

    _steps: list[tuple[Stage, Parse, Decision]] = PrivateAttr(default_factory=list)

    @classmethod
    def of(cls, policies: PolicySet) -> TracedPolicySet:
        """A traced copy of `policies` (the same rules, texts and revision)."""
        return cls.model_construct(**{f: getattr(policies, f) for f in PolicySet.model_fields})

    @property
    def steps(self) -> list[tuple[Stage, Parse, Decision]]:
        """Each decision of the turn: the stage, what the NLU understood, the decision."""
        return self._steps

    def decide(self, stage: Stage, facts: TurnFacts, *, transitions: bool = True) -> Decision:
        """The parent's decision, remembered (once, even when it was an awaited answer)."""
        known = len(self._steps)
        decision = super().decide(stage, facts, transitions=transitions)
        if len(self._steps) == known:
            self._steps.append((stage, facts.parse, decision))
        return decision

    def awaited(self, stage: Stage, facts: TurnFacts) -> Decision | None:
        """The parent's answer to a pending question, remembered."""
        decision = super().awaited(stage, facts)
        if decision is not None:
            self._steps.append((stage, facts.parse, decision))
        return decision


def new_sim_id() -> str:
    """A fresh simulated customer."""
    return secrets.token_hex(8)


def valid_sim_id(value: str) -> bool:
    """Whether `value` is a simulated customer's id (it becomes part of a Redis key)."""
    return bool(_SIM_ID.match(value))


class Simulator:
    """Runs simulated turns and places, moves and forgets simulated customers."""

    def __init__(self, needs: StudioNeeds) -> None:
        self._needs = needs
        self._redis = needs.redis

    def _prefix(self, sim_id: str) -> str:
        return f"{self._needs.keys.prefix}:sim:{sim_id}"

    async def place(
        self, sim_id: str, policies: PolicySet, stage: Stage, locale: Locale
    ) -> dict[str, Any]:
        """Create the customer if new, then put them in `stage`, speaking `locale`."""
        box = self._needs.sandbox(self._prefix(sim_id), policies)
        user_id = await box.users.resolve(CHANNEL, CUSTOMER)
        if await box.users.load(user_id) is None:
            # Recorded as a note: no policy runs, so no "previous message" skews the first.
            await box.engine.transcribe_only(
                Inbound(CHANNEL, CUSTOMER, "…", locale=locale), lambda _: []
            )
        await box.engine.move_stage(user_id, stage, "manual:simulator")
        await box.engine.set_locale(CHANNEL, CUSTOMER, locale)
        await self._keep(sim_id)
        return {"sim": sim_id, "stage": stage.value, "locale": locale}

    async def say(self, sim_id: str, policies: PolicySet, message: str) -> dict[str, Any]:
        """One customer message: the replies, and why."""
        traced = TracedPolicySet.of(policies)
        box = self._needs.sandbox(self._prefix(sim_id), traced)
        user_id = await box.users.resolve(CHANNEL, CUSTOMER)
        before = len(await box.users.stage_history(user_id))
        replies = await box.engine.handle(Inbound(CHANNEL, CUSTOMER, message))
        user = await box.users.load(user_id)
        moves = (await box.users.stage_history(user_id))[before:]
        await self._keep(sim_id)
        return {
            "sim": sim_id,
            "stage": user.stage.value if user else None,
            "locale": user.locale if user else None,
            "handoff": bool(user and user.state.get(HANDOFF)),
            "replies": [
                {
                    "text": r.text,
                    "buttons": [{"title": b.title, "payload": b.payload} for b in r.buttons],
                }
                for r in replies
            ],
            "steps": [_step(traced, stage, parse, d) for stage, parse, d in traced.steps],
            "moves": [
                {
                    "from": m.from_stage.value if m.from_stage else None,
                    "to": m.to_stage.value,
                    "reason": m.reason,
                    "on_enter": [c.name for c in traced.stages[m.to_stage].on_enter],
                }
                for m in moves
            ],
        }

    async def known(self, sim_id: str) -> bool:
        """Whether this simulated customer exists (it expires an hour after its last use)."""
        key = Keys(self._prefix(sim_id)).identity(CHANNEL, CUSTOMER)
        return bool(await self._redis.exists(key))

    async def forget(self, sim_id: str) -> None:
        """Delete every key of a simulated customer."""
        keys = await self._keys(sim_id)
        if keys:
            await self._redis.delete(*keys)

    async def _keep(self, sim_id: str) -> None:
        """Every key of the customer expires an hour after its last use (a closed tab)."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in await self._keys(sim_id):
                pipe.expire(key, SIM_TTL_SECONDS)
            await pipe.execute()

    async def _keys(self, sim_id: str) -> list[str]:
        """The keys a simulated customer can have, named rather than scanned for.

        SCAN walks the whole keyspace (seconds with a few hundred thousand customers);
        everything of one simulated customer is under its prefix, so the names are known.
        """
        keys = Keys(self._prefix(sim_id))
        user_id = await self._redis.get(keys.identity(CHANNEL, CUSTOMER))
        shared = [keys.identity(CHANNEL, CUSTOMER), keys.all_users(), keys.open_handoffs()]
        shared += [keys.jobs("due"), keys.jobs("bodies")]
        if user_id is None:
            return shared
        own = [keys.user(user_id), keys.stage_history(user_id), keys.transcript(user_id)]
        own += [keys.transcript_list(user_id), keys.wake(user_id), keys.wanted(user_id)]
        own += [keys.events(user_id), keys.outbox(user_id), keys.unreachable(user_id)]
        own += [keys.handoffs(user_id), keys.turn_lock(user_id), keys.support_topic(user_id)]
        own += [keys.referrals(user_id, "joined"), keys.referrals(user_id, "credited")]
        user = await Users(self._redis, keys).load(user_id)
        state = user.state if user else {}
        if isinstance(state.get(TRIAL), dict):
            own.append(keys.code("trial", str(state[TRIAL].get("code"))))
        if state.get(REFERRAL_CODE):
            own.append(keys.code("referral", str(state[REFERRAL_CODE])))
        return shared + own


def _step(policies: PolicySet, stage: Stage, parse: Parse, decision: Decision) -> dict[str, Any]:
    kind, _, name = decision.reason.partition(":")
    own = {r.name for r in policies.stages[stage].rules}
    where = "common" if kind == "rule" and name not in own else stage.value
    return {
        "stage": stage.value,
        "intent": parse.intent,
        "confidence": round(parse.confidence, 3),
        "entities": {e.entity: e.value for e in parse.entities},
        "kind": kind,
        "name": name,
        "where": where,
        "actions": [c.name for c in decision.calls],
    }
