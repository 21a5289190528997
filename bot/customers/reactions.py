"""How policies react to product events: `when: {event: ..., properties: ...}`.

An accepted event that some rule or transition of the active policies names, or that a
follow-up counts from, becomes a job (`kind: event`) for the scheduler, which runs the
rule as a proactive turn of the customer in their current stage and records the event's
time for the follow-ups (`bot/scheduler/event_turns.py`). The effects (the stage move,
state) happen at once; the messages obey the guardrails: during quiet hours or past the
daily cap they are held and sent when allowed (`bot/scheduler/held.py`), and a customer
who cannot be messaged (no channel, opted out, in a handoff) gets none.
"""

from __future__ import annotations

from typing import Any

from bot.customer_state import EVENTS_REACTED
from bot.nlu.parse import Parse
from bot.policies.conditions import TurnFacts
from bot.policies.schema import Decision, PolicySet
from bot.scheduler.jobs import Job
from bot.user import User

KIND = "event"
REACTED_KEPT = 50


def reacts(policies: PolicySet, name: str) -> bool:
    """Whether any rule or transition of `policies` answers event `name`."""
    whens = [rule.when for rule in policies.common.rules]
    for stage in policies.stages.values():
        whens += [rule.when for rule in stage.rules]
        whens += [move.when for move in stage.transitions]
    return any(when.event == name for when in whens)


def anchors(policies: PolicySet, name: str) -> bool:
    """Whether a follow-up of `policies` counts from event `name` (`from: {event: ...}`)."""
    follow_ups = [*policies.common.follow_ups]
    for stage in policies.stages.values():
        follow_ups += stage.follow_ups
    return any(follow_up.event == name for follow_up in follow_ups)


def reaction_job(
    user_id: str, event_id: str, name: str, properties: dict[str, Any], at: float, received: float
) -> Job:
    """The scheduler's job for one event of one customer (its id makes a repeat a no-op)."""
    body = {"kind": KIND, "user": user_id, "event_id": event_id, "name": name}
    times = {"at": at, "received": received}
    return Job(f"event:{user_id}:{event_id}", {**body, "properties": properties, **times})


def reacted(user: User, job: Job) -> bool:
    """Whether the reaction to the job's event already ran for `user`."""
    return job.body["event_id"] in user.state.get(EVENTS_REACTED, [])


def reaction(policies: PolicySet, user: User, job: Job) -> Decision | None:
    """What the customer's stage does for the job's event, or None (no rule, or done)."""
    if reacted(user, job):
        return None
    name = str(job.body["name"])
    facts = TurnFacts(
        parse=Parse(f"event:{name}", 1.0),
        profile=user.profile,
        previous_intent=None,
        awaiting=None,
        free_text=False,
        event=name,
        properties=dict(job.body.get("properties") or {}),
    )
    decision = policies.decide(user.stage, facts)
    return None if decision.reason == "fallback" else decision


def mark_reacted(user: User, event_id: str) -> None:
    """Remember that the reaction to `event_id` ran (a job run twice does nothing more)."""
    done = [*user.state.get(EVENTS_REACTED, []), event_id]
    user.state[EVENTS_REACTED] = done[-REACTED_KEPT:]
