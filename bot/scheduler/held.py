"""A product event's messages held by the guardrails, sent when they allow.

An event that arrives during the customer's quiet hours (or past their daily cap) moves
the stage at once: the record must be true, and the CRM hears of it now. Its messages
are written then, in that stage's words, and wait here as a job (`kind: held`) due when
the guardrails lift; the scheduler checks them again then (opted out or handed to staff
meanwhile: dropped; still quiet: later). The job is queued before the reaction's commit;
one whose commit failed finds the event not reacted to and is dropped. A sent one is
marked in the customer's state with its transcript entries, so it never goes twice.
"""

from __future__ import annotations

from bot.customer_state import EVENTS_REACTED, HELD_SENT
from bot.effects import Reply
from bot.scheduler.guardrails import Verdict
from bot.scheduler.jobs import Job
from bot.user import User

KIND = "held"
SENT_KEPT = 50


def held_job(user_id: str, event_id: str, reason: str, replies: list[Reply]) -> Job:
    """The job that sends `replies`, written for the reaction to `event_id`."""
    body = {"kind": KIND, "user": user_id, "event_id": event_id, "reason": reason}
    return Job(f"{KIND}:{user_id}:{event_id}", {**body, "replies": [r.to_dict() for r in replies]})


def still_held(job: Job, user: User) -> list[Reply] | Verdict:
    """The replies to send now, or why they are dropped."""
    if job.body["event_id"] not in user.state.get(EVENTS_REACTED, []):
        return Verdict("drop", "its reaction was not committed")
    if job.id in user.state.get(HELD_SENT, []):
        return Verdict("drop", "already sent")
    return [Reply.from_dict(reply) for reply in job.body["replies"]]


def mark_sent(user: User, job_id: str) -> None:
    """Remember that the held messages of `job_id` went out."""
    user.state[HELD_SENT] = [*user.state.get(HELD_SENT, []), job_id][-SENT_KEPT:]
