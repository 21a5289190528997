"""The turn engine: one inbound message through the pipeline of DESIGN.md.

identity -> per-user ordering -> idempotency -> NLU (payloads skip it) -> stage policy
-> actions return effects -> effects applied in memory -> one atomic commit -> replies.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from actions import ACTIONS, ActionContext
from actions.context import Links, Referrals
from bot import referral
from bot.effects import (
    ClaimCode,
    MoveStage,
    Record,
    Reply,
    RequestHandoff,
    SetState,
    UpdateProfile,
)
from bot.errors import BotError, NluUnavailable
from bot.handoff import HandoffDesk, open_handoff
from bot.inbound import Inbound
from bot.lifecycle import INITIAL_STAGE, Locale, Stage, Transition
from bot.locale import guess_locale
from bot.metrics import Metrics
from bot.nlu import Nlu
from bot.nlu.intents import KNOWN_INTENTS
from bot.nlu.parse import FALLBACK_INTENT, Parse
from bot.payload import is_payload, parse_payload
from bot.policies.active import ActivePolicies
from bot.policies.conditions import TurnFacts
from bot.policies.handoff_texts import BACK_TO_BOT
from bot.policies.render import Renderer
from bot.policies.schema import ActionCallBase, PolicySet
from bot.scheduler.follow_ups import FollowUpPlanner
from bot.scheduler.guardrails import Verdict
from bot.scheduler.proactive import PROACTIVE_INTENT, ProactiveChooser, ProactiveOutcome
from bot.store.ordering import TurnLocks
from bot.store.referrals import ReferralStore
from bot.store.transcript import Entry
from bot.store.turns import Turns, TurnWrite
from bot.store.users import Users
from bot.user import User

log = logging.getLogger(__name__)

# on_enter actions may move the customer again; this bounds a misconfigured cycle.
MAX_ENTER_DEPTH = 3

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def random_code(length: int = 8) -> str:
    """A random code customers can type: 8 characters, 40 bits."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


APOLOGY: dict[Locale, str] = {
    "vi": "Xin lỗi, mình đang gặp sự cố nhỏ. Bạn thử lại sau ít phút nhé.",
    "en": "Sorry, something went wrong on our side. Please try again in a few minutes.",
}


@dataclass(slots=True)
class _Turn:
    """The working state of one turn while its actions run."""

    user: User
    write: TurnWrite
    policies: PolicySet
    message: str
    parse: Parse
    now: float
    referrals: Referrals


