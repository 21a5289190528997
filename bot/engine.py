"""The turn engine: one inbound message through the steps of `bot.turn`, in order.

resolve the identity -> order (the customer's lock) -> dedupe (message id) -> load ->
understand (NLU; payloads skip it) -> decide (policy actions on a draft, merged on
success) -> commit (one atomic write) -> deliver (replies returned; relays told after
the lock is released).
"""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import partial

from redis.exceptions import RedisError

from actions.context import Links
from bot import referral
from bot.customer_state import HANDOFF
from bot.effects import Reply
from bot.errors import BotError
from bot.handoff import HandoffDesk
from bot.inbound import Inbound
from bot.lifecycle import INITIAL_STAGE, Locale, Stage, Transition
from bot.metrics import Metrics
from bot.nlu import Nlu
from bot.nlu.parse import FALLBACK_INTENT, Parse
from bot.policies.active import ActivePolicies
from bot.policies.render import Renderer
from bot.scheduler.follow_ups import FollowUpPlanner
from bot.store.lease import Begun
from bot.store.misunderstood import MisunderstoodLog
from bot.store.ordering import TurnLocks
from bot.store.referrals import ReferralStore
from bot.store.transcript import Entry
from bot.store.turns import Turns, TurnWrite, replies_of
from bot.store.users import Users
from bot.turn.apply import Performer
from bot.turn.changes import draft_of, merge
from bot.turn.context import Turn
from bot.turn.decide import Decided, decide
from bot.turn.handoff_turn import HandoffTurn, Notify
from bot.turn.initiated import Initiated
from bot.turn.load import load_or_create
from bot.turn.understand import understand
from bot.user import User

log = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread

APOLOGY: dict[Locale, str] = {
    "vi": "Xin lỗi, mình đang gặp sự cố nhỏ. Bạn thử lại sau ít phút nhé.",
    "en": "Sorry, something went wrong on our side. Please try again in a few minutes.",
}


