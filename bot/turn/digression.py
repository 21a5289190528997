"""Digressions: a clear request while the bot waits for a free-text answer.

The request is answered as usual, then the pending question is asked once more; if the
customer digresses again, the question is dropped. Text that answers the question
(feedback, a problem description, anything not clearly a request) is the answer.
"""

from __future__ import annotations

from typing import Any

from bot.effects import Reply
from bot.nlu.parse import Parse
from bot.user import User

AWAITING = "awaiting"  # state: the answer the bot asked for (a survey comment)
ASKED = "awaiting_ask"  # state: {"reply": the question, "again": asked a second time}

# Requests that are never an answer to "what do you like most?" or "why?".
REQUESTS = frozenset(
    {
        "ask_product_info",
        "ask_price",
        "compare_plans",
        "request_trial",
        "request_discount",
        "purchase",
        "onboarding_help",
        "ask_referral",
        "request_human",
        "stop_messages",
        "cancel_service",
    }
)


def digresses(parse: Parse, *, free_text: bool, confidence: float) -> bool:
    """Whether a message sent while an answer is pending is something else."""
    if not free_text:
        return True  # a button press is never the free-text answer
    return parse.intent in REQUESTS and parse.confidence >= confidence


def remember_question(user: User, replies: list[Reply]) -> None:
    """Keep the question just asked, to ask it again after one digression."""
    if user.state.get(AWAITING) is not None and replies:
        user.state[ASKED] = {"reply": replies[-1].to_dict(), "again": False}


def ask_again(user: User, awaiting: str, asked: Any) -> list[Reply]:
    """The pending question once more, or nothing (and no longer pending) the second time."""
    if not isinstance(asked, dict) or asked.get("again") or "reply" not in asked:
        return []
    user.state[AWAITING] = awaiting
    user.state[ASKED] = {"reply": asked["reply"], "again": True}
    return [Reply.from_dict(asked["reply"])]
