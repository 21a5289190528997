"""Whether an inbound message was answered before (a platform delivered it again)."""

from __future__ import annotations

import logging

from bot.inbound import Inbound
from bot.store.turns import Turns
from bot.store.users import Users

log = logging.getLogger(__name__)


async def answered_before(users: Users, turns: Turns, inbound: Inbound) -> bool:
    """True when the customer's turn of `inbound.message_id` already ran.

    The engine would return the stored replies of such a message; a channel checks first
    so a redelivered update sends the customer nothing twice.
    """
    if inbound.message_id is None:
        return False
    user_id = await users.find_id(inbound.channel, inbound.external_id)
    if user_id is None or await turns.answered(user_id, inbound.message_id) is None:
        return False
    log.info("%s: %s of %s seen before", inbound.channel, inbound.message_id, inbound.external_id)
    return True
