"""The scheduler's turn for a product event: the policy's reaction and the event's time.

The effects happen at once whatever the hour (a stage move, state, the time follow-ups
count from). The messages go now when the guardrails allow; when they only defer (quiet
hours, the daily cap) the messages are held until then (`held.py`); when the customer
cannot be messaged at all (no channel, opted out, in a handoff) there are none.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.customers import reactions
from bot.effects import Reply
from bot.policies.schema import PolicySet
from bot.policies.timing import record_event
from bot.scheduler.guardrails import Verdict
from bot.scheduler.held import held_job
from bot.scheduler.jobs import Job, JobQueue
from bot.scheduler.proactive import Proactive, ProactiveChooser
from bot.user import User

# The channel to reach a customer on now, or the guardrails' verdict (`Scheduler._allowed`).
Allowed = Callable[[User, float], Awaitable[str | Verdict]]


def event_turn(job: Job, allowed: Allowed, jobs: JobQueue) -> ProactiveChooser:
    """What to do for the job's event (`bot/customers/reactions.py`)."""
    name, event_id = str(job.body["name"]), str(job.body["event_id"])

    async def choose(user: User, policies: PolicySet, now: float) -> Proactive | Verdict:
        if reactions.reacted(user, job):
            return Verdict("drop", "already reacted")
        decision = reactions.reaction(policies, user, job)
        anchored = reactions.anchors(policies, name)
        if decision is None and not anchored:
            return Verdict("drop", f"no rule for {name} in {user.stage.value}")

        def mark(customer: User) -> None:
            reactions.mark_reacted(customer, event_id)
            if anchored:
                at, received = job.body.get("at", now), job.body.get("received", now)
                record_event(customer, name, float(at), float(received))

        if decision is None:  # only a follow-up counts from it: record its time
            return Proactive(f"event:{name}", [], "", mark, silent=True)
        reason, calls = f"event:{decision.reason}", decision.calls
        channel = await allowed(user, now)
        if isinstance(channel, str):
            return Proactive(reason, calls, channel, mark)
        if channel.action == "defer" and channel.until is not None:
            until = channel.until

            async def hold(customer: User, replies: list[Reply]) -> None:
                if replies:
                    await jobs.schedule(held_job(customer.id, event_id, reason, replies), until)

            return Proactive(reason, calls, "", mark, hold=hold)
        return Proactive(reason, calls, "", mark, silent=True)

    return choose
