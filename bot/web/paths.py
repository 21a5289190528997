"""Ids in URL paths, checked by the rule of `bot/ids.py`: an id that cannot exist is a 404.

Routes match an external id as one percent-encoded path segment (`ID_SEGMENT`, which
also takes `{` and `}`) and an internal user id as 32 hexadecimal digits.
"""

from __future__ import annotations

from aiohttp import web

from bot import ids
from bot.errors import NotFound
from bot.ids import BadId
from bot.store.users import Users

IDENTITY = "{channel}/{external_id:" + ids.ID_SEGMENT + "}"
USER = "{user_id:" + ids.USER_ID_SEGMENT + "}"


def identity(request: web.Request) -> tuple[str, str]:
    """The `(channel, external id)` the path names, the id normalised.

    Raises:
        NotFound: the channel or the id breaks the rule, so no customer has it.

    """
    channel = request.match_info["channel"]
    if not ids.CHANNEL.fullmatch(channel):
        raise NotFound(f"no channel {channel[:40]!r}")
    return channel, path_id(request.match_info["external_id"])


def path_id(value: str) -> str:
    """An external id from a path, normalised.

    Raises:
        NotFound: it breaks the rule, so no customer has it.

    """
    try:
        return ids.external_id(value)
    except BadId as exc:
        raise NotFound(f"no customer has this id: {exc}") from None


async def existing_user(request: web.Request, users: Users) -> str:
    """The user id of the path, when that customer exists.

    Raises:
        NotFound: there is no such customer.

    """
    user_id = request.match_info["user_id"]
    if await users.load(user_id) is None:
        raise NotFound(f"no customer {user_id}")
    return user_id
