"""The scheduler: claims due jobs and runs them, in every bot process at once."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from redis.exceptions import RedisError

from actions.messaging import ReplyArgs
from bot.channels.registry import Channels
from bot.customer_state import BROADCASTS, FOLLOW_UPS
from bot.customers import reactions
from bot.engine import Engine
from bot.handoff import SLA_KIND, HandoffDesk
from bot.metrics import Metrics
from bot.policies.schema import CALL_MODELS, PolicySet
from bot.scheduler import broadcasts, follow_ups, held
from bot.scheduler.broadcasts import Broadcasts
from bot.scheduler.event_turns import event_turn
from bot.scheduler.guardrails import Guardrails, Verdict
from bot.scheduler.jobs import Job, JobQueue
from bot.scheduler.proactive import Proactive, ProactiveChooser
from bot.user import User

log = logging.getLogger(__name__)


class Scheduler:
    """Runs due follow-ups and broadcast messages through the engine, within the guardrails."""

    def __init__(
        self,
        jobs: JobQueue,
        engine: Engine,
        guardrails: Guardrails,
        channels: Channels,
        broadcasts: Broadcasts,
        handoffs: HandoffDesk,
        *,
        clock: Callable[[], float] = time.time,
        poll_seconds: float = 1.0,
        metrics: Metrics | None = None,
    ) -> None:
        self._jobs = jobs
        self._engine = engine
        self._guardrails = guardrails
        self._channels = channels
        self._broadcasts = broadcasts
        self._handoffs = handoffs
        self._clock = clock
        self._poll_seconds = poll_seconds
        self._metrics = metrics or Metrics()

    async def pending(self) -> int:
        """How many jobs wait in the queue."""
        return await self._jobs.pending()

    async def run_once(self) -> int:
        """Run every job due now; returns how many were claimed."""
        jobs = await self._jobs.claim(self._clock())
        for job in jobs:
            try:
                await self._run(job)
            except Exception:  # one bad job must not stop the others; its lease retries it
                log.exception("job %s failed; it is retried when its lease ends", job.id)
        return len(jobs)

    async def run(self) -> None:
        """Run due jobs until cancelled."""
        while True:
            try:
                if not await self.run_once():
                    await asyncio.sleep(self._poll_seconds)
            except RedisError as exc:
                log.warning("scheduler: Redis error %s; retrying", exc)
                await asyncio.sleep(self._poll_seconds)

    async def _run(self, job: Job) -> None:
        kind = job.body.get("kind")
        if kind == SLA_KIND:
            await self._handoffs.sla_due(job)
            await self._jobs.done(job.id)
            return
        choose: ProactiveChooser
        if kind == follow_ups.KIND:
            choose = self._follow_up(job)
        elif kind == reactions.KIND:
            choose = event_turn(job, self._allowed, self._jobs)
        elif kind == held.KIND:
            choose = self._held(job)
        elif kind == broadcasts.KIND and (
            message := await self._broadcasts.message(job.body["broadcast"])
        ):
            choose = self._broadcast(job, message)
        else:
            log.error("job %s is of an unknown kind or broadcast; dropped", job.id)
            await self._jobs.done(job.id)
            return
        outcome = await self._engine.proactive(job.body["user"], choose)
        verdict = outcome.verdict
        outcome_name = "sent" if verdict is None else verdict.action
        self._metrics.proactive[outcome_name] += 1
        if verdict is not None and verdict.action == "defer" and verdict.until is not None:
            log.info("job %s deferred (%s)", job.id, verdict.reason)
            await self._jobs.defer(job.id, verdict.until)
            return
        if verdict is not None:
            log.info("job %s dropped (%s)", job.id, verdict.reason)
        elif outcome.user is not None and outcome.replies:
            await self._guardrails.count(outcome.user, self._clock())
            await self._channels.deliver(
                outcome.user, outcome.replies, channel=outcome.channel or None
            )
        if kind == broadcasts.KIND:
            await self._broadcasts.count(
                job.body["broadcast"],
                "dropped" if verdict else "sent",
                None if verdict is None else verdict.reason,
            )
        await self._jobs.done(job.id)

    async def _allowed(self, user: User, now: float) -> str | Verdict:
        """The channel to reach `user` on now, or the guardrails' verdict."""
        target = await self._channels.proactive_target(user, now)
        if target is None:
            return Verdict("drop", "no channel to reach them")
        verdict = await self._guardrails.check(user, target[0], now)
        return target[0] if verdict.action == "send" else verdict

    def _follow_up(self, job: Job) -> ProactiveChooser:
        async def choose(user: User, policies: PolicySet, now: float) -> Proactive | Verdict:
            due = follow_ups.still_due(job, user, policies, now)
            if isinstance(due, Verdict):
                return due
            channel = await self._allowed(user, now)
            if isinstance(channel, Verdict):
                return channel

            def mark(customer: User) -> None:
                customer.state.setdefault(FOLLOW_UPS, {})[due.key] = due.anchor

            return Proactive(f"follow_up:{due.key}", due.follow_up.do, channel, mark)

        return choose

    def _held(self, job: Job) -> ProactiveChooser:
        """A product event's messages the guardrails held (`bot/scheduler/held.py`)."""

        async def choose(user: User, policies: PolicySet, now: float) -> Proactive | Verdict:
            replies = held.still_held(job, user)
            if isinstance(replies, Verdict):
                return replies
            channel = await self._allowed(user, now)
            if isinstance(channel, Verdict):
                return channel

            def mark(customer: User) -> None:
                held.mark_sent(customer, job.id)

            return Proactive(job.body["reason"], [], channel, mark, ready=tuple(replies))

        return choose

    def _broadcast(self, job: Job, message: ReplyArgs) -> ProactiveChooser:
        broadcast_id = job.body["broadcast"]
        call = CALL_MODELS["reply"].model_validate({"reply": message.model_dump()})

        async def choose(user: User, policies: PolicySet, now: float) -> Proactive | Verdict:
            if broadcast_id in user.state.get(BROADCASTS, []):
                return Verdict("drop", "already received it")
            channel = await self._allowed(user, now)
            if isinstance(channel, Verdict):
                return channel

            def mark(customer: User) -> None:
                received = customer.state.get(BROADCASTS, [])
                customer.state[BROADCASTS] = [*received, broadcast_id][-50:]

            return Proactive(f"broadcast:{broadcast_id}", [call], channel, mark)

        return choose
