"""The dedupe and load steps.

A retried message gets its stored answer; the customer is loaded as stored, or made new
from their first message.
"""

from __future__ import annotations

import logging
import uuid

from bot.effects import Reply
from bot.inbound import Inbound
from bot.lifecycle import INITIAL_STAGE, Locale
from bot.locale import guess_locale
from bot.payload import is_payload
from bot.store.answers import Answers
from bot.user import User

log = logging.getLogger(__name__)


def load_or_create(
    stored: dict[str, str], user_id: str, inbound: Inbound, now: float, default_locale: Locale
) -> tuple[User, bool]:
    """The customer as stored, or a new one (True) in the initial stage.

    `stored` is the user hash, read in the same step that took the turn's lease.
    """
    if stored:
        return User.from_hash(stored), False
    if inbound.locale is not None:
        locale = inbound.locale
    elif is_payload(inbound.text):
        locale = default_locale
    else:
        locale = guess_locale(inbound.text, default_locale)
    user = User(
        id=user_id,
        created=now,
        locale=locale,
        stage=INITIAL_STAGE,
        stage_entered_at=now,
        identities=[f"{inbound.channel}:{inbound.external_id}"],
    )
    return user, True


async def repeated(answers: Answers, user_id: str, inbound: Inbound, answer: str) -> list[Reply]:
    """The stored replies of a message id processed before (a retry)."""
    log.info("duplicate message %s of user %s answered", inbound.message_id, user_id)
    return await answers.replies(user_id, inbound.message_id or "", answer)


def belongs(user: User, inbound: Inbound) -> bool:
    """Whether the loaded customer still has the inbound's identity (erasure removes it)."""
    return f"{inbound.channel}:{inbound.external_id}" in user.identities


def turn_id_of(inbound: Inbound) -> str:
    """The turn's id: the message id, or a fresh one."""
    return inbound.message_id or uuid.uuid4().hex
