"""How policies react to product events: `when: {event: ..., properties: ...}`.

An accepted event that some rule or transition of the active policies names becomes a
job (`kind: event`) for the scheduler, which runs the rule as a proactive turn of the
customer in their current stage: the same guardrails as follow-ups (quiet hours and the
daily cap defer it, stage move included). A customer who cannot be messaged (no channel,
opted out, in a handoff) still gets the reaction's effects (the stage move, state), not
its messages.
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


def reaction_job(user_id: str, event_id: str, name: str, properties: dict[str, Any]) -> Job:
    """The scheduler's job for one event of one customer (its id makes a repeat a no-op)."""
    body = {"kind": KIND, "user": user_id, "event_id": event_id, "name": name}
    return Job(f"event:{user_id}:{event_id}", {**body, "properties": properties})


def reaction(policies: PolicySet, user: User, job: Job) -> Decision | None:
    """What the customer's stage does for the job's event, or None (no rule, or done)."""
    if job.body["event_id"] in user.state.get(EVENTS_REACTED, []):
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
