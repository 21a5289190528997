"""The turn engine: one inbound message through the pipeline of DESIGN.md.

identity -> per-user ordering -> idempotency -> NLU (payloads skip it) -> stage policy
-> actions return effects -> effects applied in memory -> one atomic commit -> replies.
"""

from __future__ import annotations

import copy
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from actions import ACTIONS, ActionContext
from bot.effects import MoveStage, Reply, SetState, UpdateProfile
from bot.errors import BotError, NluUnavailable
from bot.inbound import Inbound
from bot.lifecycle import INITIAL_STAGE, Locale, Stage, Transition
from bot.locale import guess_locale
from bot.nlu import Nlu
from bot.nlu.intents import KNOWN_INTENTS
from bot.nlu.parse import FALLBACK_INTENT, Parse
from bot.payload import is_payload, parse_payload
from bot.policies.active import ActivePolicies
from bot.policies.render import Renderer
from bot.policies.schema import ActionCall, PolicySet
from bot.policies.texts import LocalizedText
from bot.store.ordering import TurnLocks
from bot.store.transcript import Entry
from bot.store.turns import Turns, TurnWrite
from bot.store.users import Users
from bot.user import User

log = logging.getLogger(__name__)

# on_enter actions may move the customer again; this bounds a misconfigured cycle.
MAX_ENTER_DEPTH = 3

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
    parse: Parse
    now: float


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
        default_locale: Locale,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._users = users
        self._turns = turns
        self._locks = locks
        self._nlu = nlu
        self._policies = policies
        self._renderer = renderer
        self._default_locale = default_locale
        self._clock = clock

    async def handle(self, inbound: Inbound) -> list[Reply]:
        """Process one customer message and return the replies to send."""
        user_id = await self._users.resolve(inbound.channel, inbound.external_id)
        async with self._locks.hold(user_id):
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
            user, created = await self._load_or_create(user_id, inbound, now)
            user.profile.update(inbound.profile)
            write = TurnWrite(user=user, message_id=inbound.message_id)
            if created:
                write.transitions.append(Transition(None, INITIAL_STAGE, now, "start"))
            parse = await self._understand(inbound.text)
            turn_id = inbound.message_id or uuid.uuid4().hex
            write.entries.append(
                Entry(
                    "in",
                    inbound.channel,
                    inbound.text,
                    now,
                    turn_id,
                    intent=parse.intent if parse else None,
                )
            )
            policies = self._policies.current
            before, transitions = copy.deepcopy(user), list(write.transitions)
            try:
                replies = self._decide(write, policies, parse, now)
            except BotError:
                # A half-run policy must not leave half its effects: keep only the message.
                log.exception("turn %s of user %s failed; apologising", turn_id, user_id)
                write.user, write.transitions = before, transitions
                replies = [Reply(APOLOGY[before.locale])]
            write.replies = replies
            write.entries.extend(
                Entry.outbound(r, channel=inbound.channel, at=now, turn=turn_id) for r in replies
            )
            await self._turns.commit(write)
            return replies

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
                await self._turns.commit(write)
            return user

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
            # First touch wins: a referral code only counts for a new customer.
            profile={"referred_by": inbound.referral} if inbound.referral else {},
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

    def _decide(
        self, write: TurnWrite, policies: PolicySet, parse: Parse | None, now: float
    ) -> list[Reply]:
        user = write.user
        if parse is None:
            turn = _Turn(user, write, policies, Parse(FALLBACK_INTENT, 0.0), now)
            return self._perform(turn, policies.common.nlu_unavailable, "nlu_unavailable", 0)
        reason, calls = policies.decide(user.stage, parse)
        turn = _Turn(user, write, policies, parse, now)
        replies = self._perform(turn, calls, reason, 0)
        fallbacks = user.state.get("fallbacks_in_row", 0)
        user.state["fallbacks_in_row"] = fallbacks + 1 if parse.intent == FALLBACK_INTENT else 0
        user.state["last_intent"] = parse.intent
        return replies

    def _perform(
        self, turn: _Turn, calls: list[ActionCall], reason: str, depth: int
    ) -> list[Reply]:
        user = turn.user
        ctx = ActionContext(
            user=user,
            parse=turn.parse,
            locale=user.locale,
            reason=reason,
            render=self._render_for(user),
        )
        replies: list[Reply] = []
        for call in calls:
            for effect in ACTIONS[call.name].run(call.args, ctx):
                match effect:
                    case Reply():
                        replies.append(effect)
                    case MoveStage(stage=stage, reason=why) if stage != user.stage:
                        turn.write.transitions.append(Transition(user.stage, stage, turn.now, why))
                        user.stage, user.stage_entered_at = stage, turn.now
                        if depth < MAX_ENTER_DEPTH:
                            on_enter = turn.policies.stages[stage].on_enter
                            replies += self._perform(
                                turn, on_enter, f"on_enter:{stage.value}", depth + 1
                            )
                    case UpdateProfile(values=values):
                        user.profile.update(values)
                    case SetState(key=key, value=value):
                        user.state[key] = value
        return replies

    def _render_for(self, user: User) -> Callable[[LocalizedText], str]:
        def render(text: LocalizedText) -> str:
            context: dict[str, Any] = {
                "profile": user.profile,
                "stage": user.stage.value,
                "locale": user.locale,
            }
            return self._renderer.render(text.source(user.locale), context)

        return render

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
        async with self._locks.hold(user_id):
            if inbound.message_id is not None:
                answered = await self._turns.answered(user_id, inbound.message_id)
                if answered is not None:
                    return answered
            now = self._clock()
            user, created = await self._load_or_create(user_id, inbound, now)
            user.profile.update(inbound.profile)
            replies = replies_for(user.locale)
            write = TurnWrite(user=user, message_id=inbound.message_id, replies=replies)
            if created:
                write.transitions.append(Transition(None, INITIAL_STAGE, now, "start"))
            turn_id = inbound.message_id or uuid.uuid4().hex
            write.entries.append(Entry("in", inbound.channel, inbound.text, now, turn_id))
            write.entries.extend(
                Entry.outbound(r, channel=inbound.channel, at=now, turn=turn_id) for r in replies
            )
            await self._turns.commit(write)
            return replies
