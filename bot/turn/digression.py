"""Digressions: a clear request while the bot waits for a free-text answer.

The request is answered as usual, then the pending question is asked once more; if the
customer digresses again, the question is dropped. Text that answers the question
(feedback, a problem description, anything not clearly a request) is the answer.
"""

from __future__ import annotations

from typing import Any

from actions.survey import AWAITING as AWAITING  # the answer the bot asked for
from bot.effects import Reply
from bot.nlu.parse import Parse
from bot.turn.request_form import asks
from bot.user import User

ASKED = "awaiting_ask"  # state: {"reply": the question, "again": asked a second time}

# Acts that are never an answer to "what do you like most?" or "why?", however worded.
ACTS = frozenset({"purchase", "request_human", "stop_messages", "cancel_service"})
# Topics a comment may mention ("the reports save me an hour"): a digression only when
# the message is worded as a question or a request.
TOPICS = frozenset(
    {
        "ask_product_info",
        "ask_price",
        "compare_plans",
        "request_trial",
        "request_discount",
        "onboarding_help",
        "ask_referral",
    }
)


def digresses(
    parse: Parse, text: str, *, free_text: bool, confidence: float, asked_after: str | None
) -> bool:
    """Whether a message sent while an answer is pending is something else.

    `asked_after` is the intent of the message the question answered: more of the same
    ("I want to cancel" -> "why?" -> "we're closing the shop, cancel it") is the answer.
    """
    if not free_text:
        return True  # a button press is never the free-text answer
    if parse.confidence < confidence or parse.intent == asked_after:
        return False
    return parse.intent in ACTS or (parse.intent in TOPICS and asks(text))


def remember_question(user: User, replies: list[Reply]) -> None:
    """Keep the question just asked, to ask it again after one digression.

    The question is the last reply before the action set the awaited answer.
    """
    if replies:
        user.state[ASKED] = {"reply": replies[-1].to_dict(), "again": False}


def offered(asked: Any, message: str) -> bool:
    """Whether `message` is a button offered with the pending question.

    Such a press answers the question rather than digressing, so it is not asked again.
    """
    if not isinstance(asked, dict) or not isinstance(asked.get("reply"), dict):
        return False
    buttons = asked["reply"].get("buttons") or []
    return any(isinstance(b, dict) and b.get("payload") == message for b in buttons)


def ask_again(user: User, awaiting: str, asked: Any) -> list[Reply]:
    """The pending question once more, or nothing (and no longer pending) the second time."""
    if not isinstance(asked, dict) or asked.get("again") or "reply" not in asked:
        return []
    user.state[AWAITING] = awaiting
    user.state[ASKED] = {"reply": asked["reply"], "again": True}
    return [Reply.from_dict(asked["reply"])]
