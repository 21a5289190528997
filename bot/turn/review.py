"""After the commit: keep what the bot did not understand, for a person to label."""

from __future__ import annotations

import logging

from redis.exceptions import RedisError

from bot.lifecycle import Stage
from bot.store.misunderstood import MisunderstoodLog
from bot.turn.context import Turn
from bot.turn.decide import Decided

log = logging.getLogger(__name__)


async def keep_if_misunderstood(
    kept: MisunderstoodLog | None, turn: Turn, stage: Stage, decided: Decided
) -> None:
    """Keep the message when the bot did not understand it; never fails the turn."""
    if kept is None:
        return
    try:
        await kept.keep(
            user_id=turn.user.id,
            stage=stage,
            locale=turn.user.locale,
            text=turn.message,
            parse=turn.parse,
            replies=[r.text for r in decided.replies],
            now=turn.now,
            fallback=decided.fallback,
        )
    except RedisError:
        log.warning("could not keep a misunderstood message of %s", turn.user.id)
