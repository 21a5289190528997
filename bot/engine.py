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
from collections.abc import Awaitable, Callable
from functools import partial

from actions.context import Links
from bot.customer_state import HANDOFF
from bot.effects import Reply
from bot.handoff import HandoffDesk
from bot.inbound import Inbound
from bot.lifecycle import Locale
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
from bot.store.turns import Turns
from bot.store.users import Users
from bot.turn.apply import Performer
from bot.turn.context import Turn
from bot.turn.decide import decide_on_draft
from bot.turn.deliver import after_commit
from bot.turn.handoff_turn import HandoffTurn, Notify
from bot.turn.load import belongs, turn_id_of
from bot.turn.review import keep_if_misunderstood
from bot.turn.transcribe import Transcribing
from bot.turn.understand import understand
from bot.turn.welcome import Welcome

log = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def random_code(length: int = 8) -> str:
    """A random code customers can type: 8 characters, 40 bits."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class Engine(Transcribing):
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
        self._welcome = Welcome(users, referrals, performer)
        # Answers link codes before any turn (`bot.linking.desk`); None: the message goes on.
        self.linking: Callable[[Inbound], Awaitable[list[Reply] | None]] | None = None

    async def handle(self, inbound: Inbound, *, again: bool = True) -> list[Reply]:
        """Process one customer message and return the replies to send."""
        if again and self.linking is not None:
            linked = await self.linking(inbound)
            if linked is not None:
                return linked
        replies = await self._inbound(inbound, partial(self._turn, inbound=inbound, again=again))
        if replies is not None:
            return replies
        # The remembered identity's customer was erased: whoever writes now is new.
        self._users.forget(inbound.channel, inbound.external_id)
        return await self.handle(inbound, again=False)

    async def _turn(
        self, user_id: str, begun: Begun, after: list[Notify], *, inbound: Inbound, again: bool
    ) -> list[Reply] | None:
        """`handle` under the customer's lease; what relays must hear goes to `after`."""
        now = self._clock()
        write, created = self._load(user_id, begun.user, inbound, now)
        if again and not belongs(write.user, inbound):
            return None
        referrals = begun.referrals
        parse = await self._understand(inbound.text)
        # Taken after the NLU's await: the revision that decides is the one live now.
        policies, turn_id = self._policies.current, turn_id_of(inbound)
        turn = Turn(
            write, policies, inbound.text, parse or Parse(FALLBACK_INTENT, 0.0), now, referrals
        )
        intent = parse.intent if parse else None
        write.entries.append(
            Entry("in", inbound.channel, inbound.text, now, turn_id, intent=intent,
                  revision=policies.revision)
        )  # fmt: skip
        if write.user.state.get(HANDOFF) and self._handoff_turn is not None:
            replies, told = self._handoff_turn.run(inbound, turn)
            await self._commit(write, replies, inbound.channel, turn_id)
            after.extend(told)
            return replies
        stage = write.user.stage
        replies = await self._welcome(turn, inbound.referral, created)
        decided = decide_on_draft(
            turn,
            self._performer,
            understood=parse is not None,
            digression_confidence=self._digression_confidence,
        )
        replies += decided.replies
        await self._plan(write.user, policies)
        await self._commit(write, replies, inbound.channel, turn_id, policies.revision)
        if parse is not None:
            await keep_if_misunderstood(self._misunderstood, turn, stage, decided)
        if self._handoffs is not None:
            after.append(partial(after_commit, write, self._handoffs))
        self._metrics.turn(inbound.channel, intent, self._clock() - now)
        return replies

    async def _understand(self, text: str) -> Parse | None:
        return await understand(self._nlu, text)
