"""The scheduler: claims due jobs and runs them, in every bot process at once."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from redis.exceptions import RedisError

from bot.delivery import Delivery
from bot.engine import Engine
from bot.policies.schema import PolicySet
from bot.scheduler import follow_ups
from bot.scheduler.guardrails import Guardrails, Verdict
from bot.scheduler.jobs import Job, JobQueue
from bot.scheduler.proactive import Proactive
from bot.user import User

log = logging.getLogger(__name__)


class Scheduler:
    """Runs due follow-ups through the engine, within the guardrails."""

    def __init__(
        self,
        jobs: JobQueue,
        engine: Engine,
        guardrails: Guardrails,
        delivery: Delivery,
        *,
        clock: Callable[[], float] = time.time,
        poll_seconds: float = 1.0,
    ) -> None:
        self._jobs = jobs
        self._engine = engine
        self._guardrails = guardrails
        self._delivery = delivery
        self._clock = clock
        self._poll_seconds = poll_seconds

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
        if job.body.get("kind") != follow_ups.KIND:
            log.error("job %s has an unknown kind; dropped", job.id)
            await self._jobs.done(job.id)
            return

        async def choose(user: User, policies: PolicySet, now: float) -> Proactive | Verdict:
            due = follow_ups.still_due(job, user, policies)
            if isinstance(due, Verdict):
                return due
            target = self._delivery.channel_of(user)
            if target is None:
                return Verdict("drop", "no channel to reach them")
            verdict = await self._guardrails.check(user, target[0], now)
            if verdict.action != "send":
                return verdict
            anchor = job.body["anchor"]

            def mark(customer: User) -> None:
                customer.state.setdefault(follow_ups.DONE, {})[due.key] = anchor

            return Proactive(f"follow_up:{due.key}", due.follow_up.do, target[0], mark)

        outcome = await self._engine.proactive(job.body["user"], choose)
        if outcome.verdict is not None and outcome.verdict.action == "defer":
            assert outcome.verdict.until is not None
            log.info("job %s deferred (%s)", job.id, outcome.verdict.reason)
            await self._jobs.defer(job.id, outcome.verdict.until)
            return
        if outcome.verdict is not None:
            log.info("job %s dropped (%s)", job.id, outcome.verdict.reason)
        elif outcome.user is not None:
            await self._guardrails.count(outcome.user, self._clock())
            await self._delivery.deliver(outcome.user, outcome.replies)
        await self._jobs.done(job.id)
