"""The load step: the customer as stored, or a new one made from their first message."""

from __future__ import annotations

from bot.inbound import Inbound
from bot.lifecycle import INITIAL_STAGE, Locale
from bot.locale import guess_locale
from bot.payload import is_payload
from bot.store.users import Users
from bot.user import User


async def load_or_create(
    users: Users, user_id: str, inbound: Inbound, now: float, default_locale: Locale
) -> tuple[User, bool]:
    """The stored customer, or a new one (True) in the initial stage."""
    user = await users.load(user_id)
    if user is not None:
        return user, False
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
