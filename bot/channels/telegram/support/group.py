"""What staff do in the support group: answer a customer, /close, /stage, /takeover, /claim.

Only messages inside a customer's topic count; the General topic is the staff's own
room. Every actor is checked to be a member of the group first.
"""

from __future__ import annotations

import logging

from aiogram.types import Message
from aiogram.types import User as TelegramUser

from bot.channels.telegram.support.relay import TelegramSupport
from bot.channels.telegram.support.staff import StaffCheck
from bot.engine import Engine
from bot.handoff import HandoffClosed, HandoffDesk
from bot.inbox.assignments import Assignments
from bot.lifecycle import Stage, UnknownStage
from bot.store.users import Users

log = logging.getLogger(__name__)

STAGES = ", ".join(stage.value for stage in Stage)
NO_HANDOFF = (
    "This customer is with the bot: nothing was sent. "
    "Send /takeover to take over the conversation, then write again."
)
HELP = (
    "Commands: /close (hand back to the bot), /stage <name> ({stages}), /takeover, "
    "/claim (you own the conversation, in the console's inbox too)."
)
ONLY_TEXT = "Only text reaches the customer: nothing was sent."


def staff_name(user: TelegramUser) -> str:
    """How a staff member is named in transcripts and records: their username, or id."""
    return user.username or f"tg{user.id}"


class SupportGroup:
    """Handles the messages of the support group's topics."""

    def __init__(
        self,
        *,
        relay: TelegramSupport,
        staff: StaffCheck,
        handoffs: HandoffDesk,
        engine: Engine,
        users: Users,
        assignments: Assignments | None = None,
    ) -> None:
        self.relay = relay
        self._staff = staff
        self._handoffs = handoffs
        self._engine = engine
        self._users = users
        self._assignments = assignments

    async def handle(self, message: Message) -> None:
        """One message in the support group."""
        thread = message.message_thread_id
        if thread is None or not (message.is_topic_message or message.forum_topic_closed):
            return  # the General topic: staff talking among themselves
        actor = message.from_user
        if actor is None or actor.is_bot:
            return
        if not await self._staff.is_staff(actor.id):
            log.warning("support: %s is not a member of the support group; ignored", actor.id)
            return
        user_id = await self.relay.topics.customer_of(thread)
        if user_id is None:
            log.info("support: topic %s belongs to no customer; ignored", thread)
            return
        who = staff_name(actor)
        if message.forum_topic_closed:
            await self._close(user_id, who, quiet=True)
            return
        text = message.text
        if text is None:
            await self._tell(user_id, ONLY_TEXT)
            return
        command, _, argument = text.strip().partition(" ")
        match command.split("@")[0].lower():
            case "/close":
                await self._close(user_id, who, quiet=False)
            case "/stage":
                await self._stage(user_id, argument.strip(), who)
            case "/takeover":
                await self._takeover(user_id, who)
            case "/claim":
                await self._claim(user_id, who)
            case command if command.startswith("/"):
                await self._tell(user_id, HELP.format(stages=STAGES))
            case _:
                await self._reply(user_id, text, who)

    async def _reply(self, user_id: str, text: str, who: str) -> None:
        try:
            await self._handoffs.staff_reply(user_id, text, author=f"staff:{who}")
        except HandoffClosed:
            await self._tell(user_id, NO_HANDOFF)

    async def _close(self, user_id: str, who: str, *, quiet: bool) -> None:
        try:
            await self._handoffs.close(user_id, by=f"staff:{who}")
        except HandoffClosed:
            # Closing the topic after /close (or twice) is no news to anyone.
            if not quiet:
                await self._tell(user_id, "There is no open handoff to close.")

    async def _stage(self, user_id: str, name: str, who: str) -> None:
        try:
            stage = Stage.parse(name.lower())
        except UnknownStage:
            await self._tell(user_id, f"Unknown stage {name!r}. Stages: {STAGES}.")
            return
        before = await self._users.load(user_id)
        user = await self._engine.move_stage(user_id, stage, f"manual:{who}")
        origin = before.stage.value if before else "?"
        await self.relay.post(user, f"Stage moved by {who}: {origin} → {user.stage.value}.")
        await self.relay.rename(user)

    async def _takeover(self, user_id: str, who: str) -> None:
        user = await self._users.load(user_id)
        if user is not None and user.state.get("handoff"):
            await self._tell(user_id, "The handoff is already open: write to answer.")
            return
        # The relay posts a fresh header card in this topic.
        await self._handoffs.start(user_id, by=f"staff:{who}", reason="staff")

    async def _claim(self, user_id: str, who: str) -> None:
        if self._assignments is None:
            await self._tell(user_id, "Assignment is not available here.")
            return
        before = await self._assignments.owner(user_id)
        await self._assignments.assign(user_id, who)
        taken = f" (was {before})" if before and before != who else ""
        await self._tell(
            user_id, f"Claimed by {who}{taken}: the console's inbox shows them as owner."
        )

    async def _tell(self, user_id: str, text: str) -> None:
        user = await self._users.load(user_id)
        if user is not None:
            await self.relay.post(user, text)
