"""One Telegram chat's messages through the turn engine, in order and each once."""

from __future__ import annotations

from collections.abc import Callable

from bot.channels.shared.seen import answered_before
from bot.channels.telegram.customer import CHANNEL
from bot.channels.telegram.sender import Sender
from bot.effects import Reply
from bot.engine import Engine
from bot.inbound import Inbound
from bot.lifecycle import Locale
from bot.locks import KeyedLocks
from bot.store.turns import Turns
from bot.store.users import Users


class Chats:
    """Runs a chat's updates one at a time and queues their replies in the same order.

    The engine already processes a message id once; here a repeated update (Telegram
    redelivers webhooks, a keyboard is pressed twice) also sends nothing again. The chat
    lock spans the turn and the queueing, so replies leave in the order of the turns.
    """

    def __init__(self, *, engine: Engine, users: Users, turns: Turns, sender: Sender) -> None:
        self.engine = engine
        self.users = users
        self.sender = sender
        self._turns = turns
        self._locks: KeyedLocks[int] = KeyedLocks()

    async def turn(self, chat_id: int, inbound: Inbound) -> bool:
        """Run one turn and queue its replies; False when this message was seen before."""
        async with self._locks.hold(chat_id):
            if await self._seen(inbound):
                return False
            self.sender.submit(chat_id, await self.engine.handle(inbound))
            return True

    async def transcribe_only(
        self, chat_id: int, inbound: Inbound, replies_for: Callable[[Locale], list[Reply]]
    ) -> bool:
        """Transcribe a message no policy handles and queue its replies; False if seen."""
        async with self._locks.hold(chat_id):
            if await self._seen(inbound):
                return False
            replies = await self.engine.transcribe_only(inbound, replies_for)
            if replies:
                self.sender.submit(chat_id, replies)
            return True

    async def reply(self, chat_id: int, replies: list[Reply]) -> None:
        """Queue replies that are no turn's (menus, confirmations) behind the chat's turns."""
        async with self._locks.hold(chat_id):
            self.sender.submit(chat_id, replies)

    async def locale(self, external_id: str, hint: Locale | None, default: Locale) -> Locale:
        """The customer's language: stored, else the Telegram app's, else `default`."""
        user = await self.users.find(CHANNEL, external_id)
        if user is not None:
            return user.locale
        return hint or default

    async def _seen(self, inbound: Inbound) -> bool:
        return await answered_before(self.users, self._turns, inbound)
