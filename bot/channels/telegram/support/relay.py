"""The support group as a `SupportRelay`: a topic per customer, their messages copied in."""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.exceptions import TelegramAPIError

from bot.channels.telegram.customer import message_source
from bot.channels.telegram.support.header import display_name, header_card, topic_name
from bot.channels.telegram.support.posting import TopicGone, TopicPoster
from bot.errors import BotError
from bot.inbound import Inbound
from bot.store.support_topics import SupportTopics
from bot.store.transcript import Transcript
from bot.store.users import Users
from bot.user import User

log = logging.getLogger(__name__)

HEADER_MESSAGES = 10  # transcript messages on the header card


class TelegramSupport:
    """Keeps each customer's forum topic in the support group up to date.

    Failures towards Telegram are logged and swallowed: the handoff itself (and the
    customer's turn that reported it) must not fail because the support group is away.
    """

    def __init__(
        self,
        *,
        poster: TopicPoster,
        topics: SupportTopics,
        users: Users,
        transcript: Transcript,
        time_zone: ZoneInfo,
    ) -> None:
        self.poster = poster
        self.topics = topics
        self._users = users
        self._transcript = transcript
        self._time_zone = time_zone

    @property
    def chat_id(self) -> int:
        """The support group."""
        return self.poster.chat_id

    async def opened(self, user: User) -> None:
        """A handoff started: the customer's topic (new, or reopened) and a header card."""
        try:
            thread, created = await self._topic(user)
            if not created:
                await self.poster.reopen(thread)
                await self.poster.rename(thread, topic_name(user))
                await self._post(user, thread, await self._header(user), header=True)
        except (TelegramAPIError, BotError):
            log.exception("support: could not open the topic of customer %s", user.id)

    async def customer_message(self, user: User, inbound: Inbound) -> None:
        """Copy what the customer wrote into their topic; a photo or file itself too."""
        await self.post(user, f"{display_name(user)}: {inbound.text}")
        source = message_source(inbound.message_id) if inbound.media else None
        thread = None if source is None else await self.topics.topic_of(user.id)
        if source is None or thread is None:
            return
        try:
            # Staff need to see the screenshot of an error, not "[photo]".
            await self.poster.copy(thread, *source)
        except (TelegramAPIError, BotError):
            log.exception("support: could not copy a message of customer %s", user.id)

    async def closed(self, user: User, record: dict[str, Any]) -> None:
        """The handoff ended: say how, and close the topic."""
        by = record.get("closed_by", "")
        if by == "customer":
            notice = "The customer went back to the bot. The handoff is closed."
        else:
            notice = f"Handoff closed by {by}. The customer is back with the bot (CSAT asked)."
        await self.post(user, notice)
        thread = await self.topics.topic_of(user.id)
        if thread is not None:
            await self.poster.close(thread)

    async def sla_missed(self, user: User, minutes: float) -> None:
        """Staff should know the customer was offered the bot back."""
        await self.post(
            user,
            f"No staff reply within {minutes:g} minutes: the customer was offered the bot "
            "back. Write here to answer them.",
        )

    async def rated(self, user: User, answer: dict[str, Any]) -> None:
        """The customer's CSAT score for the handoff, where the staff who helped can see it."""
        await self.post(user, f"{display_name(user)} rated the help {answer['score']}/5 (CSAT).")

    async def post(self, user: User, text: str) -> None:
        """Write into the customer's topic (created, or recreated, when needed)."""
        try:
            thread, _ = await self._topic(user)
            await self._post(user, thread, text)
        except (TelegramAPIError, BotError):
            log.exception("support: could not write into the topic of customer %s", user.id)

    async def rename(self, user: User) -> None:
        """The topic's name follows the customer's stage."""
        thread = await self.topics.topic_of(user.id)
        if thread is not None:
            await self.poster.rename(thread, topic_name(user))

    async def _topic(self, user: User) -> tuple[int, bool]:
        """The customer's topic; a new one gets the header card first."""

        async def create() -> int:
            # The card goes in before the topic is remembered: a replica waiting for the
            # topic must not post the customer's message above it.
            thread = await self.poster.create(topic_name(user))
            log.info("support: topic %s created for customer %s", thread, user.id)
            await self.poster.post(thread, await self._header(user))
            return thread

        return await self.topics.ensure(user.id, create)

    async def _post(self, user: User, thread: int, text: str, *, header: bool = False) -> None:
        try:
            await self.poster.post(thread, text)
        except TopicGone:
            # Deleted in Telegram: a new topic (with its own header card) takes its place.
            log.info("support: topic %s of customer %s was deleted; recreating", thread, user.id)
            await self.topics.forget(user.id, thread)
            thread, created = await self._topic(user)
            if not (header and created):
                await self.poster.post(thread, text)

    async def _header(self, user: User) -> str:
        history = await self._users.stage_history(user.id)
        messages = await self._transcript.read(user.id, count=HEADER_MESSAGES)
        return header_card(user, history, messages, self._time_zone)