def random_code(length: int = 8) -> str:
    """A random code customers can type: 8 characters, 40 bits."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class Engine(Initiated):
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
        digression_confidence: float = 0.8,
        misunderstood: MisunderstoodLog | None = None,
        handoff_ack_after_minutes: float = 10,
    ) -> None:
        wait = handoffs.sla_minutes if handoffs else 15
        performer = Performer(links, renderer, new_code, wait)
        super().__init__(users, turns, locks, policies, referrals, performer, clock, planner)
        self._nlu = nlu
        self._default_locale = default_locale
        self._handoffs = handoffs
        ack_after = handoff_ack_after_minutes * 60
        self._handoff_turn = (
            HandoffTurn(handoffs, performer, ack_after, digression_confidence) if handoffs else None
        )
        self._metrics = metrics or Metrics()
        self._digression_confidence = digression_confidence
        self._misunderstood = misunderstood

    async def handle(self, inbound: Inbound, *, again: bool = True) -> list[Reply]:
        """Process one customer message and return the replies to send."""
        user_id = await self._users.resolve(inbound.channel, inbound.external_id)
        after: list[Notify] = []
        try:
            async with self._locks.hold(user_id, inbound.message_id, load=True) as begun:
                if begun.answer is not None:
                    return _repeated(user_id, inbound, begun.answer)
                if _belongs(begun.user, inbound) or not again:
                    return await self._turn(user_id, begun, inbound, after)
        finally:
            await _notify(after)
        # The remembered identity's customer was erased: whoever writes now is new.
        self._users.forget(inbound.channel, inbound.external_id)
        return await self.handle(inbound, again=False)

    async def _turn(
        self, user_id: str, begun: Begun, inbound: Inbound, after: list[Notify]
    ) -> list[Reply]:
        """`handle` under the customer's lease; what relays must hear goes to `after`."""
        now = self._clock()
        write, created = self._load(user_id, begun.user, inbound, now)
        referrals = begun.referrals
        parse = await self._understand(inbound.text)
        # Taken after the NLU's await: the revision that decides is the one live now.
        policies, turn_id = self._policies.current, _turn_id(inbound)
        turn = Turn(
            write, policies, inbound.text, parse or Parse(FALLBACK_INTENT, 0.0), now, referrals
        )
        intent = parse.intent if parse else None
        write.entries.append(
            Entry("in", inbound.channel, inbound.text, now, turn_id, intent=intent,
                  revision=policies.revision)
        )  # fmt: skip
        if write.user.state.get(HANDOFF) and self._handoff_turn is not None:
            replies, notify = self._handoff_turn.run(inbound, turn)
            await self._commit(write, replies, inbound.channel, turn_id)
            after.extend(notify)
            return replies
        stage = write.user.stage
        replies = await self._greet(turn, inbound.referral, created)
        decided = self._decide(turn, understood=parse is not None)
        replies += decided.replies
        await self._plan(write.user, policies)
        await self._commit(write, replies, inbound.channel, turn_id, policies.revision)
        if parse is not None:
            await self._keep_if_misunderstood(turn, stage, decided)
        if self._handoffs is not None:
            after.append(partial(_after_commit, write, self._handoffs))
        self._metrics.turn(inbound.channel, intent, self._clock() - now)
        return replies

    async def _understand(self, text: str) -> Parse | None:
        return await understand(self._nlu, text)

    def _load(
        self, user_id: str, stored: dict[str, str], inbound: Inbound, now: float
    ) -> tuple[TurnWrite, bool]:
        """The customer, seen now, and a change set; a new customer enters the first stage."""
        user, created = load_or_create(stored, user_id, inbound, now, self._default_locale)
        user.profile.update(inbound.profile)
        user.state["last_seen"] = now
        write = TurnWrite(user=user, message_id=inbound.message_id, at=now)
        if created:
            write.transitions.append(Transition(None, INITIAL_STAGE, now, "start"))
        return write, created

    async def _greet(self, turn: Turn, code: str | None, created: bool) -> list[Reply]:
        """A referral code's welcome (or refusal); attribution survives a failed decision."""
        if code is None:
            return []
        render = self._performer.render_for(turn.user, turn.policies)
        programme = turn.policies.common.referral
        effects = await referral.attribute(
            code, turn.user, created, programme, self._referrals, render, self._first_name_of
        )
        return [r for effect in effects for r in self._performer.apply(turn, effect)]

    async def _first_name_of(self, user_id: str) -> str | None:
        user = await self._users.load(user_id)
        name = user.profile.get("first_name") if user is not None else None
        return name if isinstance(name, str) and name.strip() else None

    def _decide(self, turn: Turn, *, understood: bool) -> Decided:
        """The policy's replies; its changes are merged into the turn only if it succeeds."""
        draft = replace(turn, write=draft_of(turn.write))
        try:
            decided = decide(
                draft,
                self._performer,
                understood=understood,
                digression_confidence=self._digression_confidence,
            )
        except BotError:
            log.exception("turn of user %s failed; apologising", turn.user.id)
            return Decided([Reply(APOLOGY[turn.user.locale])], ["error"])
        merge(turn.write, draft.write)
        turn.parse = draft.parse
        return decided

    async def _keep_if_misunderstood(self, turn: Turn, stage: Stage, decided: Decided) -> None:
        """Keep a message the bot did not understand for review; never fails the turn."""
        if self._misunderstood is None:
            return
        try:
            await self._misunderstood.keep(
                user_id=turn.user.id,
                stage=stage,
                locale=turn.user.locale,
                text=turn.message,
                parse=turn.parse,
                replies=[r.text for r in decided.replies],
                now=turn.now,
                fallback=decided.fallback,
            )
        except RedisError:
            log.warning("could not keep a misunderstood message of %s", turn.user.id)

    async def _commit(
        self,
        write: TurnWrite,
        replies: list[Reply],
        channel: str,
        turn_id: str,
        revision: str = "",
    ) -> None:
        """Write the turn with its replies (kept for retries) in one atomic step."""
        write.replies = replies
        write.entries.extend(
            Entry.outbound(r, channel=channel, at=write.at, turn=turn_id, revision=revision)
            for r in replies
        )
        await self._turns.commit(write, release=True)

    async def transcribe_only(
        self, inbound: Inbound, replies_for: Callable[[Locale], list[Reply]]
    ) -> list[Reply]:
        """Transcribe a message no policy handles (a sticker, an edit) with its replies.

        No NLU and no policy run; the customer is created if new, so staff find them.
        `replies_for` gets the customer's language. Idempotent by `message_id`.
        """
        user_id = await self._users.resolve(inbound.channel, inbound.external_id)
        after: list[Notify] = []
        try:
            async with self._locks.hold(user_id, inbound.message_id, load=True) as begun:
                if begun.answer is not None:
                    return _repeated(user_id, inbound, begun.answer)
                write, _ = self._load(user_id, begun.user, inbound, self._clock())
                user, turn_id = write.user, _turn_id(inbound)
                # While a person owns the conversation the bot stays silent here too.
                handoffs = self._handoffs if user.state.get(HANDOFF) else None
                replies = [] if handoffs else replies_for(user.locale)
                write.entries.append(Entry("in", inbound.channel, inbound.text, write.at, turn_id))
                await self._commit(write, replies, inbound.channel, turn_id)
                if handoffs is not None:
                    after.append(partial(handoffs.customer_message, user, inbound))
                return replies
        finally:
            await _notify(after)


def _repeated(user_id: str, inbound: Inbound, answer: str) -> list[Reply]:
    """The stored replies of a message id processed before (a retry)."""
    log.info("duplicate message %s of user %s answered", inbound.message_id, user_id)
    return replies_of(answer)


def _belongs(stored: dict[str, str], inbound: Inbound) -> bool:
    """Whether the loaded customer (none yet: a new one) still has the inbound's identity."""
    identity = f"{inbound.channel}:{inbound.external_id}"
    return not stored or identity in User.from_hash(stored).identities


def _turn_id(inbound: Inbound) -> str:
    return inbound.message_id or uuid.uuid4().hex


async def _after_commit(write: TurnWrite, handoffs: HandoffDesk) -> None:
    """Tell the support relays what a committed turn did to a handoff."""
    if write.handoff_opened:
        await handoffs.opened(write.user)
    for event in write.events:
        if event.kind == "csat" and "handoff" in event.data:
            await handoffs.rated(write.user, event.data)


async def _notify(after: list[Callable[[], Awaitable[None]]]) -> None:
    """Run what a turn tells the support relays, once the customer's lock is released.

    Relays talk to Telegram within its rate limits and may wait; holding the lock meanwhile
    could outlast its expiry and let another replica run the customer's next turn at once.
    """
    for notify in after:
        await notify()
