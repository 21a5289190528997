"""Linking by code, as the customer sees it.

`/link` asks for a code; `/link <code>` (or the bare code, or Telegram's
`/start link_<code>`) on another channel uses it.

The engine hands every inbound message here first (`Engine.linking`); anything that is
not a link command goes on to the turn as usual, and so does a bare word that only
looks like a code. Replies are in the customer's language. A wrong, expired or used
code changes nothing. Using a code merges the two customers (`bot.linking.merge`): the
one seen first survives.
"""

from __future__ import annotations

import json
import re

from redis.asyncio import Redis

from actions.context import Links
from bot.effects import Reply
from bot.inbound import Inbound
from bot.lifecycle import Locale
from bot.linking.codes import LINK_CODE_SECONDS, LinkCodes
from bot.linking.merge import Merger
from bot.linking.record import NothingToMerge
from bot.locale import guess_locale
from bot.store.answers import ANSWER_TTL_SECONDS, replies_of
from bot.store.keys import Keys
from bot.store.users import Users
from bot.user import User

_COMMAND = re.compile(r"/link(?:@\w+)?(?:\s+(?P<code>\S+))?", re.IGNORECASE)
_BARE = re.compile(r"[A-HJ-NP-Z2-9]{6}")  # the code alphabet, as shown to the customer
_START = re.compile(r"link_(?P<code>[A-Za-z0-9]{1,16})")

TEXTS: dict[str, dict[Locale, str]] = {
    "issued": {
        "en": "Your link code is {code}. Within {minutes} minutes, send /link {code} on the"
        " other channel where you talk to us, or continue on Telegram: {telegram}",
        "vi": "Mã liên kết của bạn là {code}. Trong vòng {minutes} phút, hãy gửi /link {code}"
        " ở kênh còn lại bạn dùng để nhắn cho chúng tôi, hoặc tiếp tục trên Telegram: {telegram}",
    },
    "linked": {
        "en": "Done: your chats are linked. Whichever channel you write on, we know it's you.",
        "vi": "Xong: các cuộc trò chuyện của bạn đã được liên kết. Bạn nhắn ở kênh nào,"
        " chúng tôi cũng biết đó là bạn.",
    },
    "already": {
        "en": "These chats are already linked.",
        "vi": "Các cuộc trò chuyện này đã được liên kết rồi.",
    },
    "wrong": {
        "en": "That link code is wrong or has expired; nothing has changed. Send /link on the"
        " other channel to get a new one.",
        "vi": "Mã liên kết không đúng hoặc đã hết hạn; không có gì thay đổi. Hãy gửi /link ở"
        " kênh còn lại để nhận mã mới.",
    },
}


def start_command(start_args: str | None) -> str | None:
    """`/link <code>` for Telegram's `/start link_<code>`; None for any other payload."""
    match = _START.fullmatch((start_args or "").strip())
    return f"/link {match['code']}" if match else None


class LinkDesk:
    """Answers link commands (see the module); `__call__` is `Engine.linking`."""

    def __init__(
        self, redis: Redis, keys: Keys, users: Users, merger: Merger, links: Links,
        default_locale: Locale,
    ) -> None:  # fmt: skip
        self._redis, self._keys = redis, keys
        self._users, self._codes, self._merger = users, LinkCodes(redis, keys), merger
        self._links = links
        self._default = default_locale

    async def __call__(self, inbound: Inbound) -> list[Reply] | None:
        """The replies to a link command, or None when `inbound` is none."""
        text = inbound.text.strip()
        command = _COMMAND.fullmatch(text)
        if command is not None and command["code"] is None:
            return await self._issue(inbound)
        code = command["code"] if command else None
        if code is None and _BARE.fullmatch(text) and await self._codes.exists(text):
            code = text
        return None if code is None else await self._redeem(inbound, code)

    async def _issue(self, inbound: Inbound) -> list[Reply]:
        identity = f"{inbound.channel}:{inbound.external_id}"
        user_id = await self._users.resolve(inbound.channel, inbound.external_id)
        code = await self._codes.issue(user_id, identity)
        telegram = f"https://t.me/{self._links.telegram_bot_username}?start=link_{code}"
        locale = await self._locale(inbound, await self._users.load(user_id))
        text = TEXTS["issued"][locale].format(
            code=code, minutes=LINK_CODE_SECONDS // 60, telegram=telegram
        )
        return [Reply(text)]

    async def _redeem(self, inbound: Inbound, code: str) -> list[Reply]:
        # Read afresh, not from the process's memory: either side may have been merged.
        me = await self._users.find_id(inbound.channel, inbound.external_id)
        me = me or await self._users.resolve(inbound.channel, inbound.external_id)
        if inbound.message_id is not None:
            stored = await self._redis.get(self._keys.inbound(me, inbound.message_id))
            if stored is not None:  # a retried message: the code was used by its first copy
                return replies_of(stored)
        found = await self._codes.redeem(code)
        mine = await self._users.load(me)
        if found is None:
            return [Reply(TEXTS["wrong"][await self._locale(inbound, mine)])]
        channel, _, external_id = found.identity.partition(":")
        owner = await self._users.find_id(channel, external_id) or found.user_id
        if owner == me:
            return [Reply(TEXTS["already"][await self._locale(inbound, mine)])]
        theirs = await self._users.load(owner)
        identity = f"{inbound.channel}:{inbound.external_id}"
        survivor, absorbed, moving = owner, me, identity
        if theirs is None or (mine is not None and mine.created < theirs.created):
            survivor, absorbed, moving = me, owner, found.identity
        try:
            user = await self._merger.merge(survivor, absorbed, by="customer", identity=moving)
        except NothingToMerge:
            return [Reply(TEXTS["already"][await self._locale(inbound, mine)])]
        self._users.forget(inbound.channel, inbound.external_id)
        replies = [Reply(TEXTS["linked"][user.locale])]
        if inbound.message_id is not None:
            await self._remember(user.id, inbound.message_id, replies)
        return replies

    async def _remember(self, user_id: str, message_id: str, replies: list[Reply]) -> None:
        """Keep the answer, so a retried message is not taken for a second use of the code."""
        answer = json.dumps([r.to_dict() for r in replies], ensure_ascii=False)
        key = self._keys.inbound(user_id, message_id)
        await self._redis.set(key, answer, ex=ANSWER_TTL_SECONDS)

    async def _locale(self, inbound: Inbound, user: User | None) -> Locale:
        if user is not None:
            return user.locale
        return inbound.locale or guess_locale(inbound.text, self._default)
