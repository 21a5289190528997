"""Follow-ups written in the stage policies: planned after every turn, fired by the scheduler.

Planning puts one job per follow-up of the customer's stage (and of `common.yml`) in the
queue, at anchor + delay; the job id names customer, stage and follow-up, so planning
again only moves it. Firing checks everything again under the customer's turn lock: a
customer who left the stage, a condition that no longer holds, or an anchor that moved
drops the job; the guardrails may defer it. A sent follow-up is marked in the customer's
state in the same commit as its transcript entries, so it is never sent twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.lifecycle import Stage
from bot.policies.schema import FollowUp, PolicySet
from bot.scheduler.guardrails import Verdict
from bot.scheduler.jobs import Job, JobQueue
from bot.user import User

log = logging.getLogger(__name__)

KIND = "follow_up"
DONE = "follow_ups"  # state: {"<stage>:<name>": anchor time it was sent for}


def _key(stage: Stage | None, name: str) -> str:
    return f"{stage.value if stage else 'common'}:{name}"


class FollowUpPlanner:
    """Schedules a customer's follow-ups after each turn."""

    def __init__(self, jobs: JobQueue) -> None:
        self._jobs = jobs

    async def plan(self, user: User, policies: PolicySet) -> None:
        """Queue every follow-up that applies to `user` now and was not sent for its anchor."""
        planned: list[tuple[Job, float]] = []
        done: dict[str, float] = user.state.get(DONE, {})
        for stage, follow_up in policies.follow_ups(user.stage):
            anchor = follow_up.anchor.of(user)
            if anchor is None or done.get(_key(stage, follow_up.name)) == anchor:
                continue
            body: dict[str, Any] = {
                "kind": KIND,
                "user": user.id,
                "stage": stage.value if stage else None,
                "name": follow_up.name,
                "anchor": anchor,
            }
            job_id = f"{KIND}:{user.id}:{_key(stage, follow_up.name)}"
            planned.append((Job(job_id, body), anchor + follow_up.after))
        await self._jobs.schedule_many(planned)


@dataclass(frozen=True, slots=True)
class Due:
    """A follow-up that is due for a customer now, if nothing stops it."""

    stage: Stage | None
    follow_up: FollowUp

    @property
    def key(self) -> str:
        """Its key in the customer's `follow_ups` state."""
        return _key(self.stage, self.follow_up.name)


def still_due(job: Job, user: User, policies: PolicySet) -> Due | Verdict:
    """The follow-up a job stands for, or why it is dropped now."""
    stage = Stage(job.body["stage"]) if job.body["stage"] else None
    if stage is not None and user.stage != stage:
        return Verdict("drop", f"left {stage.value}")
    follow_up = policies.follow_up(stage, job.body["name"])
    if follow_up is None:
        return Verdict("drop", "no longer in the policy")
    anchor = follow_up.anchor.of(user)
    if anchor is None or anchor != job.body["anchor"]:
        return Verdict("drop", "its anchor moved")
    if user.state.get(DONE, {}).get(_key(stage, follow_up.name)) == anchor:
        return Verdict("drop", "already sent")
    if not follow_up.holds(user):
        return Verdict("drop", "its condition no longer holds")
    return Due(stage, follow_up)
