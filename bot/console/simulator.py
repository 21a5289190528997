"""The simulator: a conversation against a draft policy set, touching no real customer.

It runs the real engine under a throw-away Redis key prefix (deleted afterwards), with
the draft as its policy set and the bot's NLU (payloads work without it).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from bot.inbound import Inbound
from bot.lifecycle import Locale, Stage
from bot.policies.schema import PolicySet
from bot.services import Services

CHANNEL = "simulator"


@dataclass(frozen=True, slots=True)
class SimulatedTurn:
    """One message of the simulation: what was said, the replies, the stage after it."""

    message: str
    replies: list[str]
    stage: str


async def simulate(
    services: Services, draft: PolicySet, stage: Stage, locale: Locale, messages: list[str]
) -> list[SimulatedTurn]:
    """Run `messages` for a new customer placed in `stage`, against `draft`."""
    from bot.app import build_services  # the wiring module imports the console's pages

    prefix = f"{services.settings.redis_prefix}:sim:{uuid.uuid4().hex[:10]}"
    settings = services.settings.model_copy(
        update={"redis_prefix": prefix, "telegram_bot_token": None}
    )
    sandbox = build_services(settings, services.redis, services.nlu)
    sandbox.policies.replace(draft)
    engine = sandbox.engine
    turns: list[SimulatedTurn] = []
    try:
        await engine.handle(Inbound(CHANNEL, "customer", "/nlu_fallback", locale=locale))
        user_id = await sandbox.users.resolve(CHANNEL, "customer")
        await engine.move_stage(user_id, stage, "manual:simulator")
        for message in messages:
            replies = await engine.handle(Inbound(CHANNEL, "customer", message))
            user = await sandbox.users.load(user_id)
            turns.append(
                SimulatedTurn(message, [r.text for r in replies], user.stage.value if user else "")
            )
    finally:
        keys = [k async for k in services.redis.scan_iter(match=f"{prefix}:*", count=500)]
        if keys:
            await services.redis.delete(*keys)
    return turns
