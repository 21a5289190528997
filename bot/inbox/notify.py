"""A staff member's message about a ticket, outside any handoff: sent and transcribed."""

from __future__ import annotations

import time

from redis.asyncio import Redis

from bot.channels.registry import Channels
from bot.effects import Reply
from bot.store.transcript import Entry, Transcript
from bot.user import User


async def tell_customer(
    redis: Redis,
    transcript: Transcript,
    channels: Channels,
    user: User,
    text: str,
    *,
    staff: str,
    ticket: str,
) -> None:
    """Send `text` from `staff` to the customer on their channel, and keep it in the transcript."""
    reply = Reply(text, author=staff)
    target = channels.channel_of(user)
    channel = target[0] if target else "unknown"
    entry = Entry.outbound(
        reply, channel=channel, at=time.time(), turn=f"ticket:{ticket}", author=f"staff:{staff}"
    )
    async with redis.pipeline(transaction=True) as pipe:
        transcript.append(pipe, user.id, entry)
        await pipe.execute()
    await channels.deliver(user, [reply], staff=True)
