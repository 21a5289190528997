"""The load step: the customer as stored, or a new one made from their first message."""

from __future__ import annotations

from bot.inbound import Inbound
from bot.lifecycle import INITIAL_STAGE, Locale
from bot.locale import guess_locale
from bot.payload import is_payload
from bot.user import User


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
