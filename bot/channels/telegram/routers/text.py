"""Text messages and `/start` deep links: turns of the engine."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message

from bot.channels.telegram.chats import Chats
from bot.channels.telegram.customer import inbound_from, message_key, referral_code
from bot.linking.desk import start_command

# Pressing Start is saying hello; the engine knows that intent.
START_PAYLOAD = "/greet"


async def start(message: Message, command: CommandObject, chats: Chats) -> None:
    """`/start`, with `ref_<code>` for a referral or `link_<code>` to link another chat.

    Other start payloads are ignored.
    """
    assert message.from_user is not None  # private chats always have a sender
    text = start_command(command.args) or START_PAYLOAD
    inbound = inbound_from(
        message.from_user, text, message_key(message), referral=referral_code(command.args)
    )
    await chats.turn(message.chat.id, inbound)


async def text(message: Message, chats: Chats) -> None:
    """A text message: NLU, or a payload the customer typed (`/ask_price`)."""
    assert message.text is not None and message.from_user is not None
    inbound = inbound_from(message.from_user, message.text, message_key(message))
    await chats.turn(message.chat.id, inbound)


def build_router() -> Router:
    """A new router (aiogram routers attach to one dispatcher only)."""
    router = Router(name="text")
    router.message.register(start, CommandStart(), F.from_user)
    router.message.register(text, F.text, F.from_user)
    return router
