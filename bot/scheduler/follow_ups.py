"""Follow-ups written in the stage policies: planned after every turn, fired by the scheduler.

Planning puts one job per follow-up of the customer's stage (and of `common.yml`) in the
queue, at anchor + delay; the job id names customer, stage and follow-up, so planning
again only moves it. Firing checks everything again under the customer's turn lock: a
customer who left the stage or a condition that no longer holds drops the job; an
anchor that moved, or the guardrails, make it wait. A sent follow-up is marked in the customer's
state in the same commit as its transcript entries, so it is never sent twice. An
event-anchored one that came too late is neither planned nor sent (`bot/policies/timing.py`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.customer_state import FOLLOW_UPS, FOLLOW_UPS_PLANNED
from bot.lifecycle import Stage
from bot.policies.schema import FollowUp, PolicySet
from bot.policies.timing import missed
from bot.scheduler.guardrails import Verdict
from bot.scheduler.jobs import Job, JobQueue
from bot.user import User

log = logging.getLogger(__name__)

KIND = "follow_up"
DRIFT = 3600.0  # seconds a queued due time may lag behind a moving anchor


def _key(stage: Stage | None, name: str) -> str:
    return f"{stage.value if stage else 'common'}:{name}"


def _missed(user: User, stage: Stage | None, follow_up: FollowUp, due: float) -> bool:
    """An event-anchored follow-up whose time had long passed when it could be planned."""
    if follow_up.event is None:
        return False
    since = user.stage_entered_at if stage is not None else 0.0
    return missed(user, follow_up.event, due, since)


class FollowUpPlanner:
    """Schedules a customer's follow-ups before each turn commits.

    What was planned is remembered in the customer's state (`follow_ups_planned`), so a
    turn that changes nothing relevant costs no Redis call; a due time that only drifts
    (the come-back message follows the last message) is moved once it drifted by `DRIFT`.
    """

    def __init__(self, jobs: JobQueue) -> None:
        self._jobs = jobs

    async def plan(self, user: User, policies: PolicySet) -> None:
        """Queue every follow-up that applies to `user` now and was not sent for its anchor.

        Call it before the customer's commit: it records what it queued on `user.state`,
        and a job queued for a commit that then fails is dropped when it comes due.
        """
        planned = user.state.get(FOLLOW_UPS_PLANNED, {})
        done = user.state.get(FOLLOW_UPS, {})
        now_planned: dict[str, float] = {}
        changed: list[tuple[Job, float]] = []
        for stage, follow_up in policies.follow_ups(user.stage):
            anchor = follow_up.anchor_at(user)
            if anchor is None or done.get(_key(stage, follow_up.name)) == anchor:
                continue
            key = _key(stage, follow_up.name)
            due = anchor + follow_up.after
            if _missed(user, stage, follow_up, due):
                continue
            before = planned.get(key)
            if before is not None and abs(before - due) < DRIFT:
                now_planned[key] = before
                continue
            body: dict[str, Any] = {
                "kind": KIND,
                "user": user.id,
                "stage": stage.value if stage else None,
                "name": follow_up.name,
                "anchor": anchor,
            }
            changed.append((Job(f"{KIND}:{user.id}:{key}", body), due))
            now_planned[key] = due
        if changed:
            await self._jobs.schedule_many(changed)
        user.state[FOLLOW_UPS_PLANNED] = now_planned


@dataclass(frozen=True, slots=True)
class Due:
    """A follow-up that is due for a customer now, for the current `anchor` time."""

    stage: Stage | None
    follow_up: FollowUp
    anchor: float

    @property
    def key(self) -> str:
        """Its key in the customer's `follow_ups` state."""
        return _key(self.stage, self.follow_up.name)


def still_due(job: Job, user: User, policies: PolicySet, now: float) -> Due | Verdict:
    """The follow-up a job stands for, or why it is dropped or waits now.

    An anchor that moved later (a new message, the stage entered again) makes it wait
    for its new time; a customer who left the stage, an anchor that is gone, a
    condition that no longer holds or a follow-up already sent for this anchor drop it.
    """
    stage = Stage(job.body["stage"]) if job.body["stage"] else None
    if stage is not None and user.stage != stage:
        return Verdict("drop", f"left {stage.value}")
    follow_up = policies.follow_up(stage, job.body["name"])
    if follow_up is None:
        return Verdict("drop", "no longer in the policy")
    anchor = follow_up.anchor_at(user)
    if anchor is None:
        return Verdict("drop", "its anchor is gone")
    if user.state.get(FOLLOW_UPS, {}).get(_key(stage, follow_up.name)) == anchor:
        return Verdict("drop", "already sent")
    if _missed(user, stage, follow_up, anchor + follow_up.after):
        return Verdict("drop", "its event came too late")
    if anchor + follow_up.after > now:
        return Verdict("defer", "its anchor moved", anchor + follow_up.after)
    if not follow_up.holds(user):
        return Verdict("drop", "its condition no longer holds")
    return Due(stage, follow_up, anchor)