class Engine:
    """Runs turns; every dependency is injected by the wiring function."""

    def __init__(
        self,
        *,
        users: Users,
        turns: Turns,
        locks: TurnLocks,
        nlu: Nlu | None,
        policies: ActivePolicies,
        renderer: Renderer,
        referrals: ReferralStore,
        links: Links,
        default_locale: Locale,
        clock: Callable[[], float] = time.time,
        new_code: Callable[[], str] = random_code,
        planner: FollowUpPlanner | None = None,
        handoffs: HandoffDesk | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self._users = users
        self._turns = turns
        self._locks = locks
        self._nlu = nlu
        self._policies = policies
        self._renderer = renderer
        self._referrals = referrals
        self._links = links
        self._default_locale = default_locale
        self._clock = clock
        self._new_code = new_code
        self._planner = planner
        self._handoffs = handoffs
        self._metrics = metrics or Metrics()

    async def handle(self, inbound: Inbound) -> list[Reply]:
        """Process one customer message and return the replies to send."""
        user_id = await self._users.resolve(inbound.channel, inbound.external_id)
        after: list[Callable[[], Awaitable[None]]] = []
        try:
            async with self._locks.hold(user_id):
                return await self._turn(user_id, inbound, after)
        finally:
            await _notify(after)

    async def _turn(
        self, user_id: str, inbound: Inbound, after: list[Callable[[], Awaitable[None]]]
    ) -> list[Reply]:
        """`handle` under the customer's lock; what relays must hear goes to `after`."""
        if inbound.message_id is not None:
            answered = await self._turns.answered(user_id, inbound.message_id)
            if answered is not None:
                log.info(
                    "duplicate message %s of user %s answered from store",
                    inbound.message_id,
                    user_id,
                )
                return answered
        now = self._clock()
        # Independent reads: one wait instead of two.
        (user, created), referrals = await asyncio.gather(
            self._load_or_create(user_id, inbound, now), self._referrals.counts(user_id)
        )
        user.profile.update(inbound.profile)
        user.state["last_seen"] = now
        write = TurnWrite(user=user, message_id=inbound.message_id, at=now)
        if created:
            write.transitions.append(Transition(None, INITIAL_STAGE, now, "start"))
        if user.state.get("handoff") and self._handoffs is not None:
            return await self._during_handoff(inbound, write, self._handoffs, after)
        parse = await self._understand(inbound.text)
        turn_id = inbound.message_id or uuid.uuid4().hex
        policies = self._policies.current
        write.entries.append(
            Entry(
                "in",
                inbound.channel,
                inbound.text,
                now,
                turn_id,
                intent=parse.intent if parse else None,
                revision=policies.revision,
            )
        )
        greeting = []
        if inbound.referral is not None:
            render = self._render_for(user, policies)
            greeting = await referral.attribute(
                inbound.referral,
                write,
                created,
                policies.common.referral,
                self._referrals,
                render,
            )
        before, transitions = copy.deepcopy(user), list(write.transitions)
        kept = len(write.events), len(write.claims), len(write.referrals)
        try:
            turn = _Turn(
                user,
                write,
                policies,
                inbound.text,
                parse or Parse(FALLBACK_INTENT, 0.0),
                now,
                referrals,
            )
            replies = greeting + self._decide(turn, understood=parse is not None)
        except BotError:
            # A half-run policy must not leave half its effects: keep only the message.
            log.exception("turn %s of user %s failed; apologising", turn_id, user_id)
            write.user, write.transitions = before, transitions
            del write.events[kept[0] :], write.claims[kept[1] :], write.referrals[kept[2] :]
            write.handoff_opened = False
            replies = [Reply(APOLOGY[before.locale])]
        write.replies = replies
        write.entries.extend(
            Entry.outbound(
                r, channel=inbound.channel, at=now, turn=turn_id, revision=policies.revision
            )
            for r in replies
        )
        await self._plan(write.user, policies)
        await self._turns.commit(write)
        if self._handoffs is not None:
            after.append(partial(self._after_commit, write, self._handoffs))
        intent = parse.intent if parse else None
        self._metrics.turn(inbound.channel, intent, self._clock() - now)
        return replies

    @staticmethod
    async def _after_commit(write: TurnWrite, handoffs: HandoffDesk) -> None:
        if write.handoff_opened:
            await handoffs.opened(write.user)
        for event in write.events:
            if event.kind == "csat" and "handoff" in event.data:
                await handoffs.rated(write.user, event.data)

    async def _during_handoff(
        self,
        inbound: Inbound,
        write: TurnWrite,
        handoffs: HandoffDesk,
        after: list[Callable[[], Awaitable[None]]],
    ) -> list[Reply]:
        """A person owns the conversation: record the message, say nothing yourself."""
        user, now = write.user, write.at
        turn_id = inbound.message_id or uuid.uuid4().hex
        write.entries.append(Entry("in", inbound.channel, inbound.text, now, turn_id))
        replies: list[Reply] = []
        record = None
        if inbound.text.strip() == BACK_TO_BOT:
            replies, record = handoffs.customer_back_to_bot(user, write)
        write.replies = replies
        write.entries.extend(
            Entry.outbound(r, channel=inbound.channel, at=now, turn=turn_id) for r in replies
        )
        await self._turns.commit(write)
        if record is not None:
            after.append(partial(handoffs.ended, user, record))
        else:
            after.append(partial(handoffs.customer_message, user, inbound))
        return replies

    async def proactive(self, user_id: str, choose: ProactiveChooser) -> ProactiveOutcome:
        """Run a message the bot starts (a follow-up, a broadcast) under the customer's lock.

        `choose` sees the customer, the policy set and the time, and returns what to do
        or why not (a `Verdict`). The replies are committed with their transcript entries
        and whatever `choose` marks on the customer, in one step; sending is the caller's.
        """
        async with self._locks.hold(user_id):
            user = await self._users.load(user_id)
            if user is None:
                return ProactiveOutcome(None, [], Verdict("drop", "no such customer"))
            now, policies = self._clock(), self._policies.current
            choice = await choose(user, policies, now)
            if isinstance(choice, Verdict):
                return ProactiveOutcome(user, [], choice)
            write = TurnWrite(user=user, at=now)
            parse = Parse(PROACTIVE_INTENT, 1.0)
            referrals = await self._referrals.counts(user_id)
            turn = _Turn(user, write, policies, "", parse, now, referrals)
            replies = self._perform(turn, choice.calls, choice.reason, 0)
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
            return ProactiveOutcome(user, replies, None)

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

    async def _plan(self, user: User, policies: PolicySet) -> None:
        if self._planner is not None:
            await self._planner.plan(user, policies)

    async def _load_or_create(
        self, user_id: str, inbound: Inbound, now: float
    ) -> tuple[User, bool]:
        user = await self._users.load(user_id)
        if user is not None:
            return user, False
        if inbound.locale is not None:
            locale = inbound.locale
        elif is_payload(inbound.text):
            locale = self._default_locale
        else:
            locale = guess_locale(inbound.text, self._default_locale)
        user = User(
            id=user_id,
            created=now,
            locale=locale,
            stage=INITIAL_STAGE,
            stage_entered_at=now,
            identities=[f"{inbound.channel}:{inbound.external_id}"],
        )
        return user, True

    async def _understand(self, text: str) -> Parse | None:
        """The parse of `text`, or None when free text cannot be understood (NLU down)."""
        if is_payload(text):
            return parse_payload(text, KNOWN_INTENTS)
        if self._nlu is None:
            return None
        try:
            return await self._nlu.parse(text)
        except NluUnavailable:
            return None

    def _decide(self, turn: _Turn, *, understood: bool) -> list[Reply]:
        user, policies = turn.user, turn.policies
        facts = TurnFacts(
            parse=turn.parse,
            profile=user.profile,
            previous_intent=user.state.get("last_intent"),
            awaiting=user.state.pop("awaiting", None),
            free_text=not is_payload(turn.message),
        )
        if not understood:
            awaited = policies.awaited(user.stage, facts)
            if awaited is not None:
                return self._perform(turn, awaited.calls, awaited.reason, 0)
            return self._perform(turn, policies.common.nlu_unavailable, "nlu_unavailable", 0)
        stage = user.stage
        decision = policies.decide(stage, facts)
        replies = self._perform(turn, decision.calls, decision.reason, 0)
        if decision.replay and user.stage != stage:
            again = policies.decide(user.stage, facts, transitions=False)
            replies += self._perform(turn, again.calls, again.reason, 0)
        fallbacks = user.state.get("fallbacks_in_row", 0)
        is_fallback = turn.parse.intent == FALLBACK_INTENT
        user.state["fallbacks_in_row"] = fallbacks + 1 if is_fallback else 0
        user.state["last_intent"] = turn.parse.intent
        return replies

    def _perform(
        self, turn: _Turn, calls: list[ActionCallBase], reason: str, depth: int
    ) -> list[Reply]:
        user, write = turn.user, turn.write
        ctx = ActionContext(
            user=user,
            message=turn.message,
            parse=turn.parse,
            locale=user.locale,
            reason=reason,
            now=turn.now,
            catalog=turn.policies.catalog,
            checklist=turn.policies.stages[user.stage].checklist,
            referrals=turn.referrals,
            links=self._links,
            render=self._render_for(user, turn.policies),
            new_code=self._new_code,
            support_wait_minutes=self._handoffs.sla_minutes if self._handoffs else 15,
        )
        replies: list[Reply] = []
        for call in calls:
            for effect in ACTIONS[call.name].run(call.args, ctx):
                match effect:
                    case Reply():
                        replies.append(effect)
                    case MoveStage(stage=stage, reason=why) if stage != user.stage:
                        write.transitions.append(Transition(user.stage, stage, turn.now, why))
                        user.stage, user.stage_entered_at = stage, turn.now
                        referral.credit(write, turn.policies.common.referral)
                        if depth < MAX_ENTER_DEPTH:
                            on_enter = turn.policies.stages[stage].on_enter
                            replies += self._perform(
                                turn, on_enter, f"on_enter:{stage.value}", depth + 1
                            )
                    case UpdateProfile(values=values):
                        user.profile.update(values)
                    case SetState(key=key, value=value):
                        user.state[key] = value
                    case RequestHandoff(reason=why):
                        if open_handoff(user, why, "bot", turn.now) is not None:
                            write.handoff_opened = True
                            write.events.append(Record("handoff_started", {"reason": why}))
                    case ClaimCode():
                        write.claims.append(effect)
                    case Record():
                        write.events.append(effect)
        return replies

    def _render_for(self, user: User, policies: PolicySet) -> Callable[..., str]:
        return self._renderer.for_customer(user, policies.catalog)

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

    async def note(
        self, inbound: Inbound, replies_for: Callable[[Locale], list[Reply]]
    ) -> list[Reply]:
        """Transcribe a message no policy handles (a sticker, an edit) with its replies.

        No NLU and no policy run; the customer is created if new, so staff find them.
        `replies_for` gets the customer's language. Idempotent by `message_id` like
        `handle`.
        """
        user_id = await self._users.resolve(inbound.channel, inbound.external_id)
        after: list[Callable[[], Awaitable[None]]] = []
        try:
            async with self._locks.hold(user_id):
                return await self._note(user_id, inbound, after, replies_for)
        finally:
            await _notify(after)

    async def _note(
        self,
        user_id: str,
        inbound: Inbound,
        after: list[Callable[[], Awaitable[None]]],
        replies_for: Callable[[Locale], list[Reply]],
    ) -> list[Reply]:
        """`note` under the customer's lock; what relays must hear goes to `after`."""
        if inbound.message_id is not None:
            answered = await self._turns.answered(user_id, inbound.message_id)
            if answered is not None:
                return answered
        now = self._clock()
        user, created = await self._load_or_create(user_id, inbound, now)
        user.profile.update(inbound.profile)
        # While a person owns the conversation the bot stays silent here too.
        handoff = bool(user.state.get("handoff")) and self._handoffs is not None
        replies = [] if handoff else replies_for(user.locale)
        write = TurnWrite(user=user, message_id=inbound.message_id, replies=replies)
        if created:
            write.transitions.append(Transition(None, INITIAL_STAGE, now, "start"))
        turn_id = inbound.message_id or uuid.uuid4().hex
        write.entries.append(Entry("in", inbound.channel, inbound.text, now, turn_id))
        write.entries.extend(
            Entry.outbound(r, channel=inbound.channel, at=now, turn=turn_id) for r in replies
        )
        await self._turns.commit(write)
        if handoff and self._handoffs is not None:
            after.append(partial(self._handoffs.customer_message, user, inbound))
        return replies


async def _notify(after: list[Callable[[], Awaitable[None]]]) -> None:
    """Run what a turn tells the support relays, once the customer's lock is released.

    Relays talk to Telegram within its rate limits and may wait; holding the lock meanwhile
    could outlast its expiry and let another replica run the customer's next turn at once.
    """
    for notify in after:
        await notify()
