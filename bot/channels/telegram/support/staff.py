"""Who may act as staff in the support group: its members, checked with Telegram.

Being able to post in the group is not taken as proof: someone removed from it may
still have messages arrive, and a group's settings may let others in. Each answer is
trusted for a short while, so a busy conversation does not call getChatMember per message.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from aiogram import Bot
from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ChatMemberRestricted

log = logging.getLogger(__name__)

_STAFF = frozenset(
    {ChatMemberStatus.CREATOR, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER}
)


class StaffCheck:
    """Answers whether a Telegram user is a member of the support group."""

    def __init__(
        self,
        bot: Bot,
        chat_id: int,
        *,
        ttl_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bot = bot
        self._chat_id = chat_id
        self._ttl = ttl_seconds
        self._clock = clock
        self._known: dict[int, tuple[bool, float]] = {}
        # One question in flight per person: a burst of their messages asks Telegram once.
        self._asking: dict[int, asyncio.Future[bool]] = {}

    async def is_staff(self, telegram_user_id: int) -> bool:
        """True for the group's creator, administrators and members."""
        now = self._clock()
        known = self._known.get(telegram_user_id)
        if known is not None and now - known[1] < self._ttl:
            return known[0]
        asking = self._asking.get(telegram_user_id)
        if asking is None:
            asking = asyncio.ensure_future(self._ask(telegram_user_id, now))
            self._asking[telegram_user_id] = asking
            asking.add_done_callback(lambda _: self._asking.pop(telegram_user_id, None))
        return await asyncio.shield(asking)

    async def _ask(self, telegram_user_id: int, now: float) -> bool:
        try:
            member = await self._bot.get_chat_member(self._chat_id, telegram_user_id)
        except TelegramAPIError as exc:
            # Not cached: a passing network error must not lock staff out for a minute.
            log.warning("support: membership of %s unknown: %s", telegram_user_id, exc)
            return False
        staff = member.status in _STAFF or (
            isinstance(member, ChatMemberRestricted) and member.is_member
        )
        self._known[telegram_user_id] = (staff, now)
        return staff
